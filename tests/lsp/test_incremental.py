"""Incremental re-reading (lsp/incremental.py) never gives a different verdict from a full reading.

Random edits on the benchmark's generated files and on every fixture: whenever the edited entry
is re-read alone, the diagnostics (code, message, range, severity, related, data) equal those of
reading the whole new text, and so does the value. Edits are chained: the next edit starts from
the incremental reading, as the server does while a user types. PLX_FUZZ_EDITS scales the count.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from plxinit.diagnostics import Position
from plxinit.lsp import positions
from plxinit.lsp.documents import Document
from plxinit.lsp.incremental import Base, base_of, reread
from plxinit.validate import validate_document
from plxinit.yamldoc import MappingNode, Node, SequenceNode, parse_document

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from lsp_bench import polyaxonfile  # noqa: E402

FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.yaml") if "init:" in p.read_text("utf-8"))
SCALE = int(os.environ.get("PLX_FUZZ_EDITS", "1"))

#: What a random edit types: YAML's indicators, words, keys of init entries, and a few that must
#: force a full reading (tabs, tags, anchors, aliases, merge keys, document markers).
PIECES = [
    " ", ":", "-", "- ", "{", "}", "[", "]", ",", "#", "'", '"', "|", ">", "a", "1", "x: y", ": ",
    "git", "artifacts", "dirs", "url", "connection", "container", "file", "content", "path",
    "&a ", "*a", "<<: *a", "!!str ", "\t", "%", "---", "...", "?", "\\n", "null", "yes", "0x1F",
    "é", "😀",
]  # fmt: skip


def random_edit(rng: random.Random, lines: list[str]) -> tuple[int, int, int, int, str]:
    """A (line, column, end line, end column, text) edit, mostly within one line."""
    line = rng.randrange(len(lines))
    column = rng.randrange(len(lines[line]) + 1)
    roll = rng.random()
    if roll < 0.45:  # type something
        return line, column, line, column, rng.choice(PIECES)
    if roll < 0.8:  # delete a few characters of the line
        return line, column, line, min(len(lines[line]), column + rng.randint(1, 4)), ""
    if roll < 0.9:  # replace some with something else
        return line, column, line, min(len(lines[line]), column + rng.randint(1, 3)), rng.choice(PIECES)
    if roll < 0.95:  # dedent or indent the line
        return line, 0, line, min(2, len(lines[line]) - len(lines[line].lstrip(" "))), rng.choice(["", "  ", " "])
    end = min(len(lines) - 1, line + rng.randint(0, 2))  # over several lines (the line count may change)
    return line, column, end, rng.randrange(len(lines[end]) + 1), rng.choice(["\n", "", "a\nb", "\n  - git:"])


def spans(root: Node) -> list[tuple[str, Position, Position]]:
    """Every node's kind and span, in document order (what positions the diagnostics come from)."""
    found = []
    todo = [root]
    while todo:
        node = todo.pop()
        found.append((type(node).__name__, node.start, node.end))
        if isinstance(node, MappingNode):
            todo.extend(part for pair in reversed(node.pairs) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            todo.extend(reversed(node.items))
    return found


def apply(document: Document, edit: tuple[int, int, int, int, str]) -> None:
    line, column, end_line, end_column, text = edit
    document.edit((line, column), (end_line, end_column), text, positions.UTF32)
    document.version += 1


def fuzz(text: str, seed: int, edits: int) -> tuple[int, int]:
    """Random edits on `text`, in chains of 1 to 4 from the original (whose full reading is the first
    base), each re-read from the one before; a chain ends at the first edit that needs a full
    reading. Returns (edits re-read incrementally, edits in all)."""
    rng = random.Random(seed)
    original = Document("file:///w/polyaxonfile.yaml", text, 1)
    original.parsed  # noqa: B018 - the full reading: the base of every chain
    taken = done = 0
    while done < edits:
        document = Document(original.uri, text, 1)
        base = original.base
        assert base is not None
        for _ in range(rng.randint(1, 4)):
            done += 1
            apply(document, random_edit(rng, document.lines))
            incremental = reread(base, document.text, document.lines)
            if incremental is None:
                break
            taken += 1
            full = parse_document(document.text)
            assert full.root is not None, document.text
            assert incremental.root is not None
            assert incremental.root.value == full.root.value
            assert spans(incremental.root) == spans(full.root), document.text
            assert sorted(incremental.diagnostics, key=str) == sorted(full.diagnostics, key=str)
            assert incremental.json_compatible == full.json_compatible
            assert validate_document(incremental) == validate_document(full), document.text
            base = Base(document.version, document.lines, incremental, plain=True)
    return taken, done


@pytest.mark.parametrize("size", [300, 2000])
@pytest.mark.parametrize("seed", range(3))
def test_random_edits_on_bench_files(size: int, seed: int) -> None:
    edits = (150 if size == 300 else 30) * SCALE
    taken, total = fuzz(polyaxonfile(size).text, seed, edits)
    assert taken > total // 8, (taken, total)  # the incremental path is really exercised


def test_random_edits_on_fixtures() -> None:
    taken = total = 0
    for index, path in enumerate(FIXTURES):
        done, edits = fuzz(path.read_text("utf-8"), index, 12 * SCALE)
        taken, total = taken + done, total + edits
    assert total >= 2000
    assert taken >= 50, (taken, total)


def test_bench_edit_is_incremental_and_exact() -> None:
    """The benchmark's edit (`artifacts:` -> `artifact:` in the middle of 10,000 lines) is re-read alone."""
    work = polyaxonfile(10000)
    line = work.marks["edit"]
    document = Document("file:///w/polyaxonfile.yaml", work.text, 1)
    base = document.parsed
    document.edit((line, 14), (line, 15), "", positions.UTF32)
    document.version = 2
    assert document.parsed is not base and document.incremental
    diagnostics = validate_document(document.parsed)
    assert diagnostics == validate_document(parse_document(document.text))
    assert [(d.code, d.range.start.line, d.range.start.column) for d in diagnostics] == [
        ("unknown-key", line, 6),
        ("one-handler", work.marks["mistake"] + 2, 6),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "typed"),
    [
        ("init:\n  - git: &a {url: x}\n  - git: *a\n", 1, 9, "u"),  # an alias elsewhere
        ("init:\n  - git: {url: x}\n  - <<: {a: 1}\n", 1, 9, "u"),  # a merge key elsewhere
        ("init:\n  - git: {url: x}\n\t\n", 1, 9, "u"),  # a tab
        ("init:\n  - git: {url: x}\n  - git: {url: y}\n", 1, 2, " "),  # on the dash
        ("init:\n  - git: {url: x}\n  - git: {url: y}\n", 1, 9, "\n"),  # a new line
        ("init:\n  - git: {url: x}\n  - git: &a {url: y}\n", 1, 9, "*a "),  # an alias typed
        ("init:\n  - git: {url: x}\n    git: y\n  - git: {url: y}\n", 1, 9, "u"),  # a duplicate key in it
        ("init:\n  - git: {url: x}\n  - git: {url: y}\n", 1, 9, '"'),  # an unclosed quote
        ("init: [{git: {url: x}}, {git: {url: y}}]\n", 0, 15, "u"),  # flow style
    ],
)
def test_full_reading_when_unsure(text: str, line: int, column: int, typed: str) -> None:
    base = Document("file:///w/polyaxonfile.yaml", text, 1)
    document = Document("file:///w/polyaxonfile.yaml", text, 1)
    document.base = base_of(1, base.lines, base.parsed)
    document.edit((line, column), (line, column), typed, positions.UTF32)
    document.version = 2
    assert reread(document.base, document.text, document.lines) is None
    assert validate_document(document.parsed) == validate_document(parse_document(document.text))
    assert not document.incremental


BACKSTOP_TEXT = "kind: component\nrun:\n  kind: job\n  init:\n    - git: {url: x}\n    - git: {url: y}\n"


async def backstopped(monkeypatch: pytest.MonkeyPatch, wrong: bool) -> tuple[Any, list[Any]]:
    """An in-process server: open BACKSTOP_TEXT, turn the first `git` into `gut` (an unknown key)
    and wait for the background full reading; `wrong` makes the incremental reading stale."""
    from plxinit.lsp import incremental
    from plxinit.lsp import server as server_module

    monkeypatch.setattr(server_module, "BACKSTOP_IDLE", 0)
    if wrong:
        monkeypatch.setattr(incremental, "reread", lambda base, text, lines: base.parsed)
    ls = server_module.PlxLanguageServer()
    published: list[Any] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", published.append)
    uri = "file:///w/polyaxonfile.yaml"
    document = ls.store.open(uri, BACKSTOP_TEXT, 1)
    await ls._validate(document)
    document.edit((4, 6), (4, 9), "gut", positions.UTF16)
    document.version = 2
    await ls._validate(document)
    assert document.incremental
    await ls._backstops[uri]
    for executor in (ls._executor, ls._backstop_executor):
        if executor is not None:
            executor.shutdown()
    return ls, published


async def test_backstop_confirms_an_exact_incremental_result(monkeypatch: pytest.MonkeyPatch) -> None:
    ls, published = await backstopped(monkeypatch, wrong=False)
    assert [(p.version, [d.code for d in p.diagnostics]) for p in published] == [(1, []), (2, ["unknown-key"])]
    assert (ls.backstop_checks, ls.backstop_differences) == (1, 0)


async def test_backstop_republishes_when_the_full_reading_differs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ls, published = await backstopped(monkeypatch, wrong=True)
    assert [(p.version, [d.code for d in p.diagnostics]) for p in published] == [
        (1, []),
        (2, []),  # the stale incremental reading
        (2, ["unknown-key"]),  # corrected by the full one
    ]
    assert (ls.backstop_checks, ls.backstop_differences) == (1, 1)
    assert "differed from a full reading (1 of 1 checks); republished" in caplog.text

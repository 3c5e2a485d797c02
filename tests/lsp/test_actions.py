"""Quick fixes (split, did-you-mean, quote, camelCase rename), document symbols, folding."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.templates import WHOLE_PARAM
from plxinit.validate import validate_text

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc, rng

REPO = Path(__file__).resolve().parents[2]
SPLIT_TITLE = "Split into separate init entries"

SPLIT_BEFORE = """\
kind: component
run:
  kind: job
  init:
    - artifacts:  # data first
        dirs: [data]
      # the repository
      git:
        url: https://github.com/org/repo
        revision: main
      connection: repo2
      container:
        resources: {limits: {cpu: 1}}
    - file:
        content: echo
  container:
    image: python:3.11
"""

SPLIT_AFTER = """\
kind: component
run:
  kind: job
  init:
    - artifacts:  # data first
        dirs: [data]
      connection: repo2
      container:
        resources: {limits: {cpu: 1}}
    # the repository
    - git:
        url: https://github.com/org/repo
        revision: main
      connection: repo2
      container:
        resources: {limits: {cpu: 1}}
    - file:
        content: echo
  container:
    image: python:3.11
"""


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply non-overlapping edits given in UTF-16 units (lines end with `\n` or `\r\n`)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position: lsp.Position) -> int:
        line, units = lines[position.line], position.character
        column = 0
        while units > 0 and column < len(line):
            units -= 2 if ord(line[column]) > 0xFFFF else 1
            column += 1
        return offsets[position.line] + column

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def actions_for(
    client: LanguageClient, text: str, only: list[str] | None = None, at: lsp.Range | None = None
) -> tuple[list[lsp.Diagnostic], list[lsp.CodeAction]]:
    open_doc(client, POLYAXONFILE_URI, text)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    target = at or (diagnostics[0].range if diagnostics else rng(0, 0, 0, 0))
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(POLYAXONFILE_URI),
            target,
            lsp.CodeActionContext(diagnostics=[d for d in diagnostics if d.range == target], only=only),
        )
    )
    return diagnostics, [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def actions_at(
    client: LanguageClient, uri: str, text: str, every: bool = False
) -> tuple[list[lsp.Diagnostic], list[lsp.CodeAction]]:
    """Open `text` at `uri`; the actions for its first diagnostic (for all of them when `every`),
    passing over a hubRef's `remote-ref` note, which has no fix."""
    open_doc(client, uri, text)
    diagnostics = await client.recorder.wait(uri, 1)
    targets = diagnostics if every else [d for d in diagnostics if d.code != "remote-ref"][:1]
    actions: list[lsp.CodeAction] = []
    for target in targets:
        result = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                lsp.TextDocumentIdentifier(uri), target.range, lsp.CodeActionContext(diagnostics=[target])
            )
        )
        actions += [a for a in result or [] if isinstance(a, lsp.CodeAction)]
    return diagnostics, actions


def edited(action: lsp.CodeAction, text: str, uri: str = POLYAXONFILE_URI) -> str:
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    return apply(text, list(action.edit.changes[uri]))


async def test_split_entry(client: LanguageClient) -> None:
    diagnostics, actions = await actions_for(client, SPLIT_BEFORE)
    assert [d.code for d in diagnostics] == ["one-handler"]
    [action] = actions
    assert action.title == "Split into separate init entries"
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert list(action.diagnostics or []) == diagnostics
    result = edited(action, SPLIT_BEFORE)
    assert result == SPLIT_AFTER
    assert validate_text(result) == []


async def test_split_compact_style(client: LanguageClient) -> None:
    before = "run:\n  kind: job\n  init:\n  - git: {url: u}\n    paths: [a]\n    path: /p\n"
    _, [action] = await actions_for(client, before)
    assert edited(action, before) == (
        "run:\n  kind: job\n  init:\n  - git: {url: u}\n    path: /p\n  - paths: [a]\n    path: /p\n"
    )


HEAD = "kind: component\nrun:\n  kind: job\n  container: {image: python}\n  init:\n"


async def test_split_flow_entry(client: LanguageClient) -> None:
    before = HEAD + "    - {git: {url: x}, artifacts: {dirs: [d]}}\n"
    diagnostics, [action] = await actions_for(client, before)
    assert [d.code for d in diagnostics] == ["one-handler"]
    assert action.title == "Split into separate init entries"
    result = edited(action, before)
    assert result == HEAD + "    - {git: {url: x}}\n    - {artifacts: {dirs: [d]}}\n"
    assert validate_text(result) == []


async def test_split_multiline_flow_entry(client: LanguageClient) -> None:
    """Over several lines, comments kept; `connection` and `path` go to both entries."""
    before = HEAD + (
        "    - {connection: repo, git: {url: x},  # c\n"
        "       artifacts: {dirs: [d]}, path: /p}  # tail\n"
        "    - file: {content: x}\n"
    )
    _, [action] = await actions_for(client, before)
    result = edited(action, before)
    assert result == HEAD + (
        "    - {connection: repo, git: {url: x},  # c\n"
        "       path: /p}  # tail\n"
        "    - {artifacts: {dirs: [d]}, connection: repo, path: /p}\n"
        "    - file: {content: x}\n"
    )
    assert validate_text(result) == []


async def test_split_in_flow_init_list(client: LanguageClient) -> None:
    before = (
        "kind: component\nrun:\n  kind: job\n"
        "  init: [{git: {url: x}, connection: c, artifacts: {dirs: [d]}}, {file: {content: y}}]\n"
        "  container: {image: python}\n"
    )
    diagnostics, [action] = await actions_for(client, before)
    assert [d.code for d in diagnostics] == ["one-handler"]
    result = edited(action, before)
    assert result == before.replace(
        "[{git: {url: x}, connection: c, artifacts: {dirs: [d]}},",
        "[{git: {url: x}, connection: c}, {artifacts: {dirs: [d]}, connection: c},",
    )
    assert validate_text(result) == []


async def test_split_declines_what_it_cannot_keep(client: LanguageClient) -> None:
    """No Split when the cut would swallow a comment, a value is an alias or a copy would repeat an anchor."""
    for before in (
        HEAD + "    - {git: {url: x},  # why\n       artifacts: {dirs: [d]}}\n",
        HEAD + "    - connection: &c repo\n      git: {url: x}\n      artifacts: {dirs: [d]}\n",
        HEAD + "    - {git: {url: x}, artifacts: {dirs: [d]}, path: &p /p}\n",
        "kind: component\nrun:\n  kind: job\n  container: {image: python}\n  init:\n"
        "    - {dockerfile: &d {image: python}}\n    - {git: {url: x}, dockerfile: *d}\n",
    ):
        diagnostics, actions = await actions_for(client, before)
        assert [d.code for d in diagnostics] == ["one-handler"]
        assert actions == []


async def test_split_keeps_hash_lines_of_a_block_scalar(client: LanguageClient) -> None:
    """`# done` inside `content: |` is text of the file handler, not a comment above `git`."""
    before = HEAD + "    - file:\n        content: |\n          echo\n          # done\n      git: {url: x}\n"
    _, [action] = await actions_for(client, before)
    result = edited(action, before)
    assert result == HEAD + "    - file:\n        content: |\n          echo\n          # done\n    - git: {url: x}\n"
    assert yaml.safe_load(result)["run"]["init"][0]["file"]["content"] == "echo\n# done\n"


async def test_split_with_crlf_and_astral_characters(client: LanguageClient) -> None:
    """UTF-16 ranges past an emoji, CRLF line ends kept, in block and flow entries."""
    cases = [
        (
            "    - {git: {url: 'https://😀.example/r'}, artifacts: {dirs: [ü]}}  # 😀\n",
            "    - {git: {url: 'https://😀.example/r'}}  # 😀\n    - {artifacts: {dirs: [ü]}}\n",
        ),
        (
            "    - git: {url: 'https://😀.example/r'}  # 😀\n      artifacts: {dirs: [ü]}\n",
            "    - git: {url: 'https://😀.example/r'}  # 😀\n    - artifacts: {dirs: [ü]}\n",
        ),
    ]
    for number, (entry, split) in enumerate(cases):
        before, after = (HEAD + entry).replace("\n", "\r\n"), (HEAD + split).replace("\n", "\r\n")
        uri = f"file:///work/project/polyaxonfile-u{number}.yaml"
        _, [action] = await actions_at(client, uri, before)
        assert edited(action, before, uri) == after
        assert validate_text(after) == []


async def test_split_three_handlers_twice(client: LanguageClient) -> None:
    """Two `one-handler` diagnostics; splitting twice leaves three entries, each with the connection."""
    text = HEAD + "    - {git: {url: x}, artifacts: {dirs: [d]}, file: {content: x}, connection: c}\n"
    for version in (1, 2):
        uri = f"file:///work/project/polyaxonfile-t{version}.yaml"
        diagnostics, actions = await actions_at(client, uri, text)
        assert [d.code for d in diagnostics] == ["one-handler"] * (3 - version)
        text = edited(actions[0], text, uri)
    assert text == HEAD + (
        "    - {git: {url: x}, connection: c}\n"
        "    - {file: {content: x}, connection: c}\n"
        "    - {artifacts: {dirs: [d]}, connection: c}\n"
    )
    assert validate_text(text) == []


# ---------------------------------------------------------------------- split keeps the meaning
#: (original, what the user meant: the init entries Polyaxon should build from the split result)
MEANING_CASES = {
    "block-connection-first": (
        HEAD + "    - connection: repo\n      git: {url: x}\n      artifacts: {dirs: [d]}\n",
        [
            {"connection": "repo", "git": {"url": "x"}},
            {"connection": "repo", "artifacts": {"dirs": ["d"]}},
        ],
    ),
    "block-path-container-last": (
        HEAD + "    - git:\n        url: x\n      dockerfile: {image: python}\n      path: /code\n"
        "      container:\n        resources: {limits: {cpu: 1}}\n",
        [
            {"git": {"url": "x"}, "path": "/code", "container": {"resources": {"limits": {"cpu": 1}}}},
            {"dockerfile": {"image": "python"}, "path": "/code", "container": {"resources": {"limits": {"cpu": 1}}}},
        ],
    ),
    "flow-entry": (
        HEAD + "    - {connection: repo, git: {url: x}, artifacts: {dirs: [d]}, path: /p}\n",
        [
            {"connection": "repo", "git": {"url": "x"}, "path": "/p"},
            {"connection": "repo", "artifacts": {"dirs": ["d"]}, "path": "/p"},
        ],
    ),
    "flow-init-list": (
        "kind: component\nrun:\n  kind: job\n  container: {image: python}\n"
        "  init: [{file: {content: x}, connection: c, container: {name: box}, paths: [p]}]\n",
        [
            {"file": {"content": "x"}, "connection": "c", "container": {"name": "box"}},
            {"paths": ["p"], "connection": "c", "container": {"name": "box"}},
        ],
    ),
}

#: Runs in the oracle venv: Polyaxon's verdict, the V1Init objects it builds, and those of what was meant.
ORACLE_READING = """
import json, sys
sys.path.insert(0, sys.argv[1])
import yaml
from polyaxon_oracle import judge
from polyaxon._flow.init import V1Init
from polyaxon._polyaxonfile.specs import get_specification
out = {}
for case in json.load(sys.stdin):
    valid, error, level = judge(case["text"])
    spec = get_specification(data=yaml.safe_load(case["text"])) if valid else None
    out[case["id"]] = {
        "valid": valid, "error": error, "level": level,
        "built": [i.to_dict() for i in spec.run.init] if spec else None,
        "meant": [V1Init.from_dict(m).to_dict() for m in case["meant"]],
    }
json.dump(out, sys.stdout)
"""


def oracle_python() -> Path | None:
    configured = os.environ.get("PLX_ORACLE_PYTHON")
    candidate = Path(configured) if configured else REPO / ".venv-oracle" / "bin" / "python"
    return candidate if candidate.exists() else None


async def test_split_keeps_meaning_for_polyaxon(client: LanguageClient) -> None:
    """Polyaxon reads every split result as exactly the entries the user meant (oracle)."""
    python = oracle_python()
    if python is None:
        reason = "no Polyaxon oracle (.venv-oracle/bin/python or $PLX_ORACLE_PYTHON): meaning not checked"
        print(reason)
        pytest.skip(reason)
    cases: list[dict[str, Any]] = []
    for number, (name, (before, meant)) in enumerate(MEANING_CASES.items()):
        uri = f"file:///work/project/polyaxonfile-{number}.yaml"
        [diagnostic], [action] = await actions_at(client, uri, before)
        assert diagnostic.code == "one-handler"
        assert action.title == "Split into separate init entries"
        result = edited(action, before, uri)
        assert validate_text(result) == [], name
        cases.append({"id": name, "text": result, "meant": meant})
    proc = subprocess.run(
        [str(python), "-c", ORACLE_READING, str(REPO / "tests" / "oracle")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    verdicts = json.loads(proc.stdout)
    for case in cases:
        verdict = verdicts[case["id"]]
        assert (verdict["valid"], verdict["error"], verdict["level"]) == (True, None, "compose"), case["id"]
        assert verdict["built"] == verdict["meant"], case["id"]


# ---------------------------------------------------------------------- every fix, applied
#: (text with exactly one diagnostic, titles of the fixes offered for it)
FIX_CASES = [
    (HEAD + "    - file:\n        content: x\n        chmod: 0755\n", ['Quote as "0755"']),
    (HEAD + "    - file: {content: x, chmod: 0755}\n", ['Quote as "0755"']),
    (HEAD + "    - connection: yes\n", ['Quote as "yes"']),
    (HEAD + "    - {connection: on}\n", ['Quote as "on"']),
    (HEAD + "    - file:\n        filname: x.sh\n        content: x\n", ["Replace with `filename`"]),
    (HEAD + "    - {file: {filname: x.sh, content: x}}\n", ["Replace with `filename`"]),
    (HEAD + "    - {gti: {url: x}}\n", ["Replace with `git`"]),
    (HEAD + "    - git: {url: x}\n      artifacts: {dirs: [d]}\n", [SPLIT_TITLE]),
    (HEAD + "    - {git: {url: x}, artifacts: {dirs: [d]}}\n", [SPLIT_TITLE]),
    (HEAD + "    - {git: {url: x},\n       artifacts: {dirs: [d]}}\n", [SPLIT_TITLE]),
    (HEAD.replace("  init:\n", "  init: [{git: {url: x}, artifacts: {dirs: [d]}}]\n"), [SPLIT_TITLE]),
    ("kind: operation\nhubRef: org/comp:v1\nrunPatch:\n  init:\n    - {git: {url: x}, artifacts: {}}\n", [SPLIT_TITLE]),
    (
        "kind: component\nrun:\n  kind: tfjob\n  worker:\n    replicas: 1\n    container: {image: python}\n"
        "    init: [\n      {\"git\": {url: x}, 'artifacts': {dirs: [d]}},\n    ]\n",
        [SPLIT_TITLE],
    ),
    (HEAD + "    - {git: {url: x}}\n    - {connection: c, git: {url: x},\n       file: {content: y}}\n", [SPLIT_TITLE]),
]


async def test_every_fix_parses_and_removes_its_diagnostic(client: LanguageClient) -> None:
    for number, (before, titles) in enumerate(FIX_CASES):
        uri = f"file:///work/project/polyaxonfile-{number}.yaml"
        diagnostics, actions = await actions_at(client, uri, before)
        # a hubRef file also gets its `remote-ref` note (not checked offline), which has no fix
        [diagnostic] = [d for d in diagnostics if d.code != "remote-ref"]
        assert [a.title for a in actions] == titles, before
        assert all(list(a.diagnostics or []) == [diagnostic] for a in actions)
        for action in actions:
            result = edited(action, before, uri)
            yaml.safe_load(result)
            assert validate_text(result) == [], (before, result)


FIXTURES = REPO / "tests" / "fixtures" / "negative"
NAME_FIX_TITLES = ("Declare the input `", "Add the param `", "Replace with `")


async def test_every_fix_on_the_negative_fixtures(client: LanguageClient) -> None:
    """On every fixture, each offered fix parses and removes exactly the diagnostic it targets, nothing else.

    Every diagnostic that carries fix data gets its fix, except a did-you-mean whose key is
    already set there: that rename would make a duplicate key (checked by doing it).
    """
    offered: Counter[str] = Counter()
    declined: list[str] = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        before = path.read_text(encoding="utf-8")
        uri = f"file:///work/project/polyaxonfile-{path.stem}.yaml"
        diagnostics, actions = await actions_at(client, uri, before, every=True)
        for diagnostic in diagnostics:
            fixes = [a for a in actions if diagnostic in (a.diagnostics or [])]
            data = dict(diagnostic.data or {})
            if not {"quote", "suggestion", "handlers"} & set(data):
                # the name fixes read their facts from the message (lsp/name_fixes.py)
                assert [a for a in fixes if not a.title.startswith(NAME_FIX_TITLES)] == [], path.name
                offered[str(diagnostic.code)] += len(fixes)
            elif fixes:
                offered[str(diagnostic.code)] += len(fixes)
            else:
                renamed = apply(before, [lsp.TextEdit(diagnostic.range, str(data.get("suggestion")))])
                assert "duplicate-key" in [d.code for d in validate_text(renamed)], (path.name, diagnostic.message)
                declined.append(path.name)
        codes_before = Counter(str(d.code) for d in diagnostics)
        for action in actions:
            [target] = action.diagnostics or []
            result = edited(action, before, uri)
            yaml.safe_load(result)
            # declaring an input used as a printed `{{ params.x }}` leads to that warning next (test_navigation)
            codes_after = Counter(d.code for d in validate_text(result) if WHOLE_PARAM not in d.message)
            assert codes_after == codes_before - Counter([str(target.code)]), (path.name, action.title, result)
    print(f"fixes applied: {dict(offered)}; declined (would duplicate a key): {declined}")
    assert offered["type"] and offered["unknown-key"] and offered["one-handler"]


async def test_rename_alias_in_flow_style(client: LanguageClient) -> None:
    text = HEAD + "    - {dockerfile: {image: python, lang_env: C}}\n"
    for column in (35, 39, 43):  # start, middle and end of the key
        diagnostics, [action] = await actions_for(client, text, at=rng(5, column, 5, column))
        assert diagnostics == []
        assert action.title == "Rename `lang_env` to `langEnv`"
        assert action.kind == lsp.CodeActionKind.RefactorRewrite
        result = edited(action, text)
        assert result == text.replace("lang_env", "langEnv")
        assert validate_text(result) == []
    _, none = await actions_for(client, text, at=rng(5, 45, 5, 45))  # on the value
    assert none == []


async def test_rename_alias_while_the_file_does_not_parse(client: LanguageClient) -> None:
    """The tolerant reading finds the key when the exact one cannot."""
    text = HEAD + "    - dockerfile:\n        image: python\n        lang_env: C\n  x: [unclosed\n"
    diagnostics, actions = await actions_for(client, text, at=rng(7, 10, 7, 10))
    assert [d.code for d in diagnostics] == ["yaml-syntax"]
    assert [a.title for a in actions] == ["Rename `lang_env` to `langEnv`"]
    assert edited(actions[0], text) == text.replace("lang_env", "langEnv")


async def test_no_fix_that_would_make_a_duplicate_key(client: LanguageClient) -> None:
    """The suggested or canonical key is already set: renaming would only make Polyaxon drop a value."""
    text = HEAD + "    - file: {filename: a.sh, filname: b.sh, content: x}\n"
    diagnostics, actions = await actions_for(client, text)
    # the core never suggests a key that is set: it says so instead
    assert [(d.message, d.data.get("suggestion")) for d in diagnostics] == [
        ("Unknown key `filname` in file handler. `filename` is already set.", None)
    ]
    assert actions == []
    text = HEAD + "    - dockerfile: {image: python, lang_env: C, langEnv: D}\n"
    diagnostics, actions = await actions_for(client, text)
    assert [(d.code, d.range.start.character) for d in diagnostics] == [("unknown-key", 34)]
    assert actions == []


async def test_no_quote_on_alias_anchor_or_tag(client: LanguageClient) -> None:
    """Quoting `&a 0755`, `!!int 0755` or `*a` would drop the anchor or tag, or change another value."""
    for number, value in enumerate(["&a 0755", "!!int 0755", "*a"]):
        uri = f"file:///work/project/polyaxonfile-q{number}.yaml"
        anchor = "    - connection: &a 0755\n" if value == "*a" else ""
        text = HEAD + anchor + f"    - file:\n        content: x\n        chmod: {value}\n"
        diagnostics, actions = await actions_at(client, uri, text, every=True)
        assert "type" in [d.code for d in diagnostics], text
        assert [a.title for a in actions if a.title.startswith("Quote")] == [], text


async def test_replace_unknown_key(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - file:\n        filname: x.sh\n        content: x\n"
    diagnostics, actions = await actions_for(client, text)
    assert diagnostics[0].data["suggestion"] == "filename"
    [action] = actions
    assert action.title == "Replace with `filename`"
    assert edited(action, text) == text.replace("filname", "filename")


async def test_quote_scalars(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - file:\n        content: x\n        chmod: 0755\n"
    diagnostics, [action] = await actions_for(client, text)
    assert diagnostics[0].data == {"code": "type", "quote": True}
    assert action.title == 'Quote as "0755"'
    assert edited(action, text) == text.replace("0755", '"0755"')
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - connection: yes\n"
    _, [action] = await actions_for(client, text)
    assert edited(action, text) == text.replace("yes", '"yes"')
    assert yaml.safe_load(edited(action, text))["run"]["init"][0]["connection"] == "yes"


async def test_rename_snake_case_without_diagnostic(client: LanguageClient) -> None:
    text = (
        "kind: component\nrun:\n  kind: job\n  init:\n    - dockerfile:\n        image: python\n        lang_env: C\n"
    )
    diagnostics, actions = await actions_for(client, text, at=rng(6, 10, 6, 10))
    assert diagnostics == []
    [action] = actions
    assert action.title == "Rename `lang_env` to `langEnv`"
    assert action.kind == lsp.CodeActionKind.RefactorRewrite
    assert edited(action, text) == text.replace("lang_env", "langEnv")
    _, none = await actions_for(client, text, only=[lsp.CodeActionKind.QuickFix], at=rng(6, 10, 6, 10))
    assert none == []


async def test_document_symbols_and_folding(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, SPLIT_BEFORE)
    document = lsp.TextDocumentIdentifier(POLYAXONFILE_URI)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(document))
    assert symbols is not None
    run, init = symbols  # the run section (tests/lsp/test_outline_sections.py), then its init list
    assert isinstance(run, lsp.DocumentSymbol) and isinstance(init, lsp.DocumentSymbol)
    assert run.name == "run" and init.name == "run.init"
    assert [child.name for child in init.children or []] == ["artifacts (connection: repo2)", "file"]
    assert as_tuple(init.children[0].selection_range) == (4, 6, 4, 15)
    assert init.children[0].range.start == lsp.Position(4, 6)
    folding = await client.text_document_folding_range_async(lsp.FoldingRangeParams(document))
    assert [(f.start_line, f.end_line) for f in folding or []] == [(3, 14), (4, 12), (13, 14)]


async def test_symbols_in_replicas(client: LanguageClient) -> None:
    text = (
        "kind: component\nrun:\n  kind: tfjob\n  worker:\n    init:\n      - connection: data\n"
        "  chief:\n    init:\n      - git: {url: u}\n        connection: repo\n"
    )
    open_doc(client, POLYAXONFILE_URI, text)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI))
    )
    assert [(s.name, [c.name for c in s.children or []]) for s in symbols or []] == [
        ("run", ["worker", "chief"]),  # the tfjob's replicas, in the document's order
        ("run.worker.init", ["connection (connection: data)"]),
        ("run.chief.init", ["git (connection: repo)"]),
    ]

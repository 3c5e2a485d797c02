"""Outline and folding while the file does not parse: the entries around an unclosed `{` or quote still show.

Ranges are UTF-16 (the client's default): the 😀 before a range's end counts two units.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import POLYAXONFILE_URI, as_tuple, change_doc, open_doc

DOCUMENT = lsp.TextDocumentIdentifier(POLYAXONFILE_URI)

#: block style: an unclosed `{` in the first entry (YAML reads the more indented line below as part of it)
BLOCK_UNCLOSED_BRACE = """\
kind: component
run:
  kind: job
  init:
    - git: {url: "https://😀.org/repo", revision: main
      connection: repo
    - file:
        content: echo
        kind: csv
  worker:
    replicas: 2
    init:
      - artifacts:
          dirs: [data]
"""

#: flow style: an unclosed `{` in the first entry, a flow entry over two lines, a one-line flow list
FLOW_UNCLOSED_BRACE = """\
kind: component
run:
  kind: job
  init:
    - {git: {url: "https://😀.org/repo"}, connection: repo
    - {file: {content: x,
        kind: csv}}
  worker:
    replicas: 2
    init: [{artifacts: {dirs: [data]}}, {git: {url: y}}]
"""

#: an unclosed quote in a block entry and in a flow entry
UNCLOSED_QUOTES = """\
kind: component
run:
  kind: job
  init:
    - git:
        url: "https://😀.org/repo
    - file: {content: 'x, kind: csv}
    - artifacts: {dirs: [data]}
"""


def outline(symbols: Sequence[lsp.DocumentSymbol] | Sequence[lsp.SymbolInformation] | None) -> list[tuple]:
    """Each top-level symbol (init lists, sections) and its children: name, detail, range, selection range."""
    rows: list[tuple] = []
    for symbol in symbols or []:
        assert isinstance(symbol, lsp.DocumentSymbol)
        rows.append((symbol.name, symbol.detail, as_tuple(symbol.range), as_tuple(symbol.selection_range)))
        rows.extend(
            ("  " + child.name, child.detail, as_tuple(child.range), as_tuple(child.selection_range))
            for child in symbol.children or []
        )
    return rows


async def symbols_and_folds(client: LanguageClient) -> tuple[list[tuple], list[tuple[int, int]]]:
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(DOCUMENT))
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(DOCUMENT))
    assert all(fold.kind == "region" for fold in folds or [])
    return outline(symbols), [(fold.start_line, fold.end_line) for fold in folds or []]


async def test_unclosed_brace_in_a_block_entry(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, BLOCK_UNCLOSED_BRACE)
    symbols, folds = await symbols_and_folds(client)
    assert symbols == [
        ("run", "job", (1, 0, 13, 22), (1, 0, 1, 3)),  # the run section, its kind as detail
        ("run.init", "2 init entries", (3, 2, 8, 17), (3, 2, 3, 6)),
        ("  git", None, (4, 6, 5, 22), (4, 6, 4, 9)),
        ("  file", None, (6, 6, 8, 17), (6, 6, 6, 10)),
        ("run.worker.init", "1 init entry", (11, 4, 13, 22), (11, 4, 11, 8)),
        ("  artifacts", None, (12, 8, 13, 22), (12, 8, 12, 17)),
    ]
    assert folds == [(3, 8), (4, 5), (6, 8), (11, 13), (12, 13)]


async def test_unclosed_brace_in_a_flow_entry(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, FLOW_UNCLOSED_BRACE)
    symbols, folds = await symbols_and_folds(client)
    assert symbols == [
        ("run", "job", (1, 0, 9, 56), (1, 0, 1, 3)),
        ("run.init", "2 init entries", (3, 2, 6, 19), (3, 2, 3, 6)),
        # 57 code points, 58 UTF-16 units: the entry ends after `repo`, the last thing it holds
        ("  git (connection: repo)", None, (4, 6, 4, 58), (4, 7, 4, 10)),
        ("  file", None, (5, 6, 6, 19), (5, 7, 5, 11)),
        ("run.worker.init", "2 init entries", (9, 4, 9, 56), (9, 4, 9, 8)),
        ("  artifacts", None, (9, 11, 9, 38), (9, 12, 9, 21)),
        ("  git", None, (9, 40, 9, 55), (9, 41, 9, 44)),
    ]
    assert folds == [(3, 6), (5, 6)]


async def test_unclosed_quotes(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, UNCLOSED_QUOTES)
    symbols, folds = await symbols_and_folds(client)
    assert symbols == [
        ("run", "job", (1, 0, 7, 31), (1, 0, 1, 3)),
        ("run.init", "3 init entries", (3, 2, 7, 31), (3, 2, 3, 6)),
        ("  git", None, (4, 6, 5, 33), (4, 6, 4, 9)),  # the 😀 on line 5 counts two units
        ("  file", None, (6, 6, 6, 36), (6, 6, 6, 10)),  # the quote runs to the end of its line
        ("  artifacts", None, (7, 6, 7, 31), (7, 6, 7, 15)),
    ]
    assert folds == [(3, 7), (4, 5)]


async def test_outline_follows_the_edits(client: LanguageClient) -> None:
    """Parsing, broken, parsing again: the parsing versions give the exact reading, each version its own."""
    fixed = FLOW_UNCLOSED_BRACE.replace("connection: repo\n", "connection: repo}\n")
    open_doc(client, POLYAXONFILE_URI, fixed)
    exact = await symbols_and_folds(client)
    assert [row[0] for row in exact[0]] == [
        "run",
        "run.init",
        "  git (connection: repo)",
        "  file",
        "run.worker.init",
        "  artifacts",
        "  git",
    ]
    assert exact[0][2][2] == (4, 6, 4, 59)  # the exact reading: the entry ends after its `}`
    change_doc(client, POLYAXONFILE_URI, 2, FLOW_UNCLOSED_BRACE)
    broken = await symbols_and_folds(client)
    assert broken[0][2] == ("  git (connection: repo)", None, (4, 6, 4, 58), (4, 7, 4, 10))
    change_doc(client, POLYAXONFILE_URI, 3, fixed)
    assert await symbols_and_folds(client) == exact


async def test_little_readable(client: LanguageClient) -> None:
    """An unclosed empty init list, and a line of 30,000 dashes: what can be read, no error."""
    open_doc(client, POLYAXONFILE_URI, "kind: component\nrun: {kind: job, init: [\n")
    assert await symbols_and_folds(client) == (
        [("run", "job", (1, 0, 1, 24), (1, 0, 1, 3)), ("run.init", "0 init entries", (1, 17, 1, 24), (1, 17, 1, 21))],
        [],
    )
    change_doc(client, POLYAXONFILE_URI, 2, "kind: component\nrun:\n  init:\n    " + "- " * 30000 + "{\n")
    assert await symbols_and_folds(client) == ([("run", None, (1, 0, 3, 60005), (1, 0, 1, 3))], [])

"""Hover, outline and folding in flow style: the same answers as in block style."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import POLYAXONFILE_URI, as_tuple, hover_on, open_doc

BLOCK = """\
kind: component
run:
  kind: job
  init:
    - git:
        url: https://github.com/org/repo
    - file:
        content: echo
        kind: csv
        chmod: "{{ params.mode }}"
"""

FLOW = """\
kind: component
run:
  kind: job
  init:
    - git: {url: https://github.com/org/repo}
    - {file: {content: echo,
        kind: csv, chmod: "{{ params.mode }}"}}
"""


@pytest.mark.parametrize(
    ("block_at", "flow_at", "flow_range"),
    [
        ((4, 7), (4, 7), (4, 6, 4, 9)),  # git
        ((5, 9), (4, 13), (4, 12, 4, 15)),  # url
        ((6, 7), (5, 8), (5, 7, 5, 11)),  # file
        ((7, 9), (5, 15), (5, 14, 5, 21)),  # content
        ((8, 9), (6, 9), (6, 8, 6, 12)),  # kind, on the flow mapping's second line
        ((8, 15), (6, 14), (6, 14, 6, 17)),  # the enum value csv
        ((9, 20), (6, 28), (6, 26, 6, 45)),  # a template
    ],
)
async def test_flow_hover_as_block_hover(
    client: LanguageClient, block_at: tuple[int, int], flow_at: tuple[int, int], flow_range: tuple[int, ...]
) -> None:
    block = await hover_on(client, BLOCK, *block_at)
    flow = await hover_on(client, FLOW, *flow_at)
    assert block is not None and flow is not None
    assert isinstance(flow.contents, lsp.MarkupContent)
    assert flow.contents == block.contents
    assert flow.range is not None and as_tuple(flow.range) == flow_range


async def test_flow_hover_in_a_broken_file(client: LanguageClient) -> None:
    broken = "kind: component\nrun:\n  kind: job\n  init:\n    - git: {url: x, revision: main\n"
    result = await hover_on(client, broken, 4, 23)
    assert result is not None and result.contents.value.startswith("**revision**")
    assert await hover_on(client, broken, 4, 19) is None  # the plain value `x`


OUTLINE = """\
kind: component
run:
  kind: job
  init: [{git: {url: "https://github.com/org/repo"}, connection: repo},
         {artifacts: {dirs: [data]}}]
  worker:
    init:
      - {file: {content: x,
          kind: csv}}
      - git: {url: y}
"""


async def test_flow_outline(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, OUTLINE)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI))
    )
    assert symbols is not None
    assert [(s.name, s.detail) for s in symbols] == [
        ("run", "job"),  # the run section (tests/lsp/test_outline_sections.py)
        ("run.init", "2 init entries"),
        ("run.worker.init", "2 init entries"),
    ]
    _, first, second = symbols
    assert isinstance(first, lsp.DocumentSymbol) and isinstance(second, lsp.DocumentSymbol)
    assert [(c.name, as_tuple(c.selection_range)) for c in first.children or []] == [
        ("git (connection: repo)", (3, 10, 3, 13)),
        ("artifacts", (4, 10, 4, 19)),
    ]
    file_entry = (second.children or [])[0]
    assert (file_entry.name, file_entry.range.start.line, file_entry.range.end.line) == ("file", 7, 8)


async def test_flow_folding(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, OUTLINE)
    ranges = await client.text_document_folding_range_async(
        lsp.FoldingRangeParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI))
    )
    assert ranges is not None
    assert sorted((r.start_line, r.end_line) for r in ranges) == [(3, 4), (6, 9), (7, 8)]

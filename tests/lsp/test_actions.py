"""Quick fixes (split, did-you-mean, quote, camelCase rename), document symbols, folding."""

from __future__ import annotations

import yaml
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.validate import validate_text

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc, rng

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
    - file:
        content: echo
  container:
    image: python:3.11
"""


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply non-overlapping edits given in UTF-16 units (ASCII texts here)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
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


def edited(action: lsp.CodeAction, text: str) -> str:
    assert action.edit is not None and action.edit.changes is not None
    return apply(text, list(action.edit.changes[POLYAXONFILE_URI]))


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
    assert edited(action, before) == "run:\n  kind: job\n  init:\n  - git: {url: u}\n    path: /p\n  - paths: [a]\n"


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
    [init] = symbols
    assert isinstance(init, lsp.DocumentSymbol)
    assert init.name == "run.init"
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
        ("run.worker.init", ["connection (connection: data)"]),
        ("run.chief.init", ["git (connection: repo)"]),
    ]

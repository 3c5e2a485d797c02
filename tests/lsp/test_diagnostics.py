"""Diagnostics: same as the core, UTF-16/8/32 ranges, push vs pull, debouncing, selection."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.validate import validate_text
from samples import ONE_HANDLER_MESSAGE, TWO_HANDLERS, VALID

from .helpers import POLYAXONFILE_URI, as_tuple, change_doc, open_doc, rng


async def test_one_handler_diagnostic(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, TWO_HANDLERS)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    assert len(diagnostics) == 1
    diagnostic = diagnostics[0]
    assert diagnostic.message == ONE_HANDLER_MESSAGE
    assert diagnostic.code == "one-handler"
    assert diagnostic.source == "plx"
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert as_tuple(diagnostic.range) == (6, 6, 6, 9)
    assert diagnostic.data == {"code": "one-handler", "handlers": ["artifacts", "git"]}


async def test_same_as_core(client: LanguageClient) -> None:
    text = """\
kind: component
run:
  kind: job
  init:
    - file:
        filname: x.sh
        content: echo
        chmod: 0755
    - connection: yes
    - dockerfile:
        image: python
        image: python:3
"""
    open_doc(client, POLYAXONFILE_URI, text)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    core = validate_text(text)
    assert [(d.code, d.message) for d in diagnostics] == [(d.code, d.message) for d in core]
    assert [as_tuple(d.range) for d in diagnostics] == [
        (d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column) for d in core
    ]
    severities = {d.code: d.severity for d in diagnostics}
    assert severities["duplicate-key"] == lsp.DiagnosticSeverity.Warning
    assert {"unknown-key", "type", "duplicate-key"} <= set(severities)


async def test_utf16_ranges_after_emoji_and_cjk(client: LanguageClient) -> None:
    text = (
        'kind: component\nrun:\n  kind: job\n  init:\n    - {file: {filename: "😀漢字", content: x}, git: {url: u}}\n'
    )
    open_doc(client, POLYAXONFILE_URI, text)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    [diagnostic] = [d for d in diagnostics if d.code == "one-handler"]
    line = text.splitlines()[4]
    code_points = line.index("git")
    assert code_points == 44
    # 😀 is two UTF-16 units: one more than its code point count
    assert as_tuple(diagnostic.range) == (4, code_points + 1, 4, code_points + 4)


async def test_yaml_syntax_error_position(client: LanguageClient) -> None:
    text = 'kind: component\nrun:\n  kind: job\n  init:\n    - git: {url: "😀 unclosed\n'
    open_doc(client, POLYAXONFILE_URI, text)
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 1)
    assert [d.code for d in diagnostics] == ["yaml-syntax"]
    core = validate_text(text)[0]
    assert diagnostics[0].message == core.message
    assert diagnostics[0].range.start.line == core.range.start.line


async def test_incremental_edits_and_clear_on_close(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, VALID)
    assert await client.recorder.wait(POLYAXONFILE_URI, 1) == []
    # add a second handler to the entry: after `url: ...` line (line 5)
    change_doc(client, POLYAXONFILE_URI, 2, "      artifacts:\n        dirs: [d]\n", rng(6, 0, 6, 0))
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 2)
    assert [d.code for d in diagnostics] == ["one-handler"]
    assert as_tuple(diagnostics[0].range) == (6, 6, 6, 15)
    # delete it again
    change_doc(client, POLYAXONFILE_URI, 3, "", rng(6, 0, 8, 0))
    assert await client.recorder.wait(POLYAXONFILE_URI, 3) == []
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI)))
    await client.recorder.wait_cleared(POLYAXONFILE_URI)


async def test_other_yaml_files_get_nothing(client: LanguageClient) -> None:
    uri = "file:///work/project/.github/workflows/ci.yaml"
    text = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu\n"
    open_doc(client, uri, text)
    # a polyaxonfile opened afterwards is answered: the other one was skipped, not delayed
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    assert uri not in client.recorder.received
    position = lsp.Position(3, 3)
    document = lsp.TextDocumentIdentifier(uri)
    assert await client.text_document_hover_async(lsp.HoverParams(document, position)) is None
    assert await client.text_document_completion_async(lsp.CompletionParams(document, position)) is None


async def test_content_detection_without_polyaxon_name(client: LanguageClient) -> None:
    uri = "file:///work/project/train.yaml"
    open_doc(client, uri, "run:\n  kind: job\n  init:\n    - git: {}\n      file: {content: x}\n")
    diagnostics = await client.recorder.wait(uri, 1)
    assert "one-handler" in [d.code for d in diagnostics]


@pytest.mark.parametrize(
    "uri",
    [
        "file:///w/polyaxonfile.yml",
        "file:///w/polyaxonfile-train.yaml",
        "file:///w/train.plx.yaml",
        "file:///w/polyaxon/jobs/train.yml",
        "file:///w/.polyaxon/x.yaml",
    ],
)
async def test_name_globs(client: LanguageClient, uri: str) -> None:
    open_doc(client, uri, "name: x\ninit: 3\n")
    diagnostics = await client.recorder.wait(uri, 1)
    assert [d.code for d in diagnostics] == ["type"]


async def test_globs_from_configuration(client: LanguageClient) -> None:
    uri = "file:///work/project/configs/train.yaml"
    text = "name: x\ninit: 3\n"
    open_doc(client, uri, text)
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    assert uri not in client.recorder.received
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"plx": {"files": ["**/configs/*.yaml"]}})
    )
    diagnostics = await client.recorder.wait(uri, 1)
    assert [d.code for d in diagnostics] == ["type"]
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={"plx": {"files": []}}))
    await client.recorder.wait_cleared(uri)


UNCLOSED_FLOW = "kind: component\nrun:\n  kind: job\n  init:\n    - git: {url: x\n  container:\n    image: python\n"


async def test_related_information_when_the_client_supports_it(related_client: LanguageClient) -> None:
    client = related_client
    open_doc(client, POLYAXONFILE_URI, UNCLOSED_FLOW)
    [diagnostic] = await client.recorder.wait(POLYAXONFILE_URI, 1)  # type: ignore[attr-defined]
    [core] = validate_text(UNCLOSED_FLOW)
    assert (diagnostic.code, diagnostic.message) == (core.code, core.message)
    assert diagnostic.related_information is not None
    assert [(r.location.uri, as_tuple(r.location.range), r.message) for r in diagnostic.related_information] == [
        (POLYAXONFILE_URI, (5, 11, 5, 12), "a `,` or the closing `}` was expected here")
    ]
    assert [(r.range.start, r.range.end) for r in core.related] == [((5, 11), (5, 12))]


async def test_no_related_information_when_the_client_does_not_declare_it(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, UNCLOSED_FLOW)
    [diagnostic] = await client.recorder.wait(POLYAXONFILE_URI, 1)
    assert diagnostic.code == "yaml-syntax"
    assert diagnostic.related_information is None

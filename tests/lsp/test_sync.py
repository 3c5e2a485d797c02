"""Position encodings, pull diagnostics, initialize reply, capabilities."""

from __future__ import annotations

import asyncio
import time

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from jsonrpc_client import Client
from samples import TWO_HANDLERS, VALID

from .helpers import POLYAXONFILE_URI, SERVER_COMMAND, as_tuple, change_doc, open_doc, rng

LINE = '    - {file: {filename: "😀漢字", content: x}, git: {url: u}}'
TEXT = f"kind: component\nrun:\n  kind: job\n  init:\n{LINE}\n"


async def test_capabilities(client: LanguageClient) -> None:
    capabilities = client.init_result.capabilities
    assert capabilities.position_encoding == "utf-16"
    sync = capabilities.text_document_sync
    assert sync.change == lsp.TextDocumentSyncKind.Incremental
    assert capabilities.completion_provider is not None
    assert capabilities.hover_provider
    assert capabilities.document_symbol_provider
    assert capabilities.folding_range_provider
    assert client.init_result.server_info.name == "plx-lsp"


async def test_encodings(encoding_client: LanguageClient) -> None:
    client = encoding_client
    encoding = client.init_result.capabilities.position_encoding
    offered = client.capabilities.general.position_encodings
    expected = next(e for e in offered if e in ("utf-8", "utf-16", "utf-32"))
    assert encoding == expected
    open_doc(client, "file:///w/x.yaml", TEXT)
    diagnostics = await client.recorder.wait("file:///w/x.yaml", 1)
    [diagnostic] = [d for d in diagnostics if d.code == "one-handler"]
    column = LINE.index("git")
    prefix = LINE[:column]
    units = len(prefix.encode("utf-8")) if encoding == "utf-8" else len(prefix)
    assert as_tuple(diagnostic.range) == (4, units, 4, units + 3)
    # an incremental edit in the same units: replace `git` with `gut` (an unknown key now)
    change_doc(client, "file:///w/x.yaml", 2, "gut", rng(4, units, 4, units + 3))
    diagnostics = await client.recorder.wait("file:///w/x.yaml", 2)
    assert [d.code for d in diagnostics] == ["unknown-key"]
    assert as_tuple(diagnostics[0].range) == (4, units, 4, units + 3)


async def test_utf16_edit_after_emoji(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, TEXT)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    column = LINE.index("git") + 1  # UTF-16: the emoji counts twice
    change_doc(client, POLYAXONFILE_URI, 2, "gut", rng(4, column, 4, column + 3))
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 2)
    assert [(d.code, as_tuple(d.range)) for d in diagnostics] == [("unknown-key", (4, column, 4, column + 3))]


async def test_pull_diagnostics(pull_client: LanguageClient) -> None:
    client = pull_client
    assert client.init_result.capabilities.diagnostic_provider is not None
    open_doc(client, POLYAXONFILE_URI, TWO_HANDLERS)
    report = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI))
    )
    assert report.kind == "full"
    assert [(d.code, as_tuple(d.range)) for d in report.items] == [("one-handler", (6, 6, 6, 9))]
    unchanged = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), previous_result_id=report.result_id)
    )
    assert unchanged.kind == "unchanged"
    change_doc(client, POLYAXONFILE_URI, 2, VALID)
    report = await client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), previous_result_id=report.result_id)
    )
    assert report.kind == "full" and list(report.items) == []
    # never both: a round trip later, still nothing pushed
    await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(0, 0))
    )
    assert client.recorder.received == {}


async def test_push_client_gets_no_stale_results(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    change_doc(client, POLYAXONFILE_URI, 2, TWO_HANDLERS)
    change_doc(client, POLYAXONFILE_URI, 3, VALID)
    assert await client.recorder.wait(POLYAXONFILE_URI, 3) == []
    # debounced: version 2 was superseded before its turn and never published
    assert [p.version for p in client.recorder.received[POLYAXONFILE_URI]] == [1, 3]


def test_initialize_reply_time() -> None:
    """Cold start to the initialize reply (the heavy validator is imported lazily)."""
    with Client(SERVER_COMMAND) as server:
        _, received, result = server.timed_request("initialize", {"capabilities": {}}, 20)
    elapsed = received - server.spawned
    assert result["serverInfo"]["name"] == "plx-lsp"
    print(f"initialize reply after {elapsed * 1000:.0f} ms")
    assert elapsed < 3.0


def test_completion_is_not_queued_behind_validation() -> None:
    """After an edit of a long file, completion is answered while that version's validation
    (in a worker thread) is still running: the reply comes before the diagnostics."""
    entries = "".join(f"    - git:\n        url: https://github.com/org/repo-{i}\n" for i in range(3000))
    text = f"kind: component\nrun:\n  kind: job\n  init:\n    - \n{entries}"
    with Client(SERVER_COMMAND) as server:
        server.request("initialize", {"capabilities": {}}, 20)
        server.notify("initialized", {})
        document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": text}
        cursor = server.mark()
        server.notify("textDocument/didOpen", {"textDocument": document})
        server.wait_diagnostics(POLYAXONFILE_URI, cursor, 1)
        for version in (2, 3, 4):
            cursor = server.mark()
            change = {"range": {"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 6}}, "text": "g"}
            if version % 2:
                change = {
                    "range": {"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 7}},
                    "text": "",
                }
            server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": POLYAXONFILE_URI, "version": version}, "contentChanges": [change]},
            )
            position = {"line": 4, "character": 6 if version % 2 else 7}
            _, replied, result = server.timed_request(
                "textDocument/completion", {"textDocument": {"uri": POLYAXONFILE_URI}, "position": position}, 20
            )
            assert "git" in [item["label"] for item in result["items"]]
            published, _ = server.wait_diagnostics(POLYAXONFILE_URI, cursor, version)
            assert replied < published, f"version {version}: completion waited for the validation"
        server.close()


@pytest.mark.parametrize("flag", [["--version"]])
async def test_version_flag(flag: list[str]) -> None:
    process = await asyncio.create_subprocess_exec(*SERVER_COMMAND, *flag, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    assert out.decode().startswith("plx-lsp ")
    assert process.returncode == 0


async def test_edit_after_a_pause_is_validated_at_once(client: LanguageClient) -> None:
    """Each edit sent once the previous version's diagnostics are in (the pause a person makes)
    gets its own publication, without the old 200 ms debounce; versions come in order."""
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    latencies = []
    for version in range(2, 8):
        text = TWO_HANDLERS if version % 2 == 0 else VALID
        started = time.perf_counter()
        change_doc(client, POLYAXONFILE_URI, version, text)
        diagnostics = await client.recorder.wait(POLYAXONFILE_URI, version)
        latencies.append(time.perf_counter() - started)
        assert bool(diagnostics) == (text is TWO_HANDLERS)
    versions = [p.version for p in client.recorder.received[POLYAXONFILE_URI]]
    assert versions == list(range(1, 8))
    # the old scheduling waited 200 ms before every validation; the leading edge does not wait
    assert min(latencies) < 0.15, latencies

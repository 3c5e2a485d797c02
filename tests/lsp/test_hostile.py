"""Hostile sessions: malformed JSON-RPC, unknown documents, bad positions, stale versions, edit storms."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.validate import validate_text
from samples import TWO_HANDLERS, VALID

from .helpers import POLYAXONFILE_URI, SERVER_COMMAND, TIMEOUT, as_tuple, change_doc, open_doc, rng


class RawSession:
    """Talks JSON-RPC to the server over pipes, byte by byte."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> RawSession:
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(process)

    async def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        await self.process.stdin.drain()

    async def send_body(self, body: bytes) -> None:
        await self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_body(json.dumps({"jsonrpc": "2.0", **message}).encode())

    async def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        header = await asyncio.wait_for(self.process.stdout.readuntil(b"\r\n\r\n"), TIMEOUT)
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        body = await asyncio.wait_for(self.process.stdout.readexactly(length), TIMEOUT)
        return json.loads(body)

    async def reply_to(self, msg_id: Any) -> dict[str, Any]:
        """The response with `msg_id` (notifications in between are skipped)."""
        while True:
            message = await self.receive()
            if "method" not in message and message.get("id") == msg_id:
                return message

    async def close(self) -> int:
        await self.send({"id": 999, "method": "shutdown"})
        await self.reply_to(999)
        await self.send({"method": "exit"})
        return await asyncio.wait_for(self.process.wait(), TIMEOUT)


async def test_malformed_json_rpc() -> None:
    session = await RawSession.start()
    try:
        await session.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        assert "result" in await session.reply_to(1)
        await session.send({"method": "initialized", "params": {}})
        # not JSON at all
        await session.send_body(b"{this is not json")
        reply = await session.reply_to(None)
        assert reply["error"]["code"] == -32700
        # not UTF-8
        await session.send_body(b"\xff\xfe\x00garbage")
        assert (await session.reply_to(None))["error"]["code"] == -32700
        # headers without a length, then stray bytes: skipped
        await session.send_bytes(b"X-Nonsense: 1\r\n\r\n")
        # a request whose params do not fit the method
        await session.send({"id": 2, "method": "textDocument/hover", "params": {"position": "here"}})
        assert (await session.reply_to(2))["error"]["code"] == -32602
        # an unknown method
        await session.send({"id": 3, "method": "plx/doesNotExist", "params": {}})
        assert (await session.reply_to(3))["error"]["code"] == -32601
        # a notification with bad params: no reply, no death
        await session.send({"method": "textDocument/didOpen", "params": {"textDocument": 5}})
        # still alive and answering with the right text
        await session.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
                },
            }
        )
        while True:
            message = await session.receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                break
        assert [d["code"] for d in message["params"]["diagnostics"]] == ["one-handler"]
        assert await session.close() == 0
    finally:
        if session.process.returncode is None:
            session.process.kill()
            await session.process.wait()


async def test_unknown_documents(client: LanguageClient) -> None:
    unknown = lsp.TextDocumentIdentifier("file:///nowhere/polyaxonfile.yaml")
    position = lsp.Position(0, 0)
    assert await client.text_document_hover_async(lsp.HoverParams(unknown, position)) is None
    assert await client.text_document_completion_async(lsp.CompletionParams(unknown, position)) is None
    assert await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(unknown)) is None
    assert await client.text_document_folding_range_async(lsp.FoldingRangeParams(unknown)) is None
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(unknown, rng(0, 0, 0, 1), lsp.CodeActionContext(diagnostics=[]))
    )
    assert actions is None
    change_doc(client, unknown.uri, 2, "kind: component\n")
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(unknown))
    open_doc(client, POLYAXONFILE_URI, TWO_HANDLERS)
    assert [d.code for d in await client.recorder.wait(POLYAXONFILE_URI, 1)] == ["one-handler"]
    assert unknown.uri not in client.recorder.received


async def test_out_of_range_positions(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    document = lsp.TextDocumentIdentifier(POLYAXONFILE_URI)
    for position in (lsp.Position(10_000, 0), lsp.Position(2, 10_000), lsp.Position(0, 2**31 - 1)):
        await client.text_document_hover_async(lsp.HoverParams(document, position))
        await client.text_document_completion_async(lsp.CompletionParams(document, position))
    # an edit far past the end appends at the end
    change_doc(client, POLYAXONFILE_URI, 2, "\nbogus: 1\n", rng(500, 0, 600, 3))
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 2)
    assert diagnostics and diagnostics[-1].code == "unknown-key"
    assert as_tuple(diagnostics[-1].range)[0] == len(VALID.splitlines()) + 1


async def test_stale_versions_are_ignored(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, VALID, version=5)
    assert await client.recorder.wait(POLYAXONFILE_URI, 5) == []
    change_doc(client, POLYAXONFILE_URI, 4, TWO_HANDLERS)  # older than what we have
    change_doc(client, POLYAXONFILE_URI, 5, TWO_HANDLERS)  # same version again
    change_doc(client, POLYAXONFILE_URI, 6, VALID.replace("url:", "ur1:"))
    diagnostics = await client.recorder.wait(POLYAXONFILE_URI, 6)
    assert [d.code for d in diagnostics] == [d.code for d in validate_text(VALID.replace("url:", "ur1:"))]
    assert "unknown-key" in [d.code for d in diagnostics]


async def test_thousand_rapid_edits(client: LanguageClient) -> None:
    open_doc(client, POLYAXONFILE_URI, VALID)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    text = VALID
    version = 1
    # type 1,000 characters one by one at the end of the document, a comment then entries
    typed = ("    - connection: c{0}\n      paths: [p]\n      git: {{url: u}}\n" * 40)[:1000]
    insert_at = VALID.index("  container:")
    line = VALID[:insert_at].count("\n")
    column = 0
    for char in typed:
        version += 1
        change_doc(client, POLYAXONFILE_URI, version, char, rng(line, column, line, column))
        text = text[:insert_at] + char + text[insert_at:]
        insert_at += 1
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
    final = await client.recorder.wait(POLYAXONFILE_URI, version)
    expected = validate_text(text)
    assert [(d.code, d.message) for d in final] == [(d.code, d.message) for d in expected]
    assert [as_tuple(d.range) for d in final] == [
        (d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column) for d in expected
    ]
    # debounced: far fewer publications than edits, the last one for the last version
    published = client.recorder.received[POLYAXONFILE_URI]
    assert len(published) < 50
    assert published[-1].version == version

"""Hostile sessions: malformed framing and JSON-RPC, lifecycle mistakes, unknown documents, bad
positions, stale versions, edit storms, huge inputs.

The raw sessions write bytes to `python -m plxinit` themselves (tests/jsonrpc_client.py). After
each mistake a normal request (pull diagnostics of a polyaxonfile) must still get its answer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from jsonrpc_client import Client
from plxinit.validate import validate_text
from samples import ONE_HANDLER_MESSAGE, TWO_HANDLERS, VALID

from .helpers import POLYAXONFILE_URI, TIMEOUT, as_tuple, change_doc, open_doc, rng

PULL_CAPABILITIES: dict[str, Any] = {"textDocument": {"diagnostic": {}}}
#: how long a raw session waits for one answer (a hang fails the test, it never blocks the suite)
WAIT = TIMEOUT


#: Hostile inputs run under a memory cap (address space), so a blow-up fails instead of swapping.
MEMORY_CAP = 1536 * 1024 * 1024
CAPPED_SERVER = [
    sys.executable,
    "-c",
    "import resource, runpy, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP})); "
    "sys.argv = ['plx-lsp']; runpy.run_module('plxinit', run_name='__main__')",
]


def start(initialize: bool = True) -> Client:
    client = Client(CAPPED_SERVER, name="plx-lsp")
    if initialize:
        client.request("initialize", {"processId": None, "capabilities": PULL_CAPABILITIES}, WAIT)
        client.notify("initialized", {})
        document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
        client.notify("textDocument/didOpen", {"textDocument": document})
    return client


@pytest.fixture
def raw() -> Iterator[Client]:
    client = start()
    yield client
    client.kill()


def assert_still_serving(client: Client) -> None:
    """A normal request gets its normal answer."""
    result = client.request("textDocument/diagnostic", {"textDocument": {"uri": POLYAXONFILE_URI}}, WAIT)
    assert [(d["code"], d["message"]) for d in result["items"]] == [("one-handler", ONE_HANDLER_MESSAGE)]


def error_of(reply: dict[str, Any]) -> tuple[Any, int, str]:
    return reply["id"], reply["error"]["code"], reply["error"]["message"]


# ---------------------------------------------------------------------- framing
SHUTDOWN = b'{"jsonrpc":"2.0","id":7,"method":"shutdown"}'  # must never be obeyed when badly framed

FRAMING = {
    "non-numeric length": (
        b"Content-Length: abc\r\n\r\n" + SHUTDOWN,
        "Parse error: Content-Length is not a non-negative integer: 'abc'",
    ),
    "negative length": (
        b"Content-Length: -44\r\n\r\n" + SHUTDOWN,
        "Parse error: Content-Length is not a non-negative integer: '-44'",
    ),
    "missing length": (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + SHUTDOWN,
        "Parse error: a header block without Content-Length",
    ),
    "duplicate length": (
        b"Content-Length: 45\r\nContent-Length: 46\r\n\r\n" + SHUTDOWN,
        "Parse error: Content-Length given twice",
    ),
    "LF-only headers": (
        b"Content-Length: 45\n\n" + SHUTDOWN,
        "Parse error: header lines must end with CRLF (\\r\\n), not a bare LF",
    ),
    "body shorter than announced": (
        b"Content-Length: 500\r\n\r\n" + SHUTDOWN,
        "Parse error: a body shorter than its Content-Length (44 of 500 bytes)",
    ),
    "body longer than announced": (
        b"Content-Length: 41\r\n\r\n" + b'{"jsonrpc":"2.0","method":"$/plxNothing"}' + b"}}",
        "Parse error: bytes that are not a header where a message should start",
    ),
    "100 GB length": (
        b"Content-Length: 100000000000\r\n\r\n" + SHUTDOWN,
        "Parse error: Content-Length 100000000000 is over the limit of 268435456 bytes",
    ),
    "not JSON": (b"Content-Length: 17\r\n\r\n{this is not json", None),
    "not UTF-8": (b"Content-Length: 10\r\n\r\n\xff\xfe\x00garbage", None),
}


@pytest.mark.parametrize("data, message", FRAMING.values(), ids=FRAMING.keys())
def test_malformed_framing_gets_a_parse_error_and_the_server_resynchronises(
    raw: Client, data: bytes, message: str | None
) -> None:
    raw.send_bytes(data)
    assert_still_serving(raw)  # the next well-framed request is read and answered
    reply_id, code, text = error_of(raw.null_id_reply(WAIT))
    assert (reply_id, code) == (None, -32700)
    if message is not None:
        assert text == message
    else:
        assert text.startswith("Parse error: the body is not UTF-8 JSON (")
    assert raw.null_id_replies == []  # one reply per mistake
    assert raw.close() == 0  # the badly framed shutdown (id 7) was never obeyed


def test_an_absurd_length_is_refused_without_allocating_it(raw: Client) -> None:
    assert_still_serving(raw)  # fully started (the fast start answers initialize before its imports)
    before = raw.status_kib("VmHWM")
    raw.send_bytes(b"Content-Length: 100000000000\r\n\r\n" + b"x" * 100_000)
    assert_still_serving(raw)
    assert error_of(raw.null_id_reply(WAIT))[1] == -32700
    after = raw.status_kib("VmHWM")
    assert before is not None and after is not None
    assert after - before < 50 * 1024  # KiB: nowhere near 100 GB, nor the 100 kB of junk times anything


# ---------------------------------------------------------------------- JSON-RPC envelopes
INVALID = {
    "empty array": (b"[]", None, "Invalid request: batches (a JSON array) are not supported"),
    "batch": (b"[" + SHUTDOWN + b"]", None, "Invalid request: batches (a JSON array) are not supported"),
    "number": (b"42", None, "Invalid request: the message must be a JSON object, not a number"),
    "string": (b'"hello"', None, "Invalid request: the message must be a JSON object, not a string"),
    "null": (b"null", None, "Invalid request: the message must be a JSON object, not null"),
    "empty object": (b"{}", None, 'Invalid request: "jsonrpc": "2.0" is missing'),
    "missing jsonrpc": (b'{"id":7,"method":"shutdown"}', 7, 'Invalid request: "jsonrpc": "2.0" is missing'),
    "wrong jsonrpc": (
        b'{"jsonrpc":"1.0","id":7,"method":"shutdown"}',
        7,
        'Invalid request: "jsonrpc" must be "2.0", not \'1.0\'',
    ),
    "object id": (
        b'{"jsonrpc":"2.0","id":{"n":7},"method":"shutdown"}',
        None,
        'Invalid request: "id" must be an integer or a string, not an object',
    ),
    "boolean id": (
        b'{"jsonrpc":"2.0","id":true,"method":"shutdown"}',
        None,
        'Invalid request: "id" must be an integer or a string, not a boolean',
    ),
    "method not a string": (
        b'{"jsonrpc":"2.0","id":7,"method":5}',
        7,
        'Invalid request: "method" must be a string, not a number',
    ),
    "params not structured": (
        b'{"jsonrpc":"2.0","id":7,"method":"shutdown","params":3}',
        7,
        'Invalid request: "params" must be an object or an array, not a number',
    ),
    "no method": (
        b'{"jsonrpc":"2.0","id":7}',
        7,
        'Invalid request: neither a request, a notification nor a response (no "method")',
    ),
}


@pytest.mark.parametrize("body, reply_id, message", INVALID.values(), ids=INVALID.keys())
def test_invalid_requests_get_invalid_request(raw: Client, body: bytes, reply_id: Any, message: str) -> None:
    raw.send_body(body)
    assert_still_serving(raw)
    reply = raw.reply(reply_id, WAIT) if reply_id is not None else raw.null_id_reply(WAIT)
    assert error_of(reply) == (reply_id, -32600, message)
    assert raw.close() == 0  # none of the invalid shutdowns was obeyed


def test_params_of_the_wrong_shape_get_invalid_params(raw: Client) -> None:
    raw.send({"id": 2, "method": "textDocument/hover", "params": {"position": "here"}})
    assert error_of(raw.reply(2, WAIT)) == (
        2,
        -32602,
        "Invalid params for textDocument/hover: required field missing @ $.params.text_document; "
        "invalid value for type, expected int @ $.params.position.line (and 1 more)",
    )
    raw.send({"id": 3, "method": "plx/doesNotExist", "params": {}})
    assert raw.reply(3, WAIT)["error"]["code"] == -32601
    raw.send({"method": "textDocument/didOpen", "params": {"textDocument": 5}})  # no reply, no death
    assert_still_serving(raw)
    assert raw.null_id_replies == []


def test_client_mistakes_are_logged_in_one_line_each() -> None:
    client = start()
    try:
        mistakes = [
            b"Content-Length: abc\r\n\r\n{}",
            b"Content-Length: 8\r\n\r\n{notjson",
            b"Content-Length: 2\r\n\r\n[]",
        ]
        for data in mistakes:
            client.send_bytes(data)
        client.send({"id": 9, "method": 1})
        client.send({"id": 10, "method": "textDocument/hover", "params": {"position": "here"}})
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": 5}})
        assert_still_serving(client)
        assert client.close() == 0
        log = client.stderr_text(wait=True)
    finally:
        client.kill()
    assert "Traceback" not in log
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) == 6, log
    assert all(line.startswith("plx-lsp: ") for line in lines), log


# ---------------------------------------------------------------------- lifecycle
def test_a_request_before_initialize_gets_server_not_initialized() -> None:
    client = start(initialize=False)
    try:
        client.send({"id": 1, "method": "textDocument/hover", "params": {}})
        assert error_of(client.reply(1, WAIT)) == (1, -32002, "textDocument/hover before initialize")
        client.send({"id": 2, "method": "shutdown"})
        assert error_of(client.reply(2, WAIT)) == (2, -32002, "shutdown before initialize")
        client.send({"id": 4, "method": "initialize", "params": {"capabilities": 5}})  # unreadable: not initialized
        assert error_of(client.reply(4, WAIT))[:2] == (4, -32602)
        client.send({"id": 5, "method": "textDocument/hover", "params": {}})
        assert error_of(client.reply(5, WAIT)) == (5, -32002, "textDocument/hover before initialize")
        result = client.request("initialize", {"processId": None, "capabilities": PULL_CAPABILITIES}, WAIT)
        assert result["capabilities"]["diagnosticProvider"]["identifier"] == "plx"
        client.send({"id": 3, "method": "initialize", "params": {"capabilities": {}}})
        assert error_of(client.reply(3, WAIT)) == (3, -32600, "initialize was already received")
        document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
        client.notify("textDocument/didOpen", {"textDocument": document})
        assert_still_serving(client)
        assert client.close() == 0
    finally:
        client.kill()


def test_a_request_after_shutdown_gets_invalid_request(raw: Client) -> None:
    raw.send({"id": 1001, "method": "shutdown"})
    assert raw.reply(1001, WAIT) == {"jsonrpc": "2.0", "id": 1001, "result": None}
    raw.send({"id": 5, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": POLYAXONFILE_URI}}})
    assert error_of(raw.reply(5, WAIT)) == (
        5,
        -32600,
        "textDocument/diagnostic after shutdown: only exit is allowed",
    )
    raw.notify("exit", None)
    assert raw.wait_exit(WAIT) == 0


def test_exit_without_shutdown_exits_with_code_1(raw: Client) -> None:
    assert_still_serving(raw)
    raw.notify("exit", None)
    assert raw.wait_exit(WAIT) == 1


def test_end_of_input_without_exit_ends_the_server(raw: Client) -> None:
    assert_still_serving(raw)
    assert raw.wait_exit(WAIT) == 1  # stdin closed without shutdown: not a clean end


# ---------------------------------------------------------------------- memory and time bounds
def pull(client: Client, uri: str, text: str) -> list[dict[str, Any]]:
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
    )
    result = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, WAIT)
    return list(result["items"])


def close_doc(client: Client, uri: str) -> None:
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert_still_serving(client)  # the close has been handled


def string_alias_bomb(length: int) -> str:
    """A 100 kB-ish text whose aliases expand to 1,000 copies of one string."""
    return (
        f'kind: component\na: &a "{"x" * length}"\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "run:\n  kind: job\n  init:\n    - file: {filename: f, content: *d}\n"
    )


def test_memory_is_given_back_after_did_close(raw: Client) -> None:
    assert_still_serving(raw)
    baseline = raw.status_kib("VmRSS")
    uri = "file:///work/project/bomb/polyaxonfile.yaml"
    diagnostics = pull(raw, uri, string_alias_bomb(60_000))  # 127 M characters expanded, under the reader's limit
    assert [d["code"] for d in diagnostics][-1] == "type"  # `content` must be a string, not a list
    peak = raw.status_kib("VmHWM")
    close_doc(raw, uri)
    after = raw.status_kib("VmRSS")
    assert baseline is not None and peak is not None and after is not None
    assert peak - baseline > 50 * 1024, "the bomb did not cost memory: the test proves nothing"
    assert after - baseline < 25 * 1024, f"RSS {baseline} KiB before, {peak} at the peak, {after} after didClose"


def test_a_huge_hex_integer_gives_a_diagnostic(raw: Client) -> None:
    uri = "file:///work/project/hex/polyaxonfile.yaml"
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - file:\n        filename: a\n        content: x\n"
    text += "        chmod: 0x" + "f" * 5000 + "\n"
    [diagnostic] = pull(raw, uri, text)
    assert diagnostic["code"] == "type"
    assert diagnostic["range"] == {"start": {"line": 7, "character": 15}, "end": {"line": 7, "character": 5017}}
    assert diagnostic["message"].startswith("`chmod` must be a string, not an integer.")
    assert_still_serving(raw)


def test_content_detection_of_a_large_document_does_not_block_the_server(raw: Client) -> None:
    """A large YAML file that is not a polyaxonfile by name: detected by content, and silent."""
    uri = "file:///work/project/big/values.yaml"
    text = "app: demo\nitems:\n" + "  - {name: item, value: 1}\n" * 200_000  # ~5 MB
    assert pull(raw, uri, text) == []
    params = {"textDocument": {"uri": uri}, "position": {"line": 100_000, "character": 4}}
    assert raw.request("textDocument/completion", params, WAIT) is None
    assert_still_serving(raw)


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

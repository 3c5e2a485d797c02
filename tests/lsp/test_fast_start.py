"""Fast start (plxinit.lsp.bootstrap): the early `initialize` answer is pygls' own, only faster.

Raw stdio sessions against `python -m plxinit`, with the fast path (the default) and without
it (`PLX_LSP_NO_FAST_START=1`).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pygls.protocol import default_converter

from plxinit.lsp.bootstrap import DISABLE_ENV
from samples import ONE_HANDLER_MESSAGE, TWO_HANDLERS

from .helpers import POLYAXONFILE_URI, SERVER_COMMAND, TIMEOUT, capabilities


def _plain(value: Any) -> Any:
    """lsprotocol capabilities as the JSON a client sends."""
    return json.loads(json.dumps(default_converter().unstructure(value)))


CAPABILITIES = {
    "none": {},
    "utf-8": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
    "utf-32": {"general": {"positionEncodings": ["utf-32"]}},
    "unknown-encodings": {"general": {"positionEncodings": ["utf-7"]}},
    "pull": _plain(capabilities(pull=True)),
    "snippets": _plain(capabilities(snippets=True)),
    "no-snippets": _plain(capabilities(snippets=False)),
    "will-save": {"textDocument": {"synchronization": {"willSave": True, "willSaveWaitUntil": False}}},
    "workspace-and-notebooks": {
        "workspace": {
            "fileOperations": {"willCreate": True, "didRename": True},
            "diagnostics": {"refreshSupport": True},
        },
        "notebookDocument": {"synchronization": {}},
    },
}


def initialize(caps: dict[str, Any], msg_id: int = 1) -> dict[str, Any]:
    return {
        "id": msg_id,
        "method": "initialize",
        "params": {
            "processId": None,
            "rootUri": "file:///work/project",
            "workspaceFolders": [{"uri": "file:///work/project", "name": "project"}],
            "initializationOptions": {"files": ["**/polyaxonfile*.yaml"]},
            "capabilities": caps,
        },
    }


class Session:
    """A server process spoken to over raw stdio (we write the framing)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, *, fast: bool = True, pythonpath: Path | None = None) -> Session:
        env = {key: value for key, value in os.environ.items() if key != DISABLE_ENV}
        if not fast:
            env[DISABLE_ENV] = "1"
        if pythonpath is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
        )
        return cls(process)

    async def send_body(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await self.process.stdin.drain()

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_body(json.dumps({"jsonrpc": "2.0", **message}).encode())

    async def receive(self) -> dict[str, Any] | None:
        """The next message, None at end of output."""
        assert self.process.stdout is not None
        try:
            header = await asyncio.wait_for(self.process.stdout.readuntil(b"\r\n\r\n"), TIMEOUT)
        except asyncio.IncompleteReadError:
            return None
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        return json.loads(await asyncio.wait_for(self.process.stdout.readexactly(length), TIMEOUT))

    async def reply_to(self, msg_id: Any) -> dict[str, Any]:
        while True:
            message = await self.receive()
            assert message is not None, f"no reply to {msg_id}"
            if "method" not in message and message.get("id") == msg_id:
                return message

    async def close(self) -> list[dict[str, Any]]:
        """shutdown + exit; every message received until the server's output ends."""
        await self.send({"id": 999, "method": "shutdown"})
        await self.send({"method": "exit"})
        messages = []
        while (message := await self.receive()) is not None:
            messages.append(message)
        await asyncio.wait_for(self.process.wait(), TIMEOUT)
        return messages

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()  # reaped while the event loop still runs


async def initialize_reply(caps: dict[str, Any], *, fast: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The initialize reply and every message after it (until exit)."""
    session = await Session.start(fast=fast)
    try:
        await session.send(initialize(caps))
        reply = await session.reply_to(1)
        await session.send({"method": "initialized", "params": {}})
        return reply, await session.close()
    finally:
        await session.kill()


@pytest.mark.parametrize("caps", CAPABILITIES.values(), ids=CAPABILITIES.keys())
async def test_early_answer_is_pygls_answer(caps: dict[str, Any]) -> None:
    fast, fast_rest = await initialize_reply(caps, fast=True)
    slow, slow_rest = await initialize_reply(caps, fast=False)
    assert "result" in slow
    assert fast == slow
    # pygls' own reply to the same initialize was swallowed: one reply in all
    assert [m for m in fast_rest if m.get("id") == 1 and "method" not in m] == []
    assert fast_rest == slow_rest


async def test_answers_before_importing_lsprotocol(tmp_path: Path) -> None:
    """With an lsprotocol that cannot be imported, only the fast path still answers."""
    (tmp_path / "lsprotocol").mkdir()
    (tmp_path / "lsprotocol" / "__init__.py").write_text("raise ImportError('blocked by the test')\n")
    expected, _ = await initialize_reply(CAPABILITIES["utf-32"], fast=False)
    for fast in (True, False):
        session = await Session.start(fast=fast, pythonpath=tmp_path)
        try:
            await session.send(initialize(CAPABILITIES["utf-32"]))
            reply = await session.receive()
        finally:
            await session.kill()
        assert reply == (expected if fast else None)


async def test_first_message_not_initialize_takes_the_plain_path() -> None:
    session = await Session.start()
    try:
        await session.send_body(b"{this is not json")  # replayed to pygls: it replies ParseError
        assert (await session.reply_to(None))["error"]["code"] == -32700
        await session.send(initialize(CAPABILITIES["utf-8"]))
        reply = await session.reply_to(1)
        assert reply["result"]["capabilities"]["positionEncoding"] == "utf-8"
        rest = await session.close()
        assert [m for m in rest if m.get("id") == 1] == []
    finally:
        await session.kill()


@pytest.mark.parametrize("pull", [False, True], ids=["push", "pull"])
async def test_session_works_after_fast_initialize(pull: bool) -> None:
    session = await Session.start()
    try:
        await session.send(initialize(_plain(capabilities(pull=pull))))
        await session.reply_to(1)
        await session.send({"method": "initialized", "params": {}})
        document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
        await session.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
        if pull:
            params = {"textDocument": {"uri": POLYAXONFILE_URI}}
            await session.send({"id": 2, "method": "textDocument/diagnostic", "params": params})
            diagnostics = (await session.reply_to(2))["result"]["items"]
        else:
            while (message := await session.receive()) is not None:
                if message.get("method") == "textDocument/publishDiagnostics":
                    break
            assert message is not None
            diagnostics = message["params"]["diagnostics"]
        assert [(d["code"], d["message"]) for d in diagnostics] == [("one-handler", ONE_HANDLER_MESSAGE)]
        await session.close()
    finally:
        await session.kill()


async def _cold_start(fast: bool) -> float:
    """Seconds from spawning the server to reading its initialize reply."""
    started = time.perf_counter()
    session = await Session.start(fast=fast)
    try:
        await session.send(initialize(CAPABILITIES["utf-8"]))
        await session.reply_to(1)
        return time.perf_counter() - started
    finally:
        await session.kill()


async def test_cold_start_is_faster() -> None:
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(5):  # interleaved, so load changes hit both alike
        for fast in (True, False):
            times[fast].append(await _cold_start(fast))
    fast, slow = statistics.median(times[True]), statistics.median(times[False])
    print(f"\ncold start to the initialize reply (median of 5): fast {fast * 1000:.0f} ms, slow {slow * 1000:.0f} ms")
    sys.stdout.flush()
    assert fast < slow

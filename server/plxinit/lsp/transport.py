"""plx-lsp's reading loop (stdio or one TCP connection), in place of pygls' own.

pygls' reader trusts its client: a malformed header, a short body or an absurd length wedges
it for good, and invalid envelopes or lifecycle mistakes get no reply. Here every message
goes through, in order: framing (`framing.FrameParser`), JSON decoding, the JSON-RPC 2.0
envelope and the LSP lifecycle (`envelope`), lsprotocol's structuring (`PlxProtocol`), and
only then pygls' dispatch. Each client mistake gets the reply JSON-RPC prescribes (ParseError,
InvalidRequest, InvalidParams, ServerNotInitialized) and one log line, never a traceback.
`exit` ends the process with LSP's code (0 after `shutdown`, else 1).

Bytes are read in a thread (stdin) or by asyncio (TCP) and handled on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from . import envelope
from .framing import Frame, FrameParser
from .protocol import InvalidMessage

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("plx-lsp")

_CHUNK = 1 << 16


class Connection:
    """One client: turns received bytes into pygls dispatches and error replies."""

    def __init__(self, server: LanguageServer, done: asyncio.Future[int]) -> None:
        self.server = server
        self.protocol = server.protocol
        self.parser = FrameParser()
        self.lifecycle = envelope.Lifecycle()
        self._done = done

    # ------------------------------------------------------------------ input
    def receive(self, data: bytes) -> None:
        """Handle the bytes just read (after `exit`, nothing more is read)."""
        for event in self.parser.feed(data):
            if self._done.done():
                return
            if isinstance(event, Frame):
                self._message(event.body)
            else:
                self._refuse(None, envelope.PARSE_ERROR, f"Parse error: {event.reason}")

    def end_of_input(self) -> None:
        if not self._done.done():
            if not self.lifecycle.shut_down:
                log.warning("the client closed the connection without shutdown and exit")
            self._done.set_result(self.lifecycle.exit_code)

    def _message(self, body: bytes) -> None:
        try:
            message = json.loads(body)
        except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
            self._refuse(None, envelope.PARSE_ERROR, f"Parse error: the body is not UTF-8 JSON ({_first_line(error)})")
            return
        reason = envelope.problem(message)
        if reason is not None:
            self._refuse(envelope.reply_id(message), envelope.INVALID_REQUEST, f"Invalid request: {reason}")
            return
        is_request = "method" in message and "id" in message
        refused = self.lifecycle.refuse(message)
        if refused is not None:
            code, reason = refused
            if is_request:
                self._refuse(message["id"], code, reason)
            else:
                log.warning("dropped a notification: %s", reason)
            return
        if message.get("method") == "exit":
            self._done.set_result(self.lifecycle.exit_code)
            return
        try:
            structured = self.protocol.structure_message(message)
        except InvalidMessage as error:
            what = message.get("method", "a response")
            if is_request:
                self._refuse(message["id"], envelope.INVALID_PARAMS, f"Invalid params for {what}: {error}")
            else:
                log.warning("ignored %s with invalid params: %s", what, error)
            return
        if message.get("method") == "initialize":
            self.lifecycle.initialized = True
        try:
            self.protocol.handle_message(structured)
        except Exception as error:  # a bug of ours: log it, keep serving
            log.exception("failed to handle %s: %s", message.get("method", "a response"), error)

    def _refuse(self, msg_id: envelope.MsgId | None, code: int, reason: str) -> None:
        log.warning("client error (%d): %s", code, reason)
        self.protocol.send_message(envelope.error_reply(msg_id, code, reason))  # type: ignore[attr-defined]


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# ---------------------------------------------------------------------- stdio
def _read_stdin(fd: int, loop: asyncio.AbstractEventLoop, connection: Connection) -> None:
    """The reader thread: hand every chunk of stdin to the event loop, then the end."""
    try:
        while data := os.read(fd, _CHUNK):
            loop.call_soon_threadsafe(connection.receive, data)
    except OSError as error:
        log.warning("reading stdin failed: %s", error)
    except RuntimeError:  # the loop is closed: the server is exiting
        return
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(connection.end_of_input)


def serve_stdio(server: LanguageServer, replay: bytes, stdout: Any) -> int:
    """Serve on stdin/stdout until `exit` or the end of stdin; the process exit code.

    `replay`: bytes the fast start already read from stdin (they come first).
    """
    from pygls.io_ import StdoutWriter

    async def main() -> int:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()
        connection = Connection(server, done)
        server.protocol.set_writer(StdoutWriter(stdout))
        if replay:
            connection.receive(replay)
        threading.Thread(
            target=_read_stdin, args=(sys.stdin.fileno(), loop, connection), name="plx-stdin", daemon=True
        ).start()
        return await done

    try:
        return asyncio.run(main())
    except BrokenPipeError:
        log.warning("the client closed its end of the connection")
        return 1


# ---------------------------------------------------------------------- TCP
def serve_tcp(server: LanguageServer, host: str, port: int) -> int:
    """Listen on host:port, serve the first client until `exit` or it disconnects; the exit code.

    Prints `plx-lsp: listening on HOST:PORT` (the real port when 0 was asked) to stderr once
    the socket is bound. Raises OSError when it cannot listen.
    """

    async def main() -> int:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()
        busy = False

        async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal busy
            if busy:  # one client per server process, as over stdio
                writer.close()
                return
            busy = True
            connection = Connection(server, done)
            server.protocol.set_writer(writer)
            try:
                while not done.done() and (data := await reader.read(_CHUNK)):
                    connection.receive(data)
            except (ConnectionError, OSError) as error:
                log.warning("the connection failed: %s", error)
            connection.end_of_input()

        listener = await asyncio.start_server(client, host, port)
        bound = listener.sockets[0].getsockname()
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        print(f"plx-lsp: listening on {shown}:{bound[1]}", file=sys.stderr, flush=True)
        async with listener:
            return await done

    return asyncio.run(main())

"""Fast start: answer `initialize` before importing pygls/lsprotocol, then hand over to pygls.

Importing `lsprotocol.types` (which pygls needs) takes ~230 ms, most of plx-lsp's cold start.
Yet the `initialize` result depends only on the client's capabilities (the handlers and
their options are fixed in `server.py`), so it can be computed here with the stdlib alone:

1. `main()` (the plx-lsp entry point) calls `early_start()` in stdio mode, before importing
   `server.py`: it reads the first message from stdin and, if it is `initialize`, answers it.
2. `server.run()` then starts pygls over `io_streams()`: a stdin that replays that same message
   first (so pygls processes it as usual: client capabilities, position encoding, workspace
   folders, initializationOptions, our `initialize` handler) and a stdout that drops pygls'
   own (identical) reply to it. Everything else passes through untouched.

Anything unexpected (another first message, a shape we do not know, `--tcp`) takes the
plain path. `PLX_LSP_NO_FAST_START=1` disables it.
`tests/lsp/test_fast_start.py` checks that the early answer equals pygls' own: keep
`initialize_result` in step with the features `server.py` registers.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from .. import __version__

log = logging.getLogger("plx-lsp")

DISABLE_ENV = "PLX_LSP_NO_FAST_START"

#: pygls' own header pattern: a first message it would not read is not answered early.
_CONTENT_LENGTH = re.compile(rb"^Content-Length: (\d+)\r\n$")
#: Give up (and replay) on a header block this long: it is not a client's `initialize`.
_MAX_HEADER_LINES = 32

_ENCODINGS = ("utf-8", "utf-16", "utf-32")
_TEXT_DOCUMENT_SYNC_INCREMENTAL = 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="plx-lsp", description="Language server for Polyaxon init sections.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    parser.add_argument("--version", action="version", version=f"plx-lsp {__version__}")
    parser.add_argument("--log-file", help="write logs to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------- the result
def initialize_result(capabilities: Any) -> dict[str, Any] | None:
    """What pygls answers to `initialize` for our handlers, given the client's capabilities.

    None when the capabilities we look at do not have the LSP shape (pygls decides then).
    Mirrors pygls' `ServerCapabilitiesBuilder` for the features `server.py` registers.
    """
    if not isinstance(capabilities, dict):
        return None
    general = capabilities.get("general") or {}
    text_document = capabilities.get("textDocument") or {}
    if not isinstance(general, dict) or not isinstance(text_document, dict):
        return None
    offered = general.get("positionEncodings") or []
    sync = text_document.get("synchronization") or {}
    if not isinstance(offered, list) or not all(isinstance(e, str) for e in offered) or not isinstance(sync, dict):
        return None
    if any(sync.get(key) not in (None, True, False) for key in ("willSave", "willSaveWaitUntil")):
        return None

    # LSP: the first encoding the client offers that we support; UTF-16 otherwise.
    encoding = next((e for e in offered if e in _ENCODINGS), "utf-16")
    text_document_sync: dict[str, Any] = {"openClose": True, "change": _TEXT_DOCUMENT_SYNC_INCREMENTAL, "save": False}
    # pygls: willSave = <client's willSave> and <a willSave handler>: we have none, so the
    # flag is false when the client states it, and absent when the client does not.
    for key in ("willSave", "willSaveWaitUntil"):
        if sync.get(key) is not None:
            text_document_sync[key] = False
    return {
        "capabilities": {
            "positionEncoding": encoding,
            "textDocumentSync": text_document_sync,
            "completionProvider": {"triggerCharacters": [" ", "-", ":"]},
            "hoverProvider": True,
            "documentSymbolProvider": True,
            "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite"]},
            "foldingRangeProvider": True,
            "executeCommandProvider": {"commands": []},
            "workspace": {
                "workspaceFolders": {"supported": True, "changeNotifications": True},
                "fileOperations": {},
            },
            "diagnosticProvider": {"identifier": "plx", "interFileDependencies": False, "workspaceDiagnostics": False},
        },
        "serverInfo": {"name": "plx-lsp", "version": __version__},
    }


# ---------------------------------------------------------------------- the early answer
class _Early:
    """What `early_start` read from stdin (to replay) and the `initialize` id it answered."""

    def __init__(self, raw: bytes, answered_id: int | str | None) -> None:
        self.raw = raw
        self.answered_id = answered_id


_early: _Early | None = None


def _read_message(stdin: BinaryIO) -> tuple[bytes, Any]:
    """The raw bytes of the first message (headers and body) and its JSON (None if unusable)."""
    raw, length = b"", 0
    for _ in range(_MAX_HEADER_LINES):
        line = stdin.readline()
        raw += line
        if not line:
            return raw, None
        match = _CONTENT_LENGTH.fullmatch(line) if not length else None
        if match:
            length = int(match.group(1))
        if not line.strip():
            break
    else:
        return raw, None
    if not length:
        return raw, None
    body = stdin.read(length)
    raw += body
    if len(body) < length:
        return raw, None
    try:
        return raw, json.loads(body)
    except ValueError:  # not JSON / not UTF-8: pygls replies with a ParseError
        return raw, None


def _answer(message: Any) -> tuple[int | str, dict[str, Any]] | None:
    """(id, result) when `message` is an `initialize` request we can answer."""
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0" or message.get("method") != "initialize":
        return None
    msg_id = message.get("id")
    params = message.get("params")
    if isinstance(msg_id, bool) or not isinstance(msg_id, int | str) or not isinstance(params, dict):
        return None
    result = initialize_result(params.get("capabilities"))
    return None if result is None else (msg_id, result)


def early_start() -> None:
    """Answer the client's `initialize` now, before the slow imports (stdio mode only)."""
    global _early
    if os.environ.get(DISABLE_ENV) or _early is not None:
        return
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    raw, message = _read_message(stdin)
    answer = _answer(message)
    _early = _Early(raw, answer[0] if answer else None)
    if answer is not None:
        body = json.dumps({"jsonrpc": "2.0", "id": answer[0], "result": answer[1]}).encode()
        header = f"Content-Length: {len(body)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
        stdout.write(header.encode("ascii") + body)
        stdout.flush()


# ---------------------------------------------------------------------- handing over to pygls
class ReplayStdin:
    """stdin for pygls: the bytes `early_start` consumed, then the real stdin.

    pygls' `StdinAsyncReader` only calls `readline()` (headers) and `read(n)` (bodies).
    """

    def __init__(self, replay: bytes, stdin: BinaryIO) -> None:
        self._replay = replay
        self._stdin = stdin

    def readline(self) -> bytes:
        if not self._replay:
            return self._stdin.readline()
        end = self._replay.find(b"\n") + 1 or len(self._replay)
        line, self._replay = self._replay[:end], self._replay[end:]
        return line if line.endswith(b"\n") else line + self._stdin.readline()

    def read(self, size: int = -1) -> bytes:
        if not self._replay:
            return self._stdin.read(size)
        if size < 0:
            chunk, self._replay = self._replay, b""
            return chunk + self._stdin.read()
        chunk, self._replay = self._replay[:size], self._replay[size:]
        return chunk + self._stdin.read(size - len(chunk)) if len(chunk) < size else chunk


class DropReply:
    """stdout for pygls: swallows its reply to the `initialize` we already answered.

    pygls writes each message (headers and body) with one `write()` call.
    """

    def __init__(self, stdout: BinaryIO, msg_id: int | str) -> None:
        self._stdout = stdout
        self._id: int | str | None = msg_id

    def _is_the_reply(self, data: bytes) -> bool:
        try:
            message = json.loads(data.partition(b"\r\n\r\n")[2])
        except ValueError:
            return False
        if not isinstance(message, dict) or "method" in message or message.get("id") != self._id:
            return False
        if "error" in message:  # we answered with a result: the client will not see this
            log.warning("plx-lsp: initialize failed after the early answer: %s", message["error"])
        return True

    def write(self, data: bytes) -> int:
        if self._id is not None and self._is_the_reply(data):
            self._id = None  # exactly one reply is dropped
            return len(data)
        return self._stdout.write(data)

    def flush(self) -> None:
        self._stdout.flush()

    def close(self) -> None:
        self._stdout.close()


def io_streams() -> tuple[BinaryIO | None, BinaryIO | None]:
    """(stdin, stdout) for pygls' `start_io`: wrappers after an early start, else the defaults."""
    if _early is None:
        return None, None
    stdin = cast(BinaryIO, ReplayStdin(_early.raw, sys.stdin.buffer))
    if _early.answered_id is None:
        return stdin, None
    return stdin, cast(BinaryIO, DropReply(sys.stdout.buffer, _early.answered_id))


def main(argv: Sequence[str] | None = None) -> None:
    """The `plx-lsp` / `python -m plxinit` entry point."""
    args = parse_args(argv)  # --version and --help exit here, before any slow import
    if not args.tcp:
        early_start()
    from .server import run

    run(args)

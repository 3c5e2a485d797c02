"""Fast start: answer `initialize` before importing pygls/lsprotocol, then hand over to pygls.

Importing `lsprotocol.types` (which pygls needs) takes ~230 ms, most of plx-lsp's cold start.
Yet the `initialize` result depends only on the client's capabilities (the handlers and
their options are fixed in `server.py`), so it can be computed here with the stdlib alone:

1. `main()` (the plx-lsp entry point) calls `early_start()` in stdio mode, before importing
   `server.py`: it reads stdin until the first message is complete and, if it is
   `initialize`, answers it.
2. `server.run()` then serves (`transport.serve_stdio`) with `replay()`, the bytes read so far,
   fed first (so pygls processes that `initialize` as usual: client capabilities, position
   encoding, workspace folders, initializationOptions, our `initialize` handler), and
   `stdout()`, which drops pygls' own (identical) reply to it. Everything else passes through.

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
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from .. import __version__
from .framing import Frame, FrameParser
from .semantic_legend import TOKEN_MODIFIERS, TOKEN_TYPES

log = logging.getLogger("plx-lsp")

DISABLE_ENV = "PLX_LSP_NO_FAST_START"

#: Give up (and replay) on a first message this long: it is not a client's `initialize`.
_MAX_FIRST_MESSAGE = 1 << 20

_ENCODINGS = ("utf-8", "utf-16", "utf-32")
_TEXT_DOCUMENT_SYNC_INCREMENTAL = 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="plx-lsp", description="Language server for Polyaxon init sections.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument(
        "--tcp", metavar="HOST:PORT", type=tcp_address, help="listen on a TCP socket instead of stdio (port 0: any)"
    )
    parser.add_argument("--version", action="version", version=f"plx-lsp {__version__}")
    parser.add_argument("--log-file", help="write logs to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    return parser.parse_args(argv)


def tcp_address(value: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets; an empty host is 127.0.0.1), for `--tcp`."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isascii() or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    number = int(port)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"port {number} is out of range (0-65535)")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if any(c.isspace() or c in "[]/" for c in host):
        raise argparse.ArgumentTypeError(f"not a host name or address: {host!r}")
    return host or "127.0.0.1", number


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
    # pygls: RenameOptions only for a client that states `rename.prepareSupport` (as the LSP says)
    rename = text_document.get("rename")
    prepare = isinstance(rename, dict) and bool(rename.get("prepareSupport"))
    return {
        "capabilities": {
            "positionEncoding": encoding,
            "textDocumentSync": text_document_sync,
            "completionProvider": {"triggerCharacters": [" ", "-", ":", ".", "|", "{"]},
            "hoverProvider": True,
            "definitionProvider": True,
            "referencesProvider": True,
            "documentSymbolProvider": True,
            "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite"]},
            "renameProvider": {"prepareProvider": True} if prepare else True,
            "foldingRangeProvider": True,
            "executeCommandProvider": {"commands": []},
            "semanticTokensProvider": {
                "legend": {"tokenTypes": list(TOKEN_TYPES), "tokenModifiers": list(TOKEN_MODIFIERS)},
                "full": True,
            },
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


def _read_first_message(fd: int) -> tuple[bytes, Any]:
    """Every byte read from `fd` until the first message was complete, and that message's
    JSON (None if it is not a well-framed JSON body)."""
    parser, raw = FrameParser(), bytearray()
    while len(raw) < _MAX_FIRST_MESSAGE:
        data = os.read(fd, 1 << 16)
        if not data:
            break
        raw += data
        events = parser.feed(data)
        if events:
            if not isinstance(events[0], Frame):
                break
            try:
                return bytes(raw), json.loads(events[0].body)
            except (ValueError, RecursionError):  # not JSON / not UTF-8: the transport replies
                break
    return bytes(raw), None


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
    stdout = sys.stdout.buffer
    raw, message = _read_first_message(sys.stdin.fileno())
    answer = _answer(message)
    _early = _Early(raw, answer[0] if answer else None)
    if answer is not None:
        body = json.dumps({"jsonrpc": "2.0", "id": answer[0], "result": answer[1]}).encode()
        header = f"Content-Length: {len(body)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
        stdout.write(header.encode("ascii") + body)
        stdout.flush()


# ---------------------------------------------------------------------- handing over
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
            log.warning("initialize failed after the early answer: %s", message["error"])
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


def replay() -> bytes:
    """What `early_start` read from stdin: the transport handles it first."""
    return _early.raw if _early is not None else b""


def stdout() -> BinaryIO:
    """stdout for the server: without the duplicate `initialize` reply after an early answer."""
    if _early is None or _early.answered_id is None:
        return sys.stdout.buffer
    return cast(BinaryIO, DropReply(sys.stdout.buffer, _early.answered_id))


def main(argv: Sequence[str] | None = None) -> None:
    """The `plx-lsp` / `python -m plxinit` entry point."""
    args = parse_args(argv)  # --version and --help exit here, before any slow import
    if not args.tcp:
        early_start()
    from . import codecache

    codecache.install()  # the code attrs/cattrs generate while importing lsprotocol comes from a disk cache
    from .server import run

    codecache.save()
    run(args)

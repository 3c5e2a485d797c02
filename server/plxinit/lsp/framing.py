"""JSON-RPC base-protocol framing (`Content-Length: N\\r\\n\\r\\n` + N bytes), read defensively.

A sans-IO parser: `FrameParser.feed(bytes)` returns what the bytes completed, in order:
`Frame(body)` for every well-framed message and `FramingError(reason)` for every malformed
one (the caller answers those with a ParseError). After an error the parser resynchronises
at the next `Content-Length: <digits>` header line. That pattern can never occur inside a
valid JSON body (it needs a raw line break, which JSON strings cannot hold), so scanning for
it never cuts a good message, and it also finds the next message when a body was shorter
than announced.

Nothing is allocated from a client's number: a `Content-Length` above `max_body` is refused
before any of its body is read, and a header block is at most `MAX_HEADER_BYTES`. Stdlib only:
the fast start (`bootstrap.py`) uses it before pygls is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A header block (all header lines and the blank line) longer than this is refused.
MAX_HEADER_BYTES = 8 * 1024
#: The largest body accepted by default (a 20 MB document, JSON-escaped, fits easily).
MAX_BODY_BYTES = 256 * 1024 * 1024

#: Where a message can start: resynchronisation looks for this.
_RESYNC = re.compile(rb"Content-Length:[ \t]*\d+[ \t]*\r?\n", re.IGNORECASE)
#: The longest prefix of a resync match that may sit, incomplete, at the end of the buffer.
_RESYNC_TAIL = 64
_HEADER_LINE = re.compile(rb"([!#-'*+.0-9A-Z^-z|~-]+):[ \t]*(.*?)[ \t]*")
_DIGITS = re.compile(rb"\d{1,20}")
_TOKEN_START = re.compile(rb"[!#-'*+.0-9A-Z^-z|~-]")


@dataclass(frozen=True)
class Frame:
    """A well-framed message body (not yet decoded)."""

    body: bytes


@dataclass(frozen=True)
class FramingError:
    """Bytes that are not a well-framed message; `reason` is one line for the log and the reply."""

    reason: str


Event = Frame | FramingError


class FrameParser:
    """Turns a byte stream into Frame and FramingError events."""

    def __init__(self, max_body: int = MAX_BODY_BYTES, max_header: int = MAX_HEADER_BYTES) -> None:
        self.max_body = max_body
        self.max_header = max_header
        self._buffer = bytearray()
        self._length: int | None = None  # set while a body is being read
        self._scanned = 0  # how far the current body has been scanned for a resync point
        self._resyncing = False

    @property
    def pending(self) -> int:
        """Bytes held (an incomplete header or body)."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Event]:
        self._buffer += data
        events: list[Event] = []
        while True:
            if self._resyncing and not self._resync():
                break
            event = self._header() if self._length is None else self._body()
            if event is None:
                break
            events.append(event)
        if not self._buffer:
            self._buffer = bytearray()  # a bytearray keeps its largest size: let a big message's go
        return events

    # ------------------------------------------------------------------ states
    def _resync(self) -> bool:
        """Drop bytes up to the next message start; False while none is in sight."""
        match = _RESYNC.search(self._buffer)
        if match is None:
            del self._buffer[: max(0, len(self._buffer) - _RESYNC_TAIL)]
            return False
        del self._buffer[: match.start()]
        self._resyncing = False
        return True

    def _error(self, reason: str, drop: int) -> FramingError:
        """Drop `drop` bytes (the bad header block, or one byte when a message may start inside
        it), then resynchronise."""
        del self._buffer[:drop]
        self._length = None
        self._resyncing = True
        return FramingError(reason)

    def _header(self) -> Event | None:
        buffer = self._buffer
        # blank lines between messages are harmless (a lone CR may be half of a CRLF)
        blank = 0
        while blank < len(buffer) and buffer[blank] in b"\r\n":
            blank += 1
        if blank == len(buffer) and buffer[-1:] == b"\r":
            blank -= 1
        del buffer[:blank]
        if not buffer or buffer == b"\r":
            return None
        if not _TOKEN_START.match(buffer):
            return self._error("bytes that are not a header where a message should start", drop=1)
        window = self.max_header + 4  # never scan a large body for the end of its header
        crlf, lf = buffer.find(b"\r\n\r\n", 0, window), buffer.find(b"\n\n", 0, window)
        if lf != -1 and (crlf == -1 or lf < crlf):
            return self._error("header lines must end with CRLF (\\r\\n), not a bare LF", drop=lf + 2)
        if crlf == -1 or crlf + 4 > self.max_header:
            if len(buffer) > self.max_header:  # (a message may start inside: drop one byte only)
                return self._error(f"no end of the header block within {self.max_header} bytes", drop=1)
            return None  # the rest of the header block is still to come
        block_end = crlf + 4
        length: int | None = None
        for line in bytes(buffer[:crlf]).split(b"\r\n"):
            match = _HEADER_LINE.fullmatch(line)
            if match is None:  # a message may still start inside it: drop one byte only
                return self._error(f"a malformed header line: {_show(line)}", drop=1)
            name, value = match.group(1).lower(), match.group(2)
            if name != b"content-length":
                continue  # Content-Type (LSP only uses utf-8) and unknown headers
            if length is not None:
                return self._error("Content-Length given twice", drop=block_end)
            if not _DIGITS.fullmatch(value):
                return self._error(f"Content-Length is not a non-negative integer: {_show(value)}", drop=block_end)
            length = int(value)
        if length is None:
            return self._error("a header block without Content-Length", drop=1)
        if length > self.max_body:
            return self._error(f"Content-Length {length} is over the limit of {self.max_body} bytes", drop=block_end)
        del buffer[:block_end]
        self._length = length
        self._scanned = 0
        return self._body()

    def _body(self) -> Event | None:
        length = self._length
        assert length is not None
        buffer = self._buffer
        available = min(len(buffer), length)
        # a message start inside the body: the body was shorter than announced
        match = _RESYNC.search(buffer, max(0, self._scanned - _RESYNC_TAIL))
        if match is not None and match.start() < length:
            self._length = None
            del buffer[: match.start()]
            return FramingError(f"a body shorter than its Content-Length ({match.start()} of {length} bytes)")
        if len(buffer) < length:
            self._scanned = available
            return None
        body = bytes(buffer[:length])
        del buffer[:length]
        self._length = None
        return Frame(body)


def _show(value: bytes) -> str:
    text = value[:60].decode("ascii", "replace")
    return repr(text + ("..." if len(value) > 60 else ""))


def frame(body: bytes) -> bytes:
    """`body` with its header, as written to the client."""
    return b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(body) + body

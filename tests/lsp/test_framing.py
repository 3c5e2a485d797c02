"""The framing parser alone (plxinit.lsp.framing): the same events however the bytes are split."""

from __future__ import annotations

import pytest

from plxinit.lsp.framing import Frame, FrameParser, FramingError

GOOD = b'{"jsonrpc":"2.0","id":1,"method":"shutdown"}'
OK = b"Content-Length: %d\r\n\r\n" % len(GOOD) + GOOD

CASES = {
    "well framed": (OK, [Frame(GOOD)]),
    "Content-Type first": (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + OK,
        [Frame(GOOD)],
    ),
    "lower-case name, spaces around the value": (b"content-length:   %d  \r\n\r\n" % len(GOOD) + GOOD, [Frame(GOOD)]),
    "blank lines between messages": (b"\r\n\r\n" + OK + b"\r\n" + OK, [Frame(GOOD), Frame(GOOD)]),
    "non-numeric": (
        b"Content-Length: 4x\r\n\r\n{}" + OK,
        [FramingError("Content-Length is not a non-negative integer: '4x'"), Frame(GOOD)],
    ),
    "duplicate": (
        b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + OK,
        [FramingError("Content-Length given twice"), Frame(GOOD)],
    ),
    "LF only": (
        b"Content-Length: 2\n\n{}" + OK,
        [FramingError("header lines must end with CRLF (\\r\\n), not a bare LF"), Frame(GOOD)],
    ),
    "short body": (
        b"Content-Length: 99\r\n\r\n{" + OK,
        [FramingError("a body shorter than its Content-Length (1 of 99 bytes)"), Frame(GOOD)],
    ),
    "long body": (
        b"Content-Length: 2\r\n\r\n{}]]" + OK,
        [Frame(b"{}"), FramingError("bytes that are not a header where a message should start"), Frame(GOOD)],
    ),
    "over the limit": (
        b"Content-Length: 99999999999999\r\n\r\n" + b"z" * 300 + OK,
        [FramingError("Content-Length 99999999999999 is over the limit of 1000 bytes"), Frame(GOOD)],
    ),
    "a header line without a colon": (
        b"Content-Length: 2\r\nnonsense\r\n\r\n{}" + OK,
        [FramingError("a malformed header line: 'nonsense'"), Frame(GOOD)],
    ),
    "an endless header": (
        b"X-Long: " + b"a" * 2000 + b"\r\n" + OK,
        [FramingError("no end of the header block within 1024 bytes"), Frame(GOOD)],
    ),
}


def events(data: bytes, chunk: int) -> list[Frame | FramingError]:
    parser = FrameParser(max_body=1000, max_header=1024)
    out: list[Frame | FramingError] = []
    for start in range(0, len(data), chunk):
        out += parser.feed(data[start : start + chunk])
    assert parser.pending == 0
    return out


@pytest.mark.parametrize("data, expected", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20], ids=["bytewise", "7", "64", "whole"])
def test_events(data: bytes, expected: list[Frame | FramingError], chunk: int) -> None:
    assert events(data, chunk) == expected


def test_a_body_is_held_only_until_it_is_complete() -> None:
    parser = FrameParser()
    assert parser.feed(OK[:-5]) == []
    assert parser.pending == len(GOOD) - 5
    assert parser.feed(OK[-5:]) == [Frame(GOOD)]
    assert parser.pending == 0


def test_an_absurd_length_is_not_waited_for() -> None:
    """100 GB announced: refused at once; what follows is skipped up to the next message."""
    parser = FrameParser()
    assert parser.feed(b"Content-Length: 100000000000\r\n\r\n") == [
        FramingError("Content-Length 100000000000 is over the limit of 268435456 bytes")
    ]
    for _ in range(100):
        assert parser.feed(b"x" * 10_000) == []
        assert parser.pending <= 64  # junk is dropped as it comes, not kept
    assert parser.feed(OK) == [Frame(GOOD)]

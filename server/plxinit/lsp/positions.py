"""Position encodings: code-point columns (the core's) <-> LSP UTF-16/UTF-8/UTF-32 units.

LSP positions count a line's characters in the negotiated encoding (UTF-16 unless the
client offered another in `general.positionEncodings`); the core counts code points.
Only `\n`, `\r\n` and `\r` end lines, as the LSP says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"
SUPPORTED = (UTF8, UTF16, UTF32)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def choose_encoding(offered: Sequence[str] | None) -> str:
    """The client's most preferred encoding we support; UTF-16 when it offers none we know."""
    for encoding in offered or ():
        if encoding in SUPPORTED:
            return encoding
    return UTF16


def _units(char: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    code = ord(char)
    if encoding == UTF16:
        return 2 if code > 0xFFFF else 1
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


def to_units(line: str, column: int, encoding: str) -> int:
    """Code-point `column` of `line` in the client's units (clamped to the line)."""
    column = max(0, min(column, len(line)))
    if encoding == UTF32:
        return column
    if encoding == UTF16:
        head = line[:column]
        return column + sum(1 for ch in head if ord(ch) > 0xFFFF)
    return len(line[:column].encode("utf-8", errors="surrogatepass"))


def from_units(line: str, units: int, encoding: str) -> int:
    """The code-point column at `units` client units of `line`.

    Clamped to the line's end; a position inside a character (half a surrogate pair,
    the middle of a UTF-8 sequence) moves to that character's end.
    """
    if units <= 0:
        return 0
    if encoding == UTF32:
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += _units(char, encoding)
    return len(line)


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their line breaks (a final break opens an empty line)."""
    return _LINE_BREAK.split(text)


def line_offsets(text: str) -> list[int]:
    """Offset (in code points) where each line starts."""
    offsets = [0]
    offsets.extend(match.end() for match in _LINE_BREAK.finditer(text))
    return offsets

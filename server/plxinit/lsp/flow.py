"""Flow collections (`{...}`, `[...]`) read tolerantly, on one line or over several.

Two jobs, both bounded to the lines around a position:

- `find_flow_root` looks back from a position for the outermost unclosed `{`/`[` that
  contains it (bracket counting outside quotes and comments, at most `MAX_LOOKBACK` lines).
- `read_flow` reads forward from that opener: the mappings and sequences it holds (with
  their keys), every scalar with its role and key path, and what the cursor is in the middle
  of (a key, a value, a sequence item). It stops where the collection closes, at a line no
  more indented than the opener's line (a flow collection's lines are indented more than the
  block around it, so such a line is where an unclosed `{` was abandoned), or after
  `MAX_LINES` lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .navigator import MISSING_VALUE, PathPart
from .tokens import scalar_value

MAX_LOOKBACK = 400
MAX_LINES = 2000
MAX_DEPTH = 256
Position = tuple[int, int]  # (line, code-point column)

_OPENERS = {"{": "}", "[": "]"}
_CLOSERS = "}]"
_INDICATORS = ",[]{}"
#: characters after which a quote starts a quoted scalar (elsewhere it is part of plain text)
_BEFORE_QUOTE = ":-[{,?"


@dataclass(eq=False)
class FlowFrame:
    """One flow mapping (`kind == "map"`) or sequence (`"seq"`) and what it holds so far."""

    kind: str
    path: list[PathPart]
    start: Position
    keys: dict[str, str | None] = field(default_factory=dict)  # key -> raw value (None: a collection)
    count: int = 0  # items of a sequence (the index of the one being read)
    expect: str = "key"  # map: key | colon | value | comma; seq: item | comma
    pending: str | None = None  # a map's key waiting for its value
    end: Position | None = None


@dataclass
class FlowScalar:
    """A scalar in a flow collection: a key (`path` ends with it) or a value/item."""

    role: str  # "key" | "value"
    path: list[PathPart]
    text: str  # as written (quotes kept)
    line: int
    start: int
    end: int  # end column on `line` (a quoted scalar spanning lines: end of its first line)


@dataclass
class FlowCursor:
    """Where the cursor is inside a flow collection."""

    frame: FlowFrame
    role: str  # "key" | "value" | "item"
    key: str | None  # the key whose value is being typed (role "value")
    prefix: str  # the typed text before the cursor (quotes included)
    start: int  # column where that text starts
    word: str = ""  # the whole scalar under the cursor, unquoted (a key being typed is not "present")


@dataclass
class FlowReading:
    frames: list[FlowFrame]
    scalars: list[FlowScalar]
    cursor: FlowCursor | None
    closed: bool  # the root collection was closed


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def scan_line(text: str) -> tuple[list[tuple[int, str]], int]:
    """The `{`, `[`, `]`, `}` of one line outside quoted scalars and comments, and where its comment starts."""
    events: list[tuple[int, str]] = []
    index = 0
    length = len(text)
    previous = ":"  # the line start counts as a place where a quote may open
    while index < length:
        char = text[index]
        if char in "\"'" and previous in _BEFORE_QUOTE:
            index = _quote_end(text, index)
            previous = "x"
            continue
        if char == "#" and (index == 0 or text[index - 1] in " \t"):
            return events, index
        if char in "{[]}":
            events.append((index, char))
        if char not in " \t":
            previous = char
        index += 1
    return events, length


def _quote_end(text: str, index: int) -> int:
    """The index after the quoted scalar opening at `index` (the line's end when unclosed)."""
    quote = text[index]
    position = index + 1
    while position < len(text):
        char = text[position]
        if quote == '"' and char == "\\":
            position += 2
            continue
        if char == quote:
            if quote == "'" and text[position + 1 : position + 2] == "'":
                position += 2
                continue
            return position + 1
        position += 1
    return len(text)


def _has_bracket(text: str) -> bool:
    return "{" in text or "[" in text or "}" in text or "]" in text


def _blank(text: str) -> bool:
    stripped = text.lstrip()
    return not stripped or stripped[0] == "#"


def _continues(lines: Sequence[str], number: int) -> bool:
    """Does the line above `number` end where a flow collection goes on (`,`, `{`, `[`)?"""
    for above in range(number - 1, max(-1, number - 20), -1):
        text = lines[above]
        if _blank(text):
            continue
        code_end = scan_line(text)[1] if "#" in text else len(text)
        return text[:code_end].rstrip()[-1:] in (",", "{", "[")
    return False


def find_flow_root(lines: Sequence[str], line: int, column: int) -> Position | None:
    """The outermost unclosed `{`/`[` that contains (line, column), or None in block context.

    Reads backwards: closers wait for their openers; an opener nothing closes encloses the
    cursor. It stops at a block line (`- `, `key:`) with nothing pending whose line above
    does not end in `,`, `{` or `[` (so it is not a flow collection's next line), at a
    top-level block line, or after `MAX_LOOKBACK` lines.
    """
    depth = 0  # closers seen (reading backwards) and not yet matched
    found: Position | None = None
    lowest = column  # the least indentation of the lines read (a blank cursor line: the cursor's column)
    for number in range(line, max(-1, line - MAX_LOOKBACK), -1):
        text = lines[number][:column] if number == line else lines[number]
        if number != line and _blank(text):
            continue
        if _has_bracket(text):
            for position, char in reversed(scan_line(text)[0]):
                if char in _CLOSERS:
                    depth += 1
                elif depth:
                    depth -= 1
                elif number != line and _indent(text) >= lowest:
                    return None  # a line below was no more indented: this `{` was abandoned there
                else:
                    found = (number, position)
        if text.strip():
            lowest = min(lowest, _indent(text))
        if _block_line(text) and (not text.startswith((" ", "\t")) or (depth == 0 and not _continues(lines, number))):
            return found
    return found


def _block_line(text: str) -> bool:
    """Does a line start like block YAML (`- ` or `key:` after its indentation)?"""
    stripped = text.lstrip(" ")
    if stripped.startswith(("- ", "-\t")) or stripped == "-":
        return True
    if stripped[:1] in _INDICATORS or stripped[:1] in "\"'#":
        return False
    colon = stripped.find(":")
    return colon > 0 and stripped[colon + 1 : colon + 2] in ("", " ", "\t")


def read_flow(
    lines: Sequence[str],
    root: Position,
    base: list[PathPart],
    cursor: Position | None = None,
    until: Position | None = None,
) -> FlowReading:
    """Read the flow collection opening at `root` (whose value has key path `base`).

    With `cursor`, note what it is in the middle of, and keep reading until its collection
    closes (to know the keys written after it). With `until`, stop once past that position.
    """
    return _Reader(lines, root, base, cursor, until).run()


class _Reader:
    def __init__(
        self,
        lines: Sequence[str],
        root: Position,
        base: list[PathPart],
        cursor: Position | None,
        until: Position | None,
    ) -> None:
        self.lines = lines
        self.root = root
        self.base = base
        self.cursor_at = cursor
        self.until = until
        self.limit_indent = _indent(lines[root[0]])
        self.stack: list[FlowFrame] = []
        self.frames: list[FlowFrame] = []
        self.scalars: list[FlowScalar] = []
        self.cursor: FlowCursor | None = None
        self.cursor_frame: FlowFrame | None = None

    # ------------------------------------------------------------------ driver
    def run(self) -> FlowReading:
        line, column = self.root
        last_line = min(len(self.lines), line + MAX_LINES)
        closed = False
        while line < last_line:
            text = self.lines[line]
            dedented = line != self.root[0] and text.strip() and _indent(text) <= self.limit_indent
            if dedented and (self.cursor_at is None or (line, 0) > self.cursor_at):
                break  # back in block context: the collection was left unclosed
            while column <= len(text):
                column = self._skip_space(text, column)
                here = (line, column)
                if self._passed(here):
                    return self._reading(closed)
                if self.cursor_at is not None and self.cursor is None and here >= self.cursor_at:
                    self._note_cursor("", self.cursor_at[1])
                if column >= len(text):
                    break
                char = text[column]
                if char == "#" and (column == 0 or text[column - 1] in " \t"):
                    break
                if char in _OPENERS:
                    if not self._open(char, here):
                        return self._reading(closed)
                    column += 1
                elif char in _CLOSERS:
                    self._close(here)
                    column += 1
                    if not self.stack:
                        closed = True
                        return self._reading(closed)
                elif char == ",":
                    self._comma()
                    column += 1
                elif char == ":":
                    self._colon()
                    column += 1
                else:
                    column = self._scalar(text, line, column)
                if self._done():
                    return self._reading(closed)
            line += 1
            column = 0
        return self._reading(closed)

    def _reading(self, closed: bool) -> FlowReading:
        if self.cursor_at is not None and self.cursor is None and self.stack:
            self._note_cursor("", self.cursor_at[1])
        return FlowReading(self.frames, self.scalars, self.cursor, closed)

    def _passed(self, here: Position) -> bool:
        return self.until is not None and here > self.until

    def _done(self) -> bool:
        """With a cursor: its collection has closed, nothing more to learn."""
        frame = self.cursor_frame
        return frame is not None and frame.end is not None

    @staticmethod
    def _skip_space(text: str, column: int) -> int:
        while column < len(text) and text[column] in " \t":
            column += 1
        return column

    # ------------------------------------------------------------------ structure
    def _child_path(self) -> list[PathPart] | None:
        if not self.stack:
            return list(self.base)
        top = self.stack[-1]
        if top.kind == "map":
            if top.expect == "value" and top.pending is not None:
                top.keys[top.pending] = None
                return [*top.path, top.pending]
            return None  # a collection as a key: not followed
        if top.expect == "item":
            return [*top.path, top.count]
        return None

    def _open(self, char: str, here: Position) -> bool:
        if len(self.stack) >= MAX_DEPTH:
            return False
        path = self._child_path()
        frame = FlowFrame("map" if char == "{" else "seq", path if path is not None else [], here)
        frame.expect = "key" if char == "{" else "item"
        if path is None:
            frame.path = ["\0"]  # a collection used as a key, or after a value: no schema path leads there
        self.frames.append(frame)
        self.stack.append(frame)
        return True

    def _close(self, here: Position) -> None:
        frame = self.stack.pop()
        frame.end = here
        if frame.kind == "map" and frame.expect == "colon" and frame.pending is not None:
            frame.keys.setdefault(frame.pending, "")
        if self.stack:
            parent = self.stack[-1]
            parent.expect = "comma"
            if parent.kind == "map":
                parent.pending = None

    def _comma(self) -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        if top.kind == "map":
            if top.pending is not None and top.expect in ("colon", "value"):
                top.keys.setdefault(top.pending, "")
            top.pending = None
            top.expect = "key"
        else:
            top.count += 1
            top.expect = "item"

    def _colon(self) -> None:
        if self.stack and self.stack[-1].kind == "map" and self.stack[-1].expect == "colon":
            self.stack[-1].expect = "value"

    def _scalar(self, text: str, line: int, column: int) -> int:
        start = column
        if text[column] in "\"'":
            end = _quote_end(text, column)
        else:
            end = column
            while end < len(text):
                char = text[end]
                if char in _INDICATORS:
                    break
                if char == ":" and text[end + 1 : end + 2] in ("", " ", "\t", ",", "[", "]", "{", "}"):
                    break
                if char == "#" and text[end - 1] in " \t":
                    break
                end += 1
            while end > start and text[end - 1] in " \t":
                end -= 1
            end = max(end, start + 1)
        raw = text[start:end]
        self._maybe_cursor_inside(raw, line, start, end)
        if self.stack:
            top = self.stack[-1]
            if top.kind == "map":
                if top.expect == "key":
                    key = _unquote(raw)
                    top.pending = key
                    top.expect = "colon"
                    self.scalars.append(FlowScalar("key", [*top.path, key], raw, line, start, end))
                elif top.expect == "value" and top.pending is not None:
                    top.keys[top.pending] = raw
                    self.scalars.append(FlowScalar("value", [*top.path, top.pending], raw, line, start, end))
                    top.expect = "comma"
            elif top.expect == "item":
                self.scalars.append(FlowScalar("value", [*top.path, top.count], raw, line, start, end))
                top.expect = "comma"
        return end

    # ------------------------------------------------------------------ the cursor
    def _maybe_cursor_inside(self, raw: str, line: int, start: int, end: int) -> None:
        cursor = self.cursor_at
        if cursor is None or self.cursor is not None or cursor[0] != line:
            return
        if start < cursor[1] <= end:
            self._note_cursor(raw[: cursor[1] - start], start, _unquote(raw))

    def _note_cursor(self, prefix: str, start: int, word: str = "") -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        self.cursor_frame = top
        role = "none"
        if top.kind == "map" and top.expect == "key":
            role = "key"
        elif top.kind == "map" and top.expect == "value" and top.pending is not None:
            role = "value"
        elif top.kind == "seq" and top.expect == "item":
            role = "item"
        self.cursor = FlowCursor(top, role, top.pending if role == "value" else None, prefix, start, word)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def frame_facts(frame: FlowFrame) -> dict[str, Any]:
    """The scalars of a flow mapping as YAML reads them (`MISSING_VALUE` for collections)."""
    return {key: MISSING_VALUE if raw is None else scalar_value(raw) for key, raw in frame.keys.items()}

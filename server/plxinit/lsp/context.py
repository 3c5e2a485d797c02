"""A tolerant reading of YAML text around a position: key paths that survive broken files.

Completion and hover must work while the document does not parse (a half-typed key, an
empty `- ` entry, an unclosed `{` or quote) and must not cost more than the lines around
the cursor and its ancestors. `cursor_context` and `hover_target` read:

- flow collections (`{...}`, `[...]`) around the position with `flow` (brackets, keys,
  values, over several lines), and
- the block structure above them with `block` (indentation, walking up to the ancestors).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import block, flow
from .navigator import PathPart
from .tokens import DASH, MAX_DASHES, Token, strip_comment, tokenize, unquote_key

_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)(?P<value>.*)$"""
)
_PARTIAL_KEY = re.compile(r"""^["']?[\w.$/-]*$""")


Facts = Callable[[Sequence[PathPart]], dict[str, Any]]


class LocalFacts:
    """The scalars of the containers read around a position, by key path (for the navigator's `if`s)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._sources: dict[tuple[PathPart, ...], Any] = {}
        self._facts: dict[tuple[PathPart, ...], dict[str, Any]] = {}

    def add_block(self, located: block.Located) -> None:
        for path, container in located.containers:
            if container.kind == "map":
                self._sources.setdefault(tuple(path), container)

    def add_flow(self, reading: flow.FlowReading) -> None:
        for frame in reading.frames:
            if frame.kind == "map":
                self._sources[tuple(frame.path)] = frame

    def __call__(self, path: Sequence[PathPart]) -> dict[str, Any]:
        key = tuple(path)
        found = self._facts.get(key)
        if found is None:
            source = self._sources.get(key)
            if isinstance(source, block.BlockContainer):
                found = block.container_facts(self.lines, source)
            elif isinstance(source, flow.FlowFrame):
                found = flow.frame_facts(source)
            else:
                found = {}
            self._facts[key] = found
        return found


@dataclass
class CursorContext:
    """Where completion happens: a key in the mapping at `path`, or the value of `path`."""

    kind: str  # "key" | "value"
    path: list[PathPart]
    prefix: str
    start_column: int  # code-point column where the typed word starts
    key_column: int  # column of the key (for snippet indentation)
    present: list[str]
    facts: Facts
    flow: bool = False  # inside a flow collection: insert flow-style text
    lead: str = ""  # text to put before the inserted one (" " after `key:` or a bare `-`)
    trail: str = ""  # text to put after it (", " before a following flow entry)


def cursor_context(lines: Sequence[str], line: int, column: int) -> CursorContext | None:
    """Read the cursor's surroundings; None where nothing can be completed."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    column = max(0, min(column, len(text)))
    root = flow.find_flow_root(lines, line, column)
    if root is not None:
        return _flow_context(lines, line, column, root)
    return _block_context(lines, line, column)


def _flow_base(lines: Sequence[str], root: flow.Position, facts: LocalFacts) -> list[PathPart] | None:
    """The key path of the flow collection opening at `root`, from the block structure above it."""
    number, column = root
    tokens = tokenize(number, lines[number])
    holder = next((i for i, token in enumerate(tokens) if token.value_column == column), None)
    if holder is not None:
        located = block.locate(lines, number, tokens, holder)
        if located is None:
            return None
        facts.add_block(located)
        return located.value_path(tokens[holder])
    if lines[number][:column].strip():
        return None  # a bracket inside a plain scalar
    alone = [Token(number, column, "value")]
    located = block.locate(lines, number, alone, 0)
    if located is None:
        return None
    facts.add_block(located)
    return located.path


def _flow_context(lines: Sequence[str], line: int, column: int, root: flow.Position) -> CursorContext | None:
    facts = LocalFacts(lines)
    base = _flow_base(lines, root, facts)
    if base is None:
        return None
    reading = flow.read_flow(lines, root, base, cursor=(line, column))
    facts.add_flow(reading)
    cursor = reading.cursor
    if cursor is None or cursor.role == "none":
        return None
    if cursor.prefix[:1] in ("&", "*", "!", "|", ">", "#"):
        return None
    text = lines[line]
    lead = " " if text[: cursor.start].endswith(":") else ""
    after = text[column:].lstrip(" \t")
    trail = "" if not after or after[0] in ",}]#" else ", "
    frame = cursor.frame
    prefix = cursor.prefix.strip("\"'")
    start = cursor.start + (1 if cursor.prefix[:1] in "\"'" and cursor.prefix else 0)
    if cursor.role == "key":
        present = list(frame.keys)
        if cursor.word in present:
            present.remove(cursor.word)
        return CursorContext("key", list(frame.path), prefix, start, start, present, facts, True, lead, trail)
    last: PathPart = cursor.key if cursor.role == "value" and cursor.key is not None else frame.count
    return CursorContext("value", [*frame.path, last], prefix, start, start, [], facts, True, lead, trail)


def _block_context(lines: Sequence[str], line: int, column: int) -> CursorContext | None:
    text = lines[line]
    prefix = text[:column]
    position = len(prefix) - len(prefix.lstrip(" \t"))
    if "\t" in prefix[:position]:
        return None
    tokens: list[Token] = []
    lead = ""
    while True:
        dash = DASH.match(prefix, position)
        if not dash or dash.end() == position:
            break
        if len(tokens) >= MAX_DASHES:
            return None
        tokens.append(Token(line, position, "dash", cursor=True, value_column=dash.end()))
        if dash.end() == len(prefix) and not prefix.endswith((" ", "\t")):
            lead = " "  # `-|`: the item is written as `- key`
            position = dash.end() + 1
            break
        position = dash.end()
    rest = prefix[position:] if not lead else ""
    key = _KEY.match(rest)
    facts = LocalFacts(lines)
    if key:
        value = key.group("value")
        typed = value.lstrip()
        if typed[:1] in ("|", ">", "[", "{", "&", "*", "#", "!"):
            return None
        token = Token(line, position, "key", key=unquote_key(key.group("key")), cursor=True)
        tokens.append(token)
        located = block.locate(lines, line, tokens, len(tokens) - 1)
        if located is None:
            return None
        facts.add_block(located)
        start = column - len(typed.lstrip("\"'"))
        value_lead = " " if not value else ""
        path = [*located.path, token.key]
        return CursorContext("value", path, typed.strip("\"'"), start, position, [], facts, lead=value_lead)
    if not _PARTIAL_KEY.match(rest):
        return None
    token = Token(line, position, "key", key=rest, cursor=True)
    tokens.append(token)
    located = block.locate(lines, line, tokens, len(tokens) - 1)
    if located is None:
        return None
    facts.add_block(located)
    container = located.containers[-1][1]
    present = list(container.keys)
    start = column if lead else position
    return CursorContext("key", located.path, rest.strip("\"'"), start, position, present, facts, lead=lead)


@dataclass
class HoverTarget:
    """What is under the cursor: a key, or the inline value of a key/list item."""

    kind: str  # "key" | "value"
    path: list[PathPart]
    text: str
    line: int
    start: int
    end: int
    facts: Facts


def hover_target(lines: Sequence[str], line: int, column: int) -> HoverTarget | None:
    """The key or value at (line, code-point column), read tolerantly (flow collections included).

    Only the lines around are read.
    """
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    if column > len(text):
        return None
    facts = LocalFacts(lines)
    root = flow.find_flow_root(lines, line, column)
    if root is not None:
        base = _flow_base(lines, root, facts)
        if base is None:
            return None
        reading = flow.read_flow(lines, root, base, until=(line, len(text)))
        facts.add_flow(reading)
        for scalar in reading.scalars:
            if scalar.line != line or not scalar.start <= column <= scalar.end:
                continue
            if scalar.role == "key" and column < scalar.end:
                return HoverTarget("key", scalar.path, str(scalar.path[-1]), line, scalar.start, scalar.end, facts)
            if scalar.role == "value":
                return HoverTarget("value", scalar.path, scalar.text, line, scalar.start, scalar.end, facts)
        return None
    tokens = tokenize(line, text)
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        target: tuple[str, str, int, int] | None = None
        if token.kind == "key":
            raw_end = token.column + len(_raw_key(text, token.column))
            if token.column <= column < raw_end:
                target = ("key", token.key, token.column, raw_end)
            else:
                value = strip_comment(token.value).strip()
                value_end = token.value_column + len(value)
                if value and value[:1] not in "{[" and token.value_column <= column <= value_end:
                    target = ("value", value, token.value_column, value_end)
        elif index == len(tokens) - 1:
            value = strip_comment(token.value).strip()
            if value and value[:1] not in "{[" and token.value_column <= column <= token.value_column + len(value):
                target = ("value", value, token.value_column, token.value_column + len(value))
        if target is None:
            continue
        located = block.locate(lines, line, tokens, index, below=True)
        if located is None:
            return None
        facts.add_block(located)
        kind, shown, start, end = target
        return HoverTarget(kind, located.value_path(token), shown, line, start, end, facts)
    return None


def _raw_key(line: str, column: int) -> str:
    match = _KEY.match(line, column)
    return match.group("key") if match else ""

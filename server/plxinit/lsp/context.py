"""A tolerant reading of YAML text around a position: key paths that survive broken files.

Completion and hover must work while the document does not parse (a half-typed key, an
empty `- ` entry, an unclosed `{` or quote) and must not cost more than the lines around
the cursor and its ancestors. `cursor_context` and `hover_target` read:

- flow collections (`{...}`, `[...]`) around the position with `flow` (brackets, keys,
  values, over several lines), and
- the block structure above them with `block` (indentation, walking up to the ancestors).

`Outline`, the whole-file block reading, remains for callers that want every entry
(quick fixes); it does not enter flow collections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import block, flow
from .navigator import MISSING_VALUE, PathPart
from .tokens import DASH, MAX_DASHES, Token, scalar_value, strip_comment, tokenize, unquote_key

_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)(?P<value>.*)$"""
)
_PARTIAL_KEY = re.compile(r"""^["']?[\w.$/-]*$""")


@dataclass(eq=False)
class TMap:
    column: int
    parent: Any = None  # the TEntry / TItem that holds it, None for the root
    entries: list[TEntry] = field(default_factory=list)

    def scalars(self) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for entry in self.entries:
            if entry.token.cursor:
                continue
            facts[entry.token.key] = MISSING_VALUE if entry.child is not None else scalar_value(entry.token.value)
        return facts


@dataclass(eq=False)
class TEntry:
    token: Token
    owner: TMap
    child: TMap | TSeq | None = None


@dataclass(eq=False)
class TSeq:
    column: int
    parent: Any = None
    items: list[TItem] = field(default_factory=list)


@dataclass(eq=False)
class TItem:
    token: Token
    owner: TSeq
    index: int
    child: TMap | TSeq | None = None


class TextLines:
    """Per-line facts of one text, each computed once: `tokenize()` of a line, its indentation.

    A document keeps one per version (its lines do not change), so outlines built again for
    every request on that version do not re-run the regular expressions. Tokens are shared
    between outlines and must not be mutated.
    """

    __slots__ = ("_block_before", "_indents", "_tokens", "lines")

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._tokens: list[list[Token] | None] = [None] * len(lines)
        #: per line: its indentation, or -1 for a blank line
        self._indents: list[int] | None = None
        #: per line: the `|`/`>` block indent in force before it (None outside block scalars)
        self._block_before: list[int | None] | None = None

    def tokens(self, number: int) -> list[Token]:
        tokens = self._tokens[number]
        if tokens is None:
            tokens = self._tokens[number] = tokenize(number, self.lines[number])
        return tokens

    @property
    def indents(self) -> list[int]:
        if self._indents is None:
            self._indents = [len(line) - len(line.lstrip(" \t")) if line.strip() else -1 for line in self.lines]
        return self._indents

    def block_before(self, line: int) -> int | None:
        """The block indent `_in_block_scalar` finds after reading the lines before `line`."""
        if self._block_before is None:
            states: list[int | None] = []
            block_indent: int | None = None
            indents = self.indents
            for number in range(len(self.lines)):
                states.append(block_indent)
                indent = indents[number]
                if block_indent is not None and (indent < 0 or indent > block_indent):
                    continue
                block_indent = None
                tokens = self.tokens(number)
                if tokens and tokens[-1].value.strip()[:1] in ("|", ">"):
                    block_indent = tokens[0].column
            states.append(block_indent)
            self._block_before = states
        return self._block_before[line]


class Outline:
    """The block structure of a text: nested TMap/TSeq built from indentation."""

    def __init__(
        self,
        lines: Sequence[str],
        cursor: tuple[int, list[Token]] | None = None,
        text_lines: TextLines | None = None,
    ) -> None:
        self.root: TMap | TSeq | None = None
        self.tokens_by_line: dict[int, list[Token]] = {}
        self.nodes: dict[int, TEntry | TItem] = {}  # id(token) -> entry/item
        self._stack: list[TMap | TSeq] = []
        self._facts: dict[tuple[PathPart, ...], dict[str, Any]] = {}
        if text_lines is None or text_lines.lines is not lines:
            text_lines = TextLines(lines)
        indents = text_lines.indents
        cursor_line = cursor[0] if cursor is not None else -1
        block_indent: int | None = None
        for number in range(len(lines)):
            if number == cursor_line:
                assert cursor is not None
                tokens = cursor[1]
                block_indent = None
            else:
                indent = indents[number]
                if block_indent is not None and (indent < 0 or indent > block_indent):
                    continue
                block_indent = None
                tokens = text_lines.tokens(number)
            if not tokens:
                continue
            self.tokens_by_line[number] = tokens
            for token in tokens:
                self._add(token)
            last = tokens[-1]
            value = last.value.strip()
            if value[:1] in ("|", ">") and not last.cursor:
                block_indent = tokens[0].column

    # ------------------------------------------------------------------ building
    def _add(self, token: Token) -> None:
        stack = self._stack
        while stack and stack[-1].column > token.column:
            stack.pop()
        if token.kind == "key" and stack and isinstance(stack[-1], TSeq) and stack[-1].column == token.column:
            stack.pop()
        top = stack[-1] if stack else None
        if token.kind == "key":
            if isinstance(top, TMap) and top.column == token.column:
                self._entry(top, token)
                return
            mapping = TMap(token.column)
            self._attach(top, mapping)
            stack.append(mapping)
            self._entry(mapping, token)
            return
        if isinstance(top, TSeq) and top.column == token.column:
            self._item(top, token)
            return
        sequence = TSeq(token.column)
        self._attach(top, sequence)
        stack.append(sequence)
        self._item(sequence, token)

    def _attach(self, top: TMap | TSeq | None, node: TMap | TSeq) -> None:
        if top is None:
            if self.root is None:
                self.root = node
            return
        holder: TEntry | TItem | None = None
        if isinstance(top, TMap) and top.entries:
            holder = top.entries[-1]
        elif isinstance(top, TSeq) and top.items:
            holder = top.items[-1]
        if holder is not None and holder.child is None:
            holder.child = node
            node.parent = holder

    def _entry(self, mapping: TMap, token: Token) -> None:
        entry = TEntry(token, mapping)
        mapping.entries.append(entry)
        self.nodes[id(token)] = entry

    def _item(self, sequence: TSeq, token: Token) -> None:
        item = TItem(token, sequence, len(sequence.items))
        sequence.items.append(item)
        self.nodes[id(token)] = item

    # ------------------------------------------------------------------ queries
    def path_of(self, container: TMap | TSeq) -> list[PathPart] | None:
        """Key path from the root to `container`; None when it is detached from the root."""
        parts: list[PathPart] = []
        node: Any = container
        while node is not None and node is not self.root:
            holder = node.parent
            if holder is None:
                return None
            parts.append(holder.token.key if isinstance(holder, TEntry) else holder.index)
            node = holder.owner
        if node is None:
            return None
        parts.reverse()
        return parts

    def container_at(self, path: Sequence[PathPart]) -> TMap | TSeq | None:
        node: TMap | TSeq | None = self.root
        for part in path:
            if isinstance(node, TMap) and isinstance(part, str):
                matches = [e for e in node.entries if e.token.key == part and not e.token.cursor]
                node = matches[-1].child if matches else None
            elif isinstance(node, TSeq) and isinstance(part, int) and 0 <= part < len(node.items):
                node = node.items[part].child
            else:
                return None
        return node

    def facts(self, path: Sequence[PathPart]) -> dict[str, Any]:
        """The scalars of the mapping at `path` (computed once per outline; do not mutate)."""
        key = tuple(path)
        found = self._facts.get(key)
        if found is None:
            node = self.container_at(path)
            found = self._facts[key] = node.scalars() if isinstance(node, TMap) else {}
        return found


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


def cursor_context(lines: Sequence[str], line: int, column: int, text_lines: Any = None) -> CursorContext | None:
    """Read the cursor's surroundings; None where nothing can be completed.

    `text_lines` is accepted for callers of the whole-file reading and not needed.
    """
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
    facts: Facts | None = None


def hover_target(lines: Sequence[str], line: int, column: int, outline: Any = None) -> HoverTarget | None:
    """The key or value at (line, code-point column), read tolerantly (flow collections included).

    `outline` is accepted for older callers and not needed: only the lines around are read.
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

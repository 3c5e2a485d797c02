"""A tolerant, indentation-based reading of YAML text: key paths that survive broken files.

Completion and hover must work while the document does not parse (a half-typed key,
an empty `- ` entry, an unclosed quote elsewhere). This module reads block-style YAML
line by line: each line gives `- ` dashes and at most one `key:`, columns give nesting.
Lines it does not understand (flow collections spanning lines, continuation of quoted
scalars) are skipped, block scalars (`|`, `>`) are stepped over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from .navigator import MISSING_VALUE, PathPart

_KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)(?P<value>.*)$"""
)
_DASH = re.compile(r"-(?=[ \t]|$)[ \t]*")
_PARTIAL_KEY = re.compile(r"""^["']?[\w.$/-]*$""")
_COMMENT = re.compile(r"(^|[ \t]+)#.*$")


@dataclass
class Token:
    """A `-` or a `key:` on a line; `value` is the inline text after the colon, if any."""

    line: int
    column: int
    kind: str  # "dash" | "key"
    key: str = ""
    value: str = ""
    value_column: int = 0
    cursor: bool = False


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


@lru_cache(maxsize=8192)
def scalar_value(text: str) -> Any:
    """The value of an inline scalar as YAML reads it (MISSING_VALUE if not a scalar).

    Cached: a pure function of `text` whose results (scalars, the sentinel) are immutable.
    """
    text = _strip_comment(text).strip()
    if not text:
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text.strip("\"'")
    return value if isinstance(value, (str, int, float, bool)) or value is None else MISSING_VALUE


def _strip_comment(text: str) -> str:
    stripped = text.lstrip()
    if stripped[:1] in ("'", '"'):
        return text
    return _COMMENT.sub("", text)


def _unquote_key(key: str) -> str:
    key = key.strip()
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def tokenize(line_number: int, line: str) -> list[Token]:
    """The dashes and the key of one line (empty for blank lines, comments, bare scalars)."""
    tokens: list[Token] = []
    position = len(line) - len(line.lstrip(" \t"))
    if position >= len(line) or line[position] == "#":
        return tokens
    while position < len(line):
        dash = _DASH.match(line, position)
        if dash:
            tokens.append(Token(line_number, position, "dash", value=line[dash.end() :], value_column=dash.end()))
            position = dash.end()
            continue
        key = _KEY.match(line, position)
        if key:
            value_column = key.start("value") + (len(key.group("value")) - len(key.group("value").lstrip()))
            tokens.append(
                Token(
                    line_number,
                    position,
                    "key",
                    key=_unquote_key(key.group("key")),
                    value=key.group("value").strip(),
                    value_column=value_column,
                )
            )
        break
    return tokens


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


@dataclass
class CursorContext:
    """Where completion happens: a key in the mapping at `path`, or the value of `path`."""

    kind: str  # "key" | "value"
    path: list[PathPart]
    prefix: str
    start_column: int  # code-point column where the typed word starts
    key_column: int  # column of the key (for snippet indentation)
    present: list[str]
    outline: Outline


def cursor_context(
    lines: Sequence[str], line: int, column: int, text_lines: TextLines | None = None
) -> CursorContext | None:
    """Read the cursor's surroundings; None where nothing can be completed.

    `text_lines`, the per-line cache of these same `lines`, saves re-tokenizing them.
    """
    if not 0 <= line < len(lines):
        return None
    if text_lines is None or text_lines.lines is not lines:
        text_lines = TextLines(lines)
    text = lines[line]
    column = max(0, min(column, len(text)))
    prefix = text[:column]
    position = len(prefix) - len(prefix.lstrip(" \t"))
    if _in_block_scalar(text_lines, line, position if prefix.strip() else column):
        return None
    if "\t" in prefix[:position]:
        return None
    tokens: list[Token] = []
    while True:
        dash = _DASH.match(prefix, position)
        if not dash or dash.end() == position:
            break
        if dash.end() == len(prefix) and not prefix.endswith((" ", "\t")):
            return None  # `-|`: not an entry yet
        tokens.append(Token(line, position, "dash", cursor=True))
        position = dash.end()
    rest = prefix[position:]
    key = _KEY.match(rest)
    if key:
        value = key.group("value")
        typed = value.lstrip()
        if typed[:1] in ("|", ">", "[", "{", "&", "*", "#"):
            return None
        token = Token(line, position, "key", key=_unquote_key(key.group("key")), value=typed, cursor=True)
        tokens.append(token)
        outline = Outline(lines, (line, tokens), text_lines)
        owner = outline.nodes[id(token)].owner
        path = outline.path_of(owner)
        if path is None:
            return None
        start = column - len(typed.lstrip("\"'"))
        return CursorContext("value", [*path, token.key], typed.strip("\"'"), start, position, [], outline)
    if not _PARTIAL_KEY.match(rest):
        return None
    token = Token(line, position, "key", key=rest, cursor=True)
    tokens.append(token)
    outline = Outline(lines, (line, tokens), text_lines)
    mapping = outline.nodes[id(token)].owner
    path = outline.path_of(mapping)
    if path is None or not isinstance(mapping, TMap):
        return None
    # the outline reads the whole text, so keys below the cursor are in the mapping too
    present = [entry.token.key for entry in mapping.entries if not entry.token.cursor]
    return CursorContext("key", path, rest.strip("\"'"), position, position, present, outline)


def _in_block_scalar(text_lines: TextLines, line: int, indent: int) -> bool:
    """Is a line indented by `indent` at `line` the text of a `|`/`>` block scalar above it?"""
    block_indent = text_lines.block_before(line)
    return block_indent is not None and indent > block_indent


@dataclass
class HoverTarget:
    """What is under the cursor: a key, or the inline value of a key/list item."""

    kind: str  # "key" | "value"
    path: list[PathPart]
    text: str
    line: int
    start: int
    end: int


def hover_target(lines: Sequence[str], line: int, column: int, outline: Outline | None = None) -> HoverTarget | None:
    """The key or value at (line, code-point column), read tolerantly.

    `outline`, if given, must be `Outline(lines)` (a cached one for these same lines).
    """
    if not 0 <= line < len(lines):
        return None
    if outline is None:
        outline = Outline(lines)
    tokens = outline.tokens_by_line.get(line)
    if not tokens:
        return None
    for token in reversed(tokens):
        node = outline.nodes.get(id(token))
        if node is None:
            continue
        container = node.owner
        path = outline.path_of(container)
        if path is None:
            return None
        if token.kind == "key":
            raw_end = token.column + len(_raw_key(lines[line], token.column))
            if token.column <= column < raw_end:
                return HoverTarget("key", [*path, token.key], token.key, line, token.column, raw_end)
            value = _strip_comment(token.value).strip()
            value_end = token.value_column + len(value)
            if value and token.value_column <= column <= value_end:
                return HoverTarget("value", [*path, token.key], value, line, token.value_column, value_end)
        elif token.kind == "dash" and isinstance(node, TItem):
            value = _strip_comment(token.value).strip()
            if value and token is tokens[-1] and token.value_column <= column <= token.value_column + len(value):
                return HoverTarget(
                    "value", [*path, node.index], value, line, token.value_column, token.value_column + len(value)
                )
    return None


def _raw_key(line: str, column: int) -> str:
    match = _KEY.match(line, column)
    return match.group("key") if match else ""

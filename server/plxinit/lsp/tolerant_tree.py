"""A tree of the core's node types read tolerantly, for the outline and folding of a broken file.

While the text does not parse the core has no tree, yet the entries around an unclosed `{`
or quote are still worth showing. This reads the whole text once (per version, the caller
caches it): block structure by indentation (`tokens.tokenize` per line), each flow value with
`flow.read_flow` (which stops where an unclosed collection is abandoned), and builds
`MappingNode` / `SequenceNode` / `ScalarNode` so that `entries.init_lists` and the symbol code
read it as they read the exact tree.

Bounds: one pass over the lines; block nesting deeper than `block.MAX_DEPTH` and flow nesting
deeper than `flow.MAX_DEPTH` are left out, and a line of more than `tokens.MAX_DASHES` dashes
gives no tokens, so memory follows the number of lines, not their depth.

Ranges end at the last character of a node's content (the exact tree's block nodes end at
the next token instead; only the exact tree is used when the text parses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..yamldoc import MappingNode, Node, ScalarNode, SequenceNode
from . import flow
from .block import MAX_DEPTH
from .tokens import Token, strip_comment, tokenize, unquote_key

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Mark:
    """The (line, column) a node's span is read from, shaped like the parser's marks."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _scalar(text: str, line: int, start: int, end: int, key: bool = False) -> ScalarNode:
    raw = text.strip()
    style = raw[0] if raw[:1] in ("'", '"') else None
    value = unquote_key(raw) if key or style else raw
    if style and (len(raw) < 2 or raw[-1] != style):
        value = raw[1:]  # an unclosed quote: the text after it
    return ScalarNode(value, _STR, _Mark(line, start), _Mark(line, end), raw, style)


def _placeholder(line: int, column: int) -> ScalarNode:
    """The null value of a `key:` or `-` with nothing after it (yet)."""
    return ScalarNode(None, _NULL, _Mark(line, column), _Mark(line, column), "", None)


def _set_end(node: Node, end: tuple[int, int]) -> None:
    node._end_mark = _Mark(*end)


def _finish_mapping(node: MappingNode) -> None:
    node.by_key = {key.value: (key, value) for key, value in node.pairs if isinstance(key, ScalarNode)}


class _Open:
    """A block container being read: its column and node."""

    __slots__ = ("column", "node")

    def __init__(self, column: int, node: MappingNode | SequenceNode) -> None:
        self.column = column
        self.node = node


class _Builder:
    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.root: Node | None = None
        self.stack: list[_Open] = []
        self.mappings: list[MappingNode] = []
        self.last_end = (0, 0)  # end of the last content read

    def build(self) -> Node | None:
        lines = self.lines
        number = 0
        block_indent: int | None = None  # inside a `|`/`>` scalar: the indentation of its owner
        while number < len(lines):
            text = lines[number]
            content = strip_comment(text).rstrip()
            indent = len(text) - len(text.lstrip(" \t"))
            if block_indent is not None and (not content.strip() or indent > block_indent):
                if content.strip():
                    self.last_end = (number, len(content))
                number += 1
                continue
            block_indent = None
            tokens = tokenize(number, text)
            if not tokens:
                if content.strip():
                    self.last_end = (number, len(content))
                number += 1
                continue
            placed = all(self._add(token) for token in tokens)  # stops at a token nested too deep
            last = tokens[-1]
            value = strip_comment(last.value).strip()
            if value[:1] in ("{", "["):
                number = self._flow_value(number, last.value_column, placed) + 1
                continue
            if value[:1] in ("|", ">"):
                block_indent = tokens[0].column
            elif value and placed:
                self._set_value(_scalar(value, number, last.value_column, last.value_column + len(value)))
            self.last_end = (number, len(content))
            number += 1
        while self.stack:
            self._close(self.stack.pop())
        for mapping in self.mappings:
            _finish_mapping(mapping)
        return self.root

    # ------------------------------------------------------------------ block structure
    def _close(self, open_: _Open) -> None:
        _set_end(open_.node, self.last_end)

    def _add(self, token: Token) -> bool:
        """Place a `-` or `key:`; False when it is nested too deep to follow."""
        stack = self.stack
        while stack and stack[-1].column > token.column:
            self._close(stack.pop())
        if (
            token.kind == "key"
            and stack
            and isinstance(stack[-1].node, SequenceNode)
            and stack[-1].column == token.column
        ):
            self._close(stack.pop())  # `key:` back at the column of the list under the previous key
        top = stack[-1] if stack else None
        same = top is not None and top.column == token.column
        if token.kind == "key":
            if top is not None and same and isinstance(top.node, MappingNode):
                self._pair(top.node, token)
                return True
            if len(stack) >= MAX_DEPTH:
                return False
            mapping = MappingNode(_MAP, _Mark(token.line, token.column), False)
            self.mappings.append(mapping)
            self._attach(mapping)
            stack.append(_Open(token.column, mapping))
            self._pair(mapping, token)
            return True
        if top is not None and same and isinstance(top.node, SequenceNode):
            top.node.items.append(_placeholder(token.line, token.value_column))
            return True
        if len(stack) >= MAX_DEPTH:
            return False
        sequence = SequenceNode(_SEQ, _Mark(token.line, token.column), False)
        self._attach(sequence)
        stack.append(_Open(token.column, sequence))
        sequence.items.append(_placeholder(token.line, token.value_column))
        return True

    def _pair(self, mapping: MappingNode, token: Token) -> None:
        raw_key = _raw_key(self.lines[token.line], token)
        end = token.column + len(raw_key)
        key = ScalarNode(token.key, _STR, _Mark(token.line, token.column), _Mark(token.line, end), raw_key, None)
        mapping.pairs.append((key, _placeholder(token.line, token.value_column or end + 1)))

    def _attach(self, node: Node) -> None:
        """Make `node` the value of the open slot of the innermost container (or the root)."""
        if not self.stack:
            if self.root is None:
                self.root = node
            return
        self._set_value(node)

    def _set_value(self, node: Node) -> None:
        if not self.stack:
            return
        holder = self.stack[-1].node
        if isinstance(holder, MappingNode) and holder.pairs:
            key, value = holder.pairs[-1]
            if isinstance(value, ScalarNode) and value.tag == _NULL:
                holder.pairs[-1] = (key, node)
        elif isinstance(holder, SequenceNode) and holder.items:
            value = holder.items[-1]
            if isinstance(value, ScalarNode) and value.tag == _NULL:
                holder.items[-1] = node

    # ------------------------------------------------------------------ flow values
    def _flow_value(self, number: int, column: int, placed: bool) -> int:
        """Read the flow collection opening at (number, column) (the value of the last token if
        `placed`); the last line it takes."""
        reading = flow.read_flow(self.lines, (number, column), [])
        node, end = _flow_tree(reading)
        if node is not None and placed:
            self._set_value(node)
        last = self._flow_last_line(number, reading)
        self.last_end = end if end is not None else (number, len(strip_comment(self.lines[number]).rstrip()))
        if not reading.closed:
            text = strip_comment(self.lines[last]).rstrip()
            self.last_end = max(self.last_end, (last, len(text)))
        return last

    def _flow_last_line(self, number: int, reading: flow.FlowReading) -> int:
        root = reading.frames[0] if reading.frames else None
        if reading.closed and root is not None and root.end is not None:
            return root.end[0]
        # unclosed: `read_flow` stopped at the first line no more indented than the opener's
        lines = self.lines
        opener_indent = len(lines[number]) - len(lines[number].lstrip(" "))
        last = number
        for below in range(number + 1, min(len(lines), number + flow.MAX_LINES)):
            text = lines[below]
            if not text.strip():
                continue
            if len(text) - len(text.lstrip(" ")) <= opener_indent:
                break
            last = below
        return last


def _raw_key(text: str, token: Token) -> str:
    """The key as written on its line (quotes kept), without the colon and the space before it."""
    rest = text[token.column :]
    if token.value_column:
        rest = text[token.column : token.value_column]
    head = rest.rstrip()
    head = head[:-1] if head.endswith(":") else head.rsplit(":", 1)[0]
    return head.rstrip()


def _flow_tree(reading: flow.FlowReading) -> tuple[Node | None, tuple[int, int] | None]:
    """The nodes of one flow reading, and where its root ends (None when unclosed and empty)."""
    events: list[tuple[tuple[int, int], int, Any]] = []
    for opened in reading.frames:
        if "\0" not in opened.path:  # a collection used as a key, or after a value: not followed
            events.append((opened.start, 0, opened))
    for scalar in reading.scalars:
        if "\0" not in scalar.path:
            events.append(((scalar.line, scalar.start), 1, scalar))
    events.sort(key=lambda event: (event[0], event[1]))
    by_path: dict[tuple[Any, ...], tuple[flow.FlowFrame, MappingNode | SequenceNode]] = {}
    order: list[tuple[flow.FlowFrame, MappingNode | SequenceNode]] = []
    last_inside: dict[int, tuple[int, int]] = {}  # id(node) -> end of the last thing put in it
    parents: dict[int, MappingNode | SequenceNode] = {}
    root: Node | None = None
    for _, kind, item in events:
        path = tuple(item.path)
        if kind == 0:
            frame: flow.FlowFrame = item
            node: MappingNode | SequenceNode
            if frame.kind == "map":
                node = MappingNode(_MAP, _Mark(*frame.start), True)
            else:
                node = SequenceNode(_SEQ, _Mark(*frame.start), True)
            if frame.end is not None:
                _set_end(node, (frame.end[0], frame.end[1] + 1))
            owner = by_path.get(path[:-1]) if root is not None else None
            if root is None:
                root = node
            elif owner is None:
                continue
            else:
                _put(owner[1], node, path[-1], last_inside, (frame.start[0], frame.start[1] + 1))
                parents[id(node)] = owner[1]
            by_path[path] = (frame, node)
            order.append((frame, node))
            continue
        owner = by_path.get(path[:-1])
        if owner is None:
            continue
        scalar = item
        leaf = _scalar(scalar.text, scalar.line, scalar.start, scalar.end, key=scalar.role == "key")
        if scalar.role == "key" and isinstance(owner[1], MappingNode):
            owner[1].pairs.append((leaf, _placeholder(scalar.line, scalar.end)))
            last_inside[id(owner[1])] = (scalar.line, scalar.end)
        elif scalar.role == "value":
            _put(owner[1], leaf, path[-1], last_inside, (scalar.line, scalar.end))
    # ends, children before parents (reversed opening order): an unclosed collection ends after
    # the last thing it holds, and a collection's end counts for its parent's
    for opened, node in reversed(order):
        if opened.end is None:
            _set_end(node, last_inside.get(id(node), (opened.start[0], opened.start[1] + 1)))
        if isinstance(node, MappingNode):
            _finish_mapping(node)
        parent = parents.get(id(node))
        if parent is not None:
            mine = (node.end.line, node.end.column)
            last_inside[id(parent)] = max(last_inside.get(id(parent), mine), mine)
    if root is None:
        return None, None
    return root, (root.end.line, root.end.column)


def _put(
    owner: MappingNode | SequenceNode,
    node: Node,
    part: Any,
    last_inside: dict[int, tuple[int, int]],
    end: tuple[int, int],
) -> None:
    if isinstance(owner, MappingNode):
        if owner.pairs and owner.pairs[-1][0].value == part:
            owner.pairs[-1] = (owner.pairs[-1][0], node)
    else:
        owner.items.append(node)
    last_inside[id(owner)] = end


def tolerant_root(lines: Sequence[str]) -> Node | None:
    """The tree of `lines` read tolerantly (see the module's docstring)."""
    return _Builder(lines).build()

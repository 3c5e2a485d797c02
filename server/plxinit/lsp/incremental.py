"""Re-read only the edited init entry: the core's reading of a new version from the previous one.

Reading a 10,000-line file costs ~130 ms, nearly all of it PyYAML's events; validating its value
costs ~10 ms. When an edit stays inside one block-style item of a block sequence (one entry of a
long `init:` list) and nothing in the file can make that item read differently on its own, the
item's lines are dedented and read alone by the core's own reader (`yamldoc.parse_document`), its
positions shifted back, and the new item spliced into a copy of the tree's spine (the old tree is
never changed: another thread may still be reading it).

The rules are deliberately conservative; anything else returns None and the caller reads the
whole text. The server also re-reads the whole text in the background and republishes if the
verdict differs (see server.py), and tests/lsp/test_incremental.py fuzzes both paths against
each other.
- same number of lines as the previous version, no `\\r` anywhere, no text that needs PyYAML's
  pure-Python parser (tabs, tags, directives, `?`, escapes...), in the document or in the item;
- the previous reading was not fatal, had no aliases and no merge keys, and was JSON-compatible;
- the changed lines lie inside one item's lines: from its dash line (`<k spaces>- key...`, the
  item a block mapping) up to the line before where the item ends (the next dash, or the next
  token after the sequence); every one of those lines, before and after, is blank or indented
  by at least k (so dedenting by k is exact) and none starts a document marker;
- the item read alone is exactly one block mapping, with no alias or merge, not fatal, that ends
  at the end of its lines and, once shifted, starts where the old item did (so every ancestor's
  span is unchanged);
- the item read alone has no diagnostic (a duplicate key's message quotes line numbers), and the
  previous diagnostics lie wholly inside or wholly outside its lines (the inside ones are dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Position
from ..yamldoc import MAX_DEPTH, MappingNode, Node, ParsedDocument, SequenceNode, needs_pure_parser, parse_document

#: `<k spaces>- ` before an item's first key: the only dash line shape taken.
_DASH_PREFIX = re.compile(r"( *)- +")


class _Mark:
    """A position as the core's nodes hold it (libyaml's marks have the same two attributes)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Base:
    """A version whose reading is known: its lines and the core's reading of them."""

    version: int
    lines: list[str]
    parsed: ParsedDocument
    plain: bool  # no alias and no merge anywhere in the tree


def base_of(version: int, lines: list[str], parsed: ParsedDocument) -> Base:
    """The `Base` of a full reading (walks the tree once to see whether it is plain)."""
    return Base(version, lines, parsed, parsed.root is not None and parsed.json_compatible and _plain(parsed.root))


def _plain(root: Node) -> bool:
    """No alias sites and no merged keys anywhere under `root`."""
    todo: list[Node] = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, MappingNode):
            if node.alias_sites or node.merged_by:
                return False
            for key, value in node.pairs:
                todo.append(key)
                todo.append(value)
        elif isinstance(node, SequenceNode):
            if node.alias_sites:
                return False
            todo.extend(node.items)
    return True


def _changed_span(old: list[str], new: list[str]) -> tuple[int, int] | None:
    """First and last index of the lines that differ (same length assumed); None if none do."""
    size = len(old)
    first = 0
    while first < size and old[first] == new[first]:
        first += 1
    if first == size:
        return None
    last = size - 1
    while last > first and old[last] == new[last]:
        last -= 1
    return first, last


def _child_at(node: Node, line: int) -> tuple[Node, int | None] | None:
    """The child of a block collection whose value spans `line` (with its index in a sequence)."""
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.items):
            if item.start.line <= line < max(item.end.line, item.start.line + 1):
                return item, index
        return None
    if isinstance(node, MappingNode):
        for _key, value in node.pairs:
            if isinstance(value, (MappingNode, SequenceNode)) and value.start.line <= line < value.end.line:
                return value, None
    return None


def _dedented(lines: list[str], indent: int) -> list[str] | None:
    """The lines without their first `indent` columns; None if one has text there or is a doc marker."""
    out = []
    for line in lines:
        if line[:indent].strip(" "):
            return None
        rest = line[indent:]
        if rest.startswith(("---", "...")):
            return None
        out.append(rest)
    return out


def _shift(root: Node, lines: int, columns: int, region: int, end: Position) -> int:
    """Move every node under `root` from the standalone text back into the document; returns the depth.

    The standalone text is the item's `region` lines dedented by `columns`. A mark at column 0 is
    where libyaml stood after a line break, before any indentation (the end of a block scalar):
    it stays at column 0. A collection that ends at the end of the standalone text ends, in the
    document, where the old item did (at the next token, which the edit did not touch).
    """
    deepest = 0
    todo: list[tuple[Node, int]] = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        start, stop = node._start_mark, node._end_mark
        node._start_mark = _Mark(start.line + lines, start.column + columns if start.column else 0)
        if stop.line == region and not stop.column and isinstance(node, (MappingNode, SequenceNode)):
            node._end_mark = _Mark(end.line, end.column)
        else:
            node._end_mark = _Mark(stop.line + lines, stop.column + columns if stop.column else 0)
        if isinstance(node, MappingNode):
            for key, value in node.pairs:
                todo.append((key, depth + 1))
                todo.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            todo.extend((item, depth + 1) for item in node.items)
    return deepest


def _inside(diagnostic: Diagnostic, first: int, last: int) -> bool | None:
    """True if every range of the diagnostic lies in lines first..last, False if none does, else None."""
    ranges = [diagnostic.range, *(r.range for r in diagnostic.related)]
    inside = [first <= r.start.line and r.end.line <= last for r in ranges]
    outside = [r.end.line < first or r.start.line > last for r in ranges]
    if all(inside):
        return True
    if all(outside):
        return False
    return None


def _copy_with(parent: Node, index: int | None, old_child: Node, new_child: Node) -> Node:
    """A shallow copy of `parent` with `old_child` (its item `index`, or a mapping value) replaced."""
    if isinstance(parent, SequenceNode):
        assert index is not None
        sequence = SequenceNode(parent.tag, parent._start_mark, parent.flow)
        sequence._end_mark = parent._end_mark
        sequence.size = parent.size - old_child.size + new_child.size
        sequence.items = list(parent.items)
        sequence.items[index] = new_child
        sequence.value = list(parent.value)
        sequence.value[index] = new_child.value
        return sequence
    assert isinstance(parent, MappingNode)
    mapping = MappingNode(parent.tag, parent._start_mark, parent.flow)
    mapping._end_mark = parent._end_mark
    mapping.size = parent.size - old_child.size + new_child.size
    mapping.pairs = [(key, new_child if value is old_child else value) for key, value in parent.pairs]
    mapping.by_key = {}
    mapping.value = dict(parent.value)
    for key, (key_node, value) in parent.by_key.items():
        if value is old_child:
            mapping.by_key[key] = (key_node, new_child)
            mapping.value[key] = new_child.value
        else:
            mapping.by_key[key] = (key_node, value)
    return mapping


def reread(base: Base, text: str, lines: list[str]) -> ParsedDocument | None:
    """The core's reading of `text` (whose lines are `lines`) from `base`; None when only a full read is sure."""
    if not base.plain or len(lines) != len(base.lines) or "\r" in text:
        return None
    span = _changed_span(base.lines, lines)
    root = base.parsed.root
    if span is None or root is None:
        return None
    first, last = span
    # descend to the outermost block sequence whose item (a block mapping) holds the changed lines
    spine: list[tuple[Node, int | None]] = []  # (node, index of it in its parent sequence)
    node: Node = root
    while True:
        if not isinstance(node, (MappingNode, SequenceNode)) or node.flow:
            return None
        found = _child_at(node, first)
        if found is None:
            return None
        child, index = found
        spine.append((node, index))
        if isinstance(node, SequenceNode) and isinstance(child, MappingNode) and not child.flow:
            break
        node = child
    sequence, index = spine[-1]
    assert isinstance(sequence, SequenceNode) and index is not None
    item = sequence.items[index]
    dash_line, end = item.start.line, item.end
    match = _DASH_PREFIX.fullmatch(base.lines[dash_line][: item.start.column])
    if match is None:
        return None
    indent = len(match.group(1))
    region_end = end.line  # the item's lines are dash_line .. region_end - 1 (it ends at the next token)
    if region_end > len(lines) or end.column > indent:
        return None
    if region_end < len(lines) and base.lines[region_end][: end.column].strip(" "):
        return None
    if not dash_line <= first <= last < region_end:
        return None
    if not lines[dash_line].startswith(base.lines[dash_line][: item.start.column]):
        return None
    old_region = _dedented(base.lines[dash_line:region_end], indent)
    new_region = _dedented(lines[dash_line:region_end], indent)
    if old_region is None or new_region is None:
        return None
    standalone = "".join(line + "\n" for line in new_region)
    if region_end == len(lines):  # the document's last line has no line break after it
        standalone = standalone[:-1]
    if needs_pure_parser(standalone) or needs_pure_parser(text):
        return None
    alone = parse_document(standalone)
    top = alone.root
    if (
        not isinstance(top, SequenceNode)
        or top.flow
        or len(top.items) != 1
        or not isinstance(top.items[0], MappingNode)
        or top.items[0].flow
        or not alone.json_compatible
        or not _plain(top)
        or alone.diagnostics  # their messages and data quote positions: a full reading words them
    ):
        return None
    new_item = top.items[0]
    if new_item.end != Position(len(new_region), 0):  # a block mapping ends at the end of its lines
        return None
    depth = _shift(new_item, dash_line, indent, len(new_region), end)
    if new_item.start != item.start or len(spine) + depth >= MAX_DEPTH - 2:
        return None
    kept: list[Diagnostic] = []
    for diagnostic in base.parsed.diagnostics:
        inside = _inside(diagnostic, dash_line, region_end - 1)
        if inside is None:
            return None
        if not inside:
            kept.append(diagnostic)
    # a new spine, from the sequence up to the root
    old_child: Node = item
    new_child: Node = new_item
    for parent, child_index in reversed(spine):  # each entry: a node and the index of its child on the path
        old_child, new_child = parent, _copy_with(parent, child_index, old_child, new_child)
    kept.sort(key=lambda d: d.sort_key)
    return ParsedDocument(text, new_child, kept, True)

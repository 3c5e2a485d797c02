"""Init entries in a parsed document: where each `init` list and entry is, and its handler."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..schema import load_schema
from ..yamldoc import MappingNode, Node, ScalarNode, SequenceNode

PathPart = str | int


def builtin_handlers() -> list[str]:
    """The built-in handler keys (and their snake_case aliases), from the schema."""
    entry = load_schema()["$defs"]["init-entry"]
    handlers = list(entry.get("x-plx-handlers", []))
    for name, sub in entry.get("properties", {}).items():
        if isinstance(sub, dict) and sub.get("x-plx-alias-of") in handlers:
            handlers.append(name)
    return handlers


@dataclass
class InitList:
    path: list[PathPart]
    key: Node
    node: SequenceNode


def init_lists(root: Node | None) -> Iterator[InitList]:
    """Every `init:` list in the document, outermost first (iterative walk)."""
    stack: list[tuple[Node, list[PathPart]]] = [(root, [])] if root is not None else []
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Node, list[PathPart]]] = []
        if isinstance(node, MappingNode):
            for key, value in node.pairs:
                name = key.value if isinstance(key, ScalarNode) else None
                if name == "init" and isinstance(value, SequenceNode):
                    yield InitList([*path, "init"], key, value)
                    continue
                if isinstance(name, (str, int)):
                    children.append((value, [*path, name]))
        elif isinstance(node, SequenceNode):
            children.extend((item, [*path, index]) for index, item in enumerate(node.items))
        stack.extend(reversed(children))


def entry_label(entry: MappingNode) -> tuple[str, Node | None]:
    """`git (connection: repo2)` and the key node naming the entry."""
    handlers = builtin_handlers()
    handler = next(((k, v) for k, v in entry.pairs if isinstance(k, ScalarNode) and k.value in handlers), None)
    if handler is None:
        handler = next(((k, v) for k, v in entry.pairs if isinstance(k, ScalarNode) and k.value == "container"), None)
    connection = entry.get("connection")
    suffix = ""
    if connection is not None and isinstance(connection[1], ScalarNode) and connection[1].value:
        suffix = f" (connection: {connection[1].value})"
    if handler is None:
        if connection is not None:
            return f"connection{suffix}", connection[0]
        first = entry.pairs[0][0] if entry.pairs else None
        return "entry", first
    return f"{handler[0].value}{suffix}", handler[0]


def last_content_line(lines: list[str], node: Node) -> int:
    """The last line holding `node`'s text: a block node's end mark sits on the next token."""
    end = node.end
    line = end.line
    if line >= len(lines) or not lines[line][: end.column].strip(" -\t"):
        line -= 1
    line = min(line, len(lines) - 1)
    while line > node.start.line and not lines[line].strip():
        line -= 1
    return max(node.start.line, line)

"""Find the nodes an instance path (of a jsonschema error) leads to in the YAML node tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .yamldoc import MappingNode, Node, SequenceNode

PathPart = str | int


@dataclass
class Located:
    """The nodes an instance path leads to: the value, its key (if any), its parent mapping."""

    value: Node | None
    key: Node | None
    parent: Node | None


def locate(root: Node, path: Iterable[PathPart]) -> Located:
    """Follow an instance path through the node tree, stopping where it no longer matches."""
    node: Node | None = root
    key_node: Node | None = None
    parent: Node | None = None
    for part in path:
        if isinstance(node, MappingNode):
            pair = node.get(part)
            if pair is None:
                break
            parent, key_node, node = node, pair[0], pair[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.items):
            parent, key_node, node = node, None, node.items[part]
        else:
            break
    return Located(node, key_node, parent)

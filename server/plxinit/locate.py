"""Find the nodes an instance path (of a jsonschema error) leads to in the YAML node tree.

An aliased node is the anchored node itself, so its own range is where it was defined. A
user fixes a mistake where they see it used, so `locate()` also records the outermost place
on the path where the value came in through an alias (`path: *v`) or a merge key (`<<: *b`):
diagnostics are reported there, with the definition as related information.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Range
from .yamldoc import MappingNode, Node, SequenceNode

PathPart = str | int


@dataclass(frozen=True)
class UseSite:
    """Where a value defined elsewhere is used: an alias token `*name` or a `<<` merge key."""

    range: Range
    anchor: str | None  # the alias's anchor name; None for a merge key

    def explanation(self) -> str:
        """What the related information at the definition says."""
        if self.anchor is None:
            return "defined here, and merged in by `<<`"
        return f"defined here, as `&{self.anchor}`, and used through `*{self.anchor}`"


@dataclass
class Located:
    """The nodes an instance path leads to: the value, its key (if any), its parent mapping.

    `site` is the outermost alias or merge key the path went through (None when the value
    is written where the path leads).
    """

    value: Node | None
    key: Node | None
    parent: Node | None
    site: UseSite | None = None


def locate(root: Node, path: Iterable[PathPart]) -> Located:
    """Follow an instance path through the node tree, stopping where it no longer matches."""
    node: Node | None = root
    key_node: Node | None = None
    parent: Node | None = None
    site: UseSite | None = None
    for part in path:
        if isinstance(node, MappingNode):
            pair = node.get(part)
            if pair is None:
                break
            if site is None:
                site = key_site(node, part)
            parent, key_node, node = node, pair[0], pair[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.items):
            if site is None:
                alias = node.alias_sites.get(part)
                if alias is not None:
                    site = UseSite(alias.range, alias.anchor)
            parent, key_node, node = node, None, node.items[part]
        else:
            break
    return Located(node, key_node, parent, site)


def key_site(mapping: MappingNode, key: PathPart) -> UseSite | None:
    """Where the value of `key` in `mapping` is used, when it is defined elsewhere.

    A key brought in by a merge is reported at the `<<` key that merged it; a value written
    as an alias (`key: *v`) at the alias.
    """
    merged_by = mapping.merged_by.get(key)
    if merged_by is not None:
        return UseSite(merged_by.range, None)
    alias = mapping.alias_sites.get(key)
    if alias is not None:
        return UseSite(alias.range, alias.anchor)
    return None


def key_node_site(mapping: MappingNode, key: PathPart) -> UseSite | None:
    """Where a KEY of `mapping` is seen: only a merge moves a key (an alias brings a value)."""
    merged_by = mapping.merged_by.get(key)
    return UseSite(merged_by.range, None) if merged_by is not None else None

"""Side tables of the YAML reader: where an aliased value was used, and which `<<` merged a key.

The error mapper reports a value where it is used (`path: *v`), not where it was anchored;
these tables are what it reads.
"""

from __future__ import annotations

from plxinit.diagnostics import Position, Range
from plxinit.yamldoc import MappingNode, Node, SequenceNode, parse_document


def _root(text: str) -> MappingNode:
    document = parse_document(text)
    assert document.root is not None, document.diagnostics
    assert isinstance(document.root, MappingNode)
    return document.root


def _value(mapping: Node, key: str) -> Node:
    assert isinstance(mapping, MappingNode)
    pair = mapping.get(key)
    assert pair is not None
    return pair[1]


def test_an_aliased_mapping_value_records_the_alias_token_and_anchor_name() -> None:
    root = _root("connection: &v yes\npath: *v\n")
    site = root.alias_sites["path"]
    assert (site.range, site.anchor) == (Range(Position(1, 6), Position(1, 8)), "v")
    assert list(root.alias_sites) == ["path"]  # the anchored value itself is no alias
    assert _value(root, "path") is _value(root, "connection")  # shared, never copied


def test_an_aliased_sequence_item_is_recorded_by_its_index() -> None:
    root = _root("a: &x 1\nb: [1, *x, 2, *x]\n")
    items = _value(root, "b")
    assert isinstance(items, SequenceNode)
    assert {index: (site.range.start, site.anchor) for index, site in items.alias_sites.items()} == {
        1: (Position(1, 7), "x"),
        3: (Position(1, 14), "x"),
    }


def test_an_alias_overridden_by_a_later_duplicate_key_is_not_recorded() -> None:
    root = _root("a: &x 1\nb: *x\nb: 2\nc: 3\nc: *x\n")
    assert list(root.alias_sites) == ["c"]
    assert root.alias_sites["c"].range.start == Position(4, 3)


def test_merged_keys_name_the_merge_key_of_this_mapping_that_brought_them() -> None:
    root = _root("base: &b {image: x, env: y}\nmore: &m {args: z}\nuse:\n  <<: *b\n  env: own\n  <<: [*m]\n")
    use = _value(root, "use")
    assert isinstance(use, MappingNode)
    assert {key: node.start for key, node in use.merged_by.items()} == {
        "image": Position(3, 2),
        "args": Position(5, 2),
    }  # `env` is the mapping's own: explicit keys win over merged ones
    assert use.value == {"image": "x", "env": "own", "args": "z"}


def test_keys_merged_through_a_nested_merge_name_the_outer_merge_key() -> None:
    root = _root("a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nc:\n  <<: *b\n")
    c = _value(root, "c")
    assert isinstance(c, MappingNode)
    assert {key: node.start for key, node in c.merged_by.items()} == {"p": Position(3, 2), "q": Position(3, 2)}


def test_without_aliases_or_merges_the_tables_are_one_shared_empty_dict() -> None:
    root = _root("a: {b: [1, 2]}\nc: [{d: 1}]\n")
    inner = _value(root, "a")
    items = _value(inner, "b")
    assert isinstance(inner, MappingNode) and isinstance(items, SequenceNode)
    tables = [root.alias_sites, root.merged_by, inner.alias_sites, inner.merged_by, items.alias_sites]
    assert all(table == {} and table is tables[0] for table in tables)

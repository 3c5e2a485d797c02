"""The YAML reader: the same values as yaml.safe_load (Polyaxon's reader), with positions."""

from __future__ import annotations

import pytest
import yaml

from plxinit.diagnostics import Position
from plxinit.yamldoc import MappingNode, parse_document

SAME_AS_SAFE_LOAD = [
    "a: yes\nb: on\nc: off\nd: no\ne: ~\nf: 0755\ng: 0x1F\nh: 1e3\ni: 1_000\nj: .inf\nk: 2020-01-02\n",
    "a: 'yes'\nb: \"0755\"\nc: !!str 12\nd: !!int '7'\n",
    "x: &a {p: 1, q: [1, 2]}\ny:\n  <<: *a\n  q: 3\n",
    "x: &a {p: 1}\nz: &b {p: 2, r: 5}\ny:\n  <<: [*a, *b]\n",
    "a: 1\na: 2\n",
    "list:\n  - - nested\n    - [flow, {k: v}]\n",
    "text: |\n  line 1\n  line 2\nfolded: >\n  a\n  b\n",
    "? complex key\n: value\n",
    "null_key: {~: 1}\n",
]


@pytest.mark.parametrize("text", SAME_AS_SAFE_LOAD)
def test_values_match_yaml_safe_load(text: str) -> None:
    document = parse_document(text)
    assert document.root is not None
    assert document.root.value == yaml.safe_load(text)


def test_sets_and_ordered_maps_read_as_the_lists_pydantic_makes_of_them() -> None:
    document = parse_document("set: !!set {a, b}\nomap: !!omap [a: 1, b: 2]\n")
    assert document.root is not None
    assert document.root.value == {"set": ["a", "b"], "omap": [["a", 1], ["b", 2]]}
    assert yaml.safe_load("s: !!set {a, b}\n") == {"s": {"a", "b"}}


def test_positions_count_code_points_and_keep_key_and_value_spans() -> None:
    document = parse_document("名前😀: 值\nkey: value\n")
    root = document.root
    assert isinstance(root, MappingNode)
    (k1, v1), (k2, v2) = root.pairs
    assert (k1.start, k1.end, v1.start, v1.end) == (
        Position(0, 0),
        Position(0, 3),
        Position(0, 5),
        Position(0, 6),
    )
    assert (k2.start, v2.end) == (Position(1, 0), Position(1, 10))


def test_duplicate_key_warns_at_the_second_key_and_the_last_value_wins() -> None:
    document = parse_document("a: 1\nb: 2\na: 3\n")
    assert document.root is not None and document.root.value == {"a": 3, "b": 2}
    [warning] = document.diagnostics
    assert warning.code == "duplicate-key"
    assert warning.range.start == Position(2, 0)
    assert "line 1" in warning.message


def test_a_long_duplicate_key_is_clipped_by_the_reader_itself() -> None:
    # a 400 KB key given twice must not put 400 KB into the reader's own message
    key = "k" + "x" * 400_000
    [warning] = parse_document(f"? {key}\n: 1\n? {key}\n: 2\n").diagnostics  # `?`: a plain key stops at 1,024
    assert (warning.code, warning.range.start) == ("duplicate-key", Position(2, 2))
    assert (
        warning.message == "Duplicate key `k" + "x" * 78 + "…`: it overrides the one on line 1 (the last value wins)."
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: [1, 2\n", "yaml-syntax"),
        ("a: !python/object:os.system x\n", "yaml-syntax"),
        ("a: *nope\n", "yaml-syntax"),
        ("a: 2020-13-45\n", "yaml-syntax"),
        ("a: \x07\n", "yaml-syntax"),
        ("a: " + "[" * 1000 + "]" * 1000 + "\n", "too-complex"),
        ("a: &x [*x]\n", "too-complex"),
        ("a: &x {b: [1, *x]}\n", "too-complex"),
    ],
)
def test_unreadable_input_gives_one_diagnostic_and_no_root(text: str, code: str) -> None:
    document = parse_document(text)
    assert document.root is None
    assert [d.code for d in document.diagnostics] == [code]

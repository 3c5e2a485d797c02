"""Explicit tags the way `yaml.safe_load` (Polyaxon's reader) takes them.

A tagged value that PyYAML cannot construct, whatever the exception its constructor raises
(a KeyError for `!!bool maybe`, an IndexError for `!!int ''`), is a `yaml-syntax` error on
that value, never an exception; a tag on the wrong kind of node gets PyYAML's own words.
"""

from __future__ import annotations

import pytest
import yaml

from plxinit.diagnostics import Position, Range
from plxinit.yamldoc import parse_document


def _only_error(text: str) -> tuple[Range, str]:
    document = parse_document(text)
    assert document.root is None
    [diagnostic] = document.diagnostics
    assert (diagnostic.code, diagnostic.severity.value) == ("yaml-syntax", "error")
    return diagnostic.range, diagnostic.message


def _line0(start: int, end: int) -> Range:
    return Range(Position(0, start), Position(0, end))


@pytest.mark.parametrize(
    ("text", "end", "message"),
    [
        ("a: !!bool maybe\n", 15, "`maybe` is not a valid `!!bool` (fix the value or drop the tag)"),
        ("a: !!int ''\n", 11, "the empty value is not a valid `!!int` (fix the value or drop the tag)"),
        ("a: !!int +\n", 10, "`+` is not a valid `!!int` (fix the value or drop the tag)"),
        ("a: !!float ''\n", 13, "the empty value is not a valid `!!float` (fix the value or drop the tag)"),
        ("a: !!timestamp x\n", 16, "`x` is not a valid `!!timestamp` (fix the value or drop the tag)"),
        ("a: !!int 0x\n", 11, "`0x` is not a valid `!!int` (fix the value or drop the tag)"),  # not int()'s words
    ],
)  # fmt: skip
def test_a_tagged_scalar_its_constructor_refuses_is_an_error_on_that_scalar(text: str, end: int, message: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - PyYAML raises KeyError, IndexError, ...
        yaml.safe_load(text)
    assert _only_error(text) == (_line0(3, end), f"YAML value error: {message}")


def test_an_implicit_timestamp_that_is_no_date_says_to_quote_it() -> None:
    assert _only_error("when: 2020-13-45\n") == (
        _line0(6, 16),
        "YAML value error: `2020-13-45` reads as a `!!timestamp` but is not a valid one: month must be in 1..12 "
        "(quote it to make it a string)",
    )


@pytest.mark.parametrize(
    ("text", "tag_end", "problem", "takes"),
    [
        ("a: !!str [a]\n", 8, "expected a scalar node, but found sequence", "`!!str` takes a scalar"),
        ("a: !!null [a]\n", 9, "expected a scalar node, but found sequence", "`!!null` takes a scalar"),
        ("a: !!int {b: 1}\n", 8, "expected a scalar node, but found mapping", "`!!int` takes a scalar"),
        ("a: !!map a\n", 10, "expected a mapping node, but found scalar", "`!!map` takes a mapping"),
        ("a: !!set [a]\n", 8, "expected a mapping node, but found sequence", "`!!set` takes a mapping"),
        ("a: !!seq {a: 1}\n", 8, "expected a sequence node, but found mapping", "`!!seq` takes a sequence"),
        ("a: !!seq a\n", 10, "expected a sequence node, but found scalar", "`!!seq` takes a sequence"),
        ("a: !!omap {a: 1}\n", 9, "expected a sequence, but found mapping", "`!!omap` takes a sequence"),
        ("a: !!pairs a\n", 12, "expected a sequence, but found scalar", "`!!pairs` takes a sequence"),
    ],
)
def test_a_tag_on_the_wrong_kind_of_node_gets_pyyamls_words(text: str, tag_end: int, problem: str, takes: str) -> None:
    with pytest.raises(yaml.constructor.ConstructorError) as raised:
        yaml.safe_load(text)
    assert raised.value.problem == problem
    assert _only_error(text) == (_line0(3, tag_end), f"YAML value error: {problem} (the tag {takes})")


def test_the_tag_range_skips_the_anchor_before_it() -> None:
    assert _only_error("a: &x !!int [a]\n")[0] == _line0(6, 11)


@pytest.mark.parametrize(
    ("text", "at", "problem", "ours"),
    [
        ("a: !!omap [b]\n", _line0(11, 12), "expected a mapping of length 1, but found scalar", None),
        ("a: !!pairs [[b]]\n", _line0(12, 15), "expected a mapping of length 1, but found sequence", None),
        ("a: !!omap [{b: 1, c: 2}]\n", _line0(11, 23), "expected a single mapping item, but found 2 items", None),
        ("a: !!omap [{<<: {b: 1}}]\n", _line0(12, 14),
         "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'",
         "could not determine a constructor for the tag `!!merge`"),  # PyYAML's words, the tag as written
    ],
)  # fmt: skip
def test_ordered_maps_and_pairs_of_the_wrong_shape(text: str, at: Range, problem: str, ours: str | None) -> None:
    with pytest.raises(yaml.constructor.ConstructorError) as raised:
        yaml.safe_load(text)
    assert raised.value.problem == problem
    context = "an ordered map" if "omap" in text else "pairs"
    expected = f"YAML value error: {ours or problem} (while constructing {context} on line 1)"
    assert _only_error(text) == (at, expected)


def test_well_formed_ordered_maps_pairs_and_sets_still_read() -> None:
    document = parse_document("o: !!omap [a: 1, b: 2]\np: !!pairs [a: 1, a: 2]\ns: !!set {x, y}\n")
    assert document.root is not None and not document.diagnostics
    assert document.root.value == {"o": [["a", 1], ["b", 2]], "p": [["a", 1], ["a", 2]], "s": ["x", "y"]}


def test_a_value_key_is_its_own_text_as_flatten_mapping_leaves_it() -> None:
    text = "!!value 1: a\n=: b\n"
    document = parse_document(text)
    assert document.root is not None
    assert document.root.value == yaml.safe_load(text) == {"1": "a", "=": "b"}


def test_a_syntax_error_after_a_bad_value_wins_as_safe_load_composes_before_constructing() -> None:
    text = "a: !!bool maybe\nb: 'open\n"
    with pytest.raises(yaml.scanner.ScannerError):
        yaml.safe_load(text)
    range_, message = _only_error(text)
    assert range_.start == Position(1, 3)
    assert message == "YAML syntax error: the string quoted with `'` on line 2 is never closed"


def test_a_scalar_tag_on_a_mapping_reads_the_scalar_under_its_value_key_as_pyyaml_does() -> None:
    text = "a: !!int {=: '12'}\nb: !!str {x: 1, =: {=: y}}\n"
    document = parse_document(text)
    assert document.root is not None and not document.diagnostics
    assert document.root.value == yaml.safe_load(text) == {"a": 12, "b": "y"}
    assert _only_error("a: !!int {=: [1]}\n") == (
        _line0(13, 16),
        "YAML value error: expected a scalar node, but found sequence (the tag `!!int` takes a scalar)",
    )


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("a: !!bool maybe\nb: *nope\n", Position(1, 3), "YAML syntax error: found undefined alias `nope`"),
        ("a: &x !!bool maybe\nb: &x 1\n", Position(1, 3),
         "YAML syntax error: found duplicate anchor `x` (first defined on line 1)"),
        ("a: !!omap {b: 1}\n---\nc: 1\n", Position(1, 0),
         "YAML syntax error: expected a single document in the stream, but found another document"),
    ],
)  # fmt: skip
def test_a_composer_error_after_a_bad_value_wins_too(text: str, at: Position, message: str) -> None:
    with pytest.raises(yaml.composer.ComposerError):
        yaml.safe_load(text)
    range_, got = _only_error(text)
    assert (range_.start, got) == (at, message)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: {<<: !foo {a: 1}}\n", {"x": {"a": 1}}),
        ("x: {<<: [!!null {a: 1}, !!omap {b: 2}]}\n", {"x": {"a": 1, "b": 2}}),
        ("x: {<<: !!set [{a: 1}]}\n", {"x": {"a": 1}}),
        ("x: {<<: &s !foo {a: 1}}\ny: {<<: *s}\n", {"x": {"a": 1}, "y": {"a": 1}}),
    ],
)
def test_a_merge_source_is_merged_not_constructed_so_its_tag_does_not_matter(text: str, value: object) -> None:
    document = parse_document(text)
    assert document.root is not None and not document.diagnostics
    assert document.root.value == yaml.safe_load(text) == value


def test_a_tagged_merge_source_used_as_a_value_through_an_alias_is_constructed_and_fails() -> None:
    text = "x: {<<: &s !foo {a: 1}}\ny: *s\n"
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(text)
    range_, message = _only_error(text)
    assert range_.start == Position(0, 8)  # the anchored source, as PyYAML marks it
    assert message.startswith("YAML value error: could not determine a constructor for the tag `!foo`")

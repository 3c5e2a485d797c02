"""YAML syntax errors reported where the user can act, in the words PyYAML (Polyaxon) uses.

An unclosed quote or bracket is reported where it opens, with the end of the file as
related information; every position lies inside the text (never on the line after the last).
"""

from __future__ import annotations

import pytest
import yaml

from plxinit.diagnostics import Diagnostic, Position, Range
from plxinit.yamldoc import EXACT_ERROR_LIMIT, needs_pure_parser, parse_document


def _error(text: str) -> Diagnostic:
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    document = parse_document(text)
    assert document.root is None
    [diagnostic] = document.diagnostics
    assert (diagnostic.code, diagnostic.severity.value) == ("yaml-syntax", "error")
    return diagnostic


def _related(diagnostic: Diagnostic) -> list[tuple[Range, str]]:
    return [(related.range, related.message) for related in diagnostic.related]


def _r(line: int, start: int, end: int) -> Range:
    return Range(Position(line, start), Position(line, end))


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_reported_where_it_opens_and_the_end_of_file_is_related(quote: str) -> None:
    diagnostic = _error(f"kind: component\nrun: {quote}job\ntags: [a]\n")
    assert diagnostic.range == _r(1, 5, 6)
    assert diagnostic.message == f"YAML syntax error: the string quoted with `{quote}` on line 2 is never closed"
    assert _related(diagnostic) == [(_r(2, 9, 9), f"the file ends here without the closing `{quote}`")]


def test_an_unclosed_quote_before_a_document_separator_names_the_separator() -> None:
    diagnostic = _error('a: "x\n---\n')
    assert diagnostic.range == _r(0, 3, 4)
    assert diagnostic.message == (
        'YAML syntax error: the string quoted with `"` on line 1 is not closed before the document separator'
    )
    assert _related(diagnostic) == [(_r(1, 0, 1), 'this line ends the document before the closing `"`')]


@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{", "}")])
def test_an_unclosed_flow_collection_at_the_end_of_the_file(opener: str, closer: str) -> None:
    diagnostic = _error(f"kind: component\nrun:\n  init: {opener}a\n")
    assert diagnostic.range == _r(2, 8, 9)
    assert diagnostic.message == f"YAML syntax error: the `{opener}` on line 3 is never closed"
    assert _related(diagnostic) == [(_r(2, 10, 10), f"the file ends here without the closing `{closer}`")]


@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{", "}")])
@pytest.mark.parametrize("after", ["\n", "\n\n", "  \n", ""])
def test_an_empty_unclosed_flow_collection_at_the_end_of_the_file(opener: str, closer: str, after: str) -> None:
    # PyYAML says "expected the node content, but found <stream end>" while parsing a flow *node*:
    # the collection that node belongs to is what the user left open.
    diagnostic = _error(f"kind: component\nrun:\n  init: {opener}{after}")
    assert diagnostic.range == _r(2, 8, 9)
    assert diagnostic.message == f"YAML syntax error: the `{opener}` on line 3 is never closed"
    [(_, note)] = _related(diagnostic)
    assert note == f"the file ends here without the closing `{closer}`"


def test_an_unclosed_flow_sequence_followed_by_more_lines_is_reported_where_it_opens() -> None:
    diagnostic = _error("a: [1, 2\nb: 3\n")
    assert diagnostic.range == _r(0, 3, 4)
    assert diagnostic.message == (
        "YAML syntax error: the `[` on line 1 is not closed: expected `,` or `]`, but got `:` on line 2"
    )
    assert _related(diagnostic) == [(_r(1, 1, 2), "a `,` or the closing `]` was expected here")]


def test_a_tab_used_for_indentation_says_so_at_the_tab() -> None:
    diagnostic = _error("run:\n\tkind: job\n")
    assert diagnostic.range == _r(1, 0, 1)
    assert diagnostic.message == "YAML syntax error: Tabs are not allowed for indentation in YAML; indent with spaces"


def test_the_error_and_words_are_pyyamls_even_when_libyaml_read_the_text() -> None:
    text = "a: b\n  c: d\n"
    assert not needs_pure_parser(text)  # the fast path ran first, then PyYAML's parser gave the verdict
    diagnostic = _error(text)
    assert diagnostic.range == _r(1, 3, 4)
    assert diagnostic.message == (
        "YAML syntax error: mapping values are not allowed here "
        "(is the line indented wrongly, or does a value with `: ` need quotes?)"
    )


def test_other_parser_errors_keep_pyyamls_words_and_relate_where_the_construct_began() -> None:
    diagnostic = _error("- a\nb: 1\n")
    assert diagnostic.range == _r(1, 0, 1)
    assert diagnostic.message == (
        "YAML syntax error: expected <block end>, but found `?` (while parsing a block collection on line 1)"
    )
    assert _related(diagnostic) == [(_r(0, 0, 1), "a block collection starts here")]


def test_a_control_character_is_named_by_its_code_point() -> None:
    diagnostic = _error("a: b\n\x07\n")
    assert diagnostic.range == _r(1, 0, 1)
    assert diagnostic.message == (
        "YAML syntax error: the character U+0007 is not allowed in YAML (special characters are not allowed)"
    )


def test_an_empty_flow_node_at_the_end_stays_inside_the_text() -> None:
    diagnostic = _error("a: 1\nb: [\n")
    assert diagnostic.range == _r(1, 3, 4)  # the `[` that is never closed
    assert _related(diagnostic) == [(_r(1, 4, 4), "the file ends here without the closing `]`")]  # not line 3


def test_past_the_exact_error_limit_libyamls_error_is_told_the_same_way() -> None:
    filler = "".join(f"k{i}: v\n" for i in range(EXACT_ERROR_LIMIT // 8))
    text = filler + "x: [a,\n  b\n"
    assert len(text) > EXACT_ERROR_LIMIT and not needs_pure_parser(text)
    diagnostic = _error(text)
    line = text.count("\n") - 2
    assert diagnostic.range == _r(line, 3, 4)
    assert diagnostic.message == f"YAML syntax error: the `[` on line {line + 1} is never closed"
    assert _related(diagnostic) == [(_r(line + 1, 3, 3), "the file ends here without the closing `]`")]


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ('a: "\\q"\n', _r(0, 5, 6),
         "found unknown escape character `q` (while scanning a double-quoted scalar on line 1)"),
        ("!e!x a\n", _r(0, 0, 1), "found undefined tag handle `!e!` (while parsing a node)"),
        ("a: @x\n", _r(0, 3, 4), "found character `@` that cannot start any token (while scanning for the next token)"),
        ("a: `x\n", _r(0, 3, 4),
         "found character `` ` `` that cannot start any token (while scanning for the next token)"),
        ("a: [b\n  c: d\n", _r(0, 3, 4), "the `[` on line 1 is not closed: expected `,` or `]`, but got `:` on line 2"),
        ("a: &e 1\nb: &e 2\n", _r(1, 3, 4), "found duplicate anchor `e` (first defined on line 1)"),
        ("a: *q\n", _r(0, 3, 4), "found undefined alias `q`"),
    ],
)  # fmt: skip
def test_what_pyyaml_quotes_with_pythons_repr_is_written_in_backticks(text: str, at: Range, message: str) -> None:
    diagnostic = _error(text)
    assert (diagnostic.range, diagnostic.message) == (at, f"YAML syntax error: {message}")

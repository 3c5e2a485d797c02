"""Where a diagnostic is reported when its value is defined in one place and used in another.

An alias (`path: *v`) is the anchored node itself, so its own range is where it was
defined; a user fixes what they see used, so the diagnostic sits at the alias (or at the
`<<` key of a merge), and the definition is given as related information. When a path goes
through several aliases, the outermost one (nearest the document root) wins.

Positions below are 1-based lines and columns, end exclusive, as the CLI prints them.
"""

from __future__ import annotations

from typing import Any

import pytest

from plxinit.diagnostics import Diagnostic
from plxinit.validate import validate_text

HEAD = "kind: component\nrun:\n  kind: job\n  init:\n"


def _span(range_: Any) -> str:
    return f"{range_.start.line + 1}:{range_.start.column + 1}-{range_.end.line + 1}:{range_.end.column + 1}"


def _report(diagnostic: Diagnostic) -> tuple[str, str, str, list[tuple[str, str]]]:
    related = [(_span(r.range), r.message) for r in diagnostic.related]
    return (_span(diagnostic.range), diagnostic.code, diagnostic.message, related)


def _errors(text: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    return [_report(d) for d in validate_text(text) if d.severity.value == "error"]


ALIAS = "defined here, as `&{0}`, and used through `*{0}`"
MERGE = "defined here, and merged in by `<<`"


def test_a_shared_scalar_is_reported_where_it_is_defined_and_where_it_is_used() -> None:
    text = HEAD + "    - connection: &v yes\n      path: *v\n"
    assert _errors(text) == [
        (
            "5:19-5:25",
            "type",
            '`connection` must be a string, not a boolean. YAML reads `yes` as the boolean true; quote it: `&v "yes"`.',
            [],
        ),
        (
            "6:13-6:15",
            "type",
            "`path` must be a string, not a boolean. YAML reads `yes` (line 5) as the boolean true; "
            'quote it there: `&v "yes"`.',
            [("5:19-5:25", ALIAS.format("v"))],
        ),
    ]


def test_an_aliased_init_entry_is_reported_at_each_alias() -> None:
    text = "x-entry: &e {connection: c, foo: 1}\n" + HEAD + "    - *e\n    - *e\n"
    unknown = [e for e in _errors(text) if "`foo`" in e[2]]
    assert unknown == [
        (
            f"{line}:7-{line}:9",
            "unknown-key",
            f"Unknown key `foo` in init entry {entry} (`run.init[{entry - 1}]`). Expected one of: artifacts, paths, "
            "git, dockerfile, file, tensorboard, lineageRef, modelRef, artifactRef, connection, path, container.",
            [("1:29-1:32", ALIAS.format("e"))],
        )
        for line, entry in ((6, 1), (7, 2))
    ]


def test_the_outermost_alias_wins() -> None:
    # `*m` (inner) is used inside `&f`, which is used through `*f` (outer): the user sees `*f`
    text = HEAD + "    - file: &f {content: x, chmod: &m 0755}\n    - file: *f\n"
    errors = _errors(text)
    assert [(e[0], e[3]) for e in errors] == [
        ("5:36-5:43", []),
        ("6:13-6:15", [("5:36-5:43", ALIAS.format("f"))]),
    ]


def test_an_alias_of_a_list_reports_the_item_at_the_alias() -> None:
    text = "x-dirs: &d [a, 1]\n" + HEAD + "    - artifacts: {dirs: *d}\n"
    errors = [e for e in _errors(text) if e[1] == "type"]
    assert errors == [
        (
            "6:25-6:27",
            "type",
            "Item 2 of `dirs` (`run.init[0].artifacts.dirs[1]`) must be a string or a list of strings, not an integer."
            ' Quote it there (line 1): `"1"`.',
            [("1:16-1:17", ALIAS.format("d"))],
        )
    ]


def test_a_merged_value_is_reported_at_the_merge_key() -> None:
    text = HEAD + "    - &a {connection: c}\n    - &b {path: 1}\n    - <<: [*a, *b]\n"
    assert _errors(text) == [
        ("6:17-6:18", "type", '`path` must be a string, not an integer. Quote it: "1".', []),
        (
            "7:7-7:9",
            "type",
            '`path` must be a string, not an integer. Quote it there (line 6): `"1"`.',
            [("6:17-6:18", MERGE)],
        ),
    ]


def test_a_merged_unknown_key_is_reported_at_the_merge_key() -> None:
    text = "x-base: &b {connection: c, fo: 1}\n" + HEAD + "    - <<: *b\n      path: p\n"
    unknown = [e for e in _errors(text) if "`fo`" in e[2]]
    assert [(e[0], e[1], e[3]) for e in unknown] == [("6:7-6:9", "unknown-key", [("1:28-1:30", MERGE)])]


def test_a_missing_key_of_an_aliased_mapping_is_reported_at_the_alias() -> None:
    text = HEAD + "    - dockerfile: &d {path: [a]}\n    - dockerfile: *d\n"
    assert _errors(text) == [
        ("5:7-5:17", "required", "`dockerfile` is missing the required key `image`.", []),
        (
            "6:19-6:21",
            "required",
            "`dockerfile` is missing the required key `image`.",
            [("5:23-5:27", ALIAS.format("d"))],
        ),
    ]


def test_two_handlers_in_an_aliased_entry_are_reported_at_the_alias() -> None:
    text = HEAD + "    - &e {git: {url: u}, artifacts: {dirs: [a]}}\n    - *e\n"
    message = "Only one built-in handler per init entry: `git` and `artifacts` are both set. " + (
        "Split them into separate entries."
    )
    assert _errors(text) == [
        ("5:26-5:35", "one-handler", message, []),
        ("6:7-6:9", "one-handler", message, [("5:26-5:35", ALIAS.format("e"))]),
    ]


def test_a_handler_merged_beside_another_is_reported_at_the_written_key() -> None:
    text = HEAD + "    - &e {git: {url: u}}\n    - <<: *e\n      artifacts: {dirs: [a]}\n"
    assert [(e[0], e[1], e[3]) for e in _errors(text)] == [("7:7-7:16", "one-handler", [])]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "    - connection: 1\n",
        HEAD + "    - file: {content: x, chmod: 0755}\n",
    ],
)
def test_without_aliases_there_is_no_related_information(text: str) -> None:
    assert [d.related for d in validate_text(text)] == [()]


def test_fixes_that_edit_the_range_are_not_offered_at_a_use_site() -> None:
    # replacing `<<` by `connection`, quoting `*v` or splitting at `*e` would break the file
    text = (
        "x-b: &b {conection: d}\n" + HEAD + "    - <<: *b\n    - &e {git: {url: u}, paths: [a]}\n    - *e\n"
        "    - connection: &v 1\n    - path: *v\n"
    )
    found = [(_span(d.range), d.code, d.data) for d in validate_text(text) if d.severity.value == "error"]
    assert [f for f in found if f[0] != "1:1-1:4"] == [
        ("6:7-6:9", "unknown-key", {}),
        ("7:26-7:31", "one-handler", {"handlers": ["git", "paths"]}),
        ("8:7-8:9", "one-handler", {}),
        ("9:19-9:23", "type", {}),  # `&v 1`: quoting the range would drop the anchor
        ("10:13-10:15", "type", {}),
    ]
    merged = next(d for d in validate_text(text) if d.code == "unknown-key" and d.related)
    assert merged.message.endswith("Did you mean `connection`?")


def test_advice_for_a_merged_value_says_where_to_apply_it() -> None:
    text = 'x-tb: &b {port: "6006"}\n' + HEAD + "    - tensorboard: {<<: *b}\n"
    assert [e for e in _errors(text) if e[1] == "type"] == [
        (
            "6:21-6:23",
            "type",
            "`port` must be an integer or a `{{ ... }}` template, not a plain string. "
            "Remove the quotes where it is defined (line 1): 6006.",
            [("1:17-1:23", MERGE)],
        )
    ]

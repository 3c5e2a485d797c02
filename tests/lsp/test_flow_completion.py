"""Completion inside flow collections (`{...}`, `[...]`), on one line or several, in broken files."""

from __future__ import annotations

import pytest
from pytest_lsp import LanguageClient

from plxinit.schema import load_schema
from samples import ENTRY_KEYS

from .helpers import as_tuple, at_marker, completion_items

HEAD = "kind: component\nrun:\n  kind: job\n  init:\n"
TAIL = "  container:\n    image: python:3.11\n"
GIT_KEYS = ["url", "revision", "flags"]
NO_HANDLER = ["connection", "path", "container"]


def fields(definition: str) -> list[str]:
    """A handler's keys as the schema lists them, snake_case aliases left out."""
    properties = load_schema()["$defs"][definition]["properties"]
    return [name for name, sub in properties.items() if "x-plx-alias-of" not in sub]


async def labels_at(client: LanguageClient, marked: str) -> list[str]:
    text, line, column = at_marker(marked)
    return [item.label for item in await completion_items(client, text, line, column)]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("    - {‸", ENTRY_KEYS),
        ("    - {‸}", ENTRY_KEYS),
        ("    - {git: {‸", GIT_KEYS),
        ("    - {git: {‸}}", GIT_KEYS),
        ("    - git: {‸", GIT_KEYS),
        ("    - git: {url: x, ‸", ["revision", "flags"]),
        ("    - git: {url: x, ‸}", ["revision", "flags"]),
        ("    - git: {url: x, rev‸}", ["revision", "flags"]),
        ("    - {git: {url: x}, ‸}", NO_HANDLER),  # one built-in handler per entry
        ("    - {connection: c, ‸}", [name for name in ENTRY_KEYS if name != "connection"]),
        ("    - {git: {url: x}, connection: c, ‸", ["path", "container"]),
        ('    - {"git": {"url": "x", ‸}}', ["revision", "flags"]),
    ],
)
async def test_keys_in_flow_mappings(client: LanguageClient, entry: str, expected: list[str]) -> None:
    assert await labels_at(client, HEAD + entry + "\n" + TAIL) == expected


@pytest.mark.parametrize(
    ("handler", "definition"),
    [
        ("artifacts", "artifacts"),
        ("git", "git"),
        ("dockerfile", "dockerfile"),
        ("file", "file"),
        ("tensorboard", "tensorboard"),
        ("container", "k8s-container"),
    ],
)
async def test_every_handler_in_flow_as_in_block(client: LanguageClient, handler: str, definition: str) -> None:
    flow = await labels_at(client, HEAD + f"    - {handler}: {{‸}}\n" + TAIL)
    nested = await labels_at(client, HEAD + f"    - {{{handler}: {{‸}}}}\n" + TAIL)
    block = await labels_at(client, HEAD + f"    - {handler}:\n        ‸\n" + TAIL)
    assert flow == nested == block
    assert flow and set(flow) <= set(fields(definition))


async def test_flow_items_are_written_in_flow_style(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - {‸}\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["git"].text_edit.new_text == "git: {url: ${1:https://github.com/org/repo}}"
    assert items["artifacts"].text_edit.new_text == "artifacts: {dirs: [${1:data}]}"
    assert items["path"].text_edit.new_text == "path: $0"
    assert as_tuple(items["git"].text_edit.range) == (4, 7, 4, 7)
    text, line, column = at_marker(HEAD + "    - git: {‸}\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["flags"].text_edit.new_text == "flags: [$0]"


async def test_flow_items_before_another_entry_get_a_comma(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - git: {‸url: x}\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["revision"].text_edit.new_text == "revision: $0, "


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("    - file: {content: x, kind: ‸}", None),
        ("    - {file: {content: x, kind: c‸}}", None),
        ("    - tensorboard: {useNames: ‸}", ["true", "false"]),
        ("    - {tensorboard: {uuids: u, useNames: t‸", ["true", "false"]),
    ],
)
async def test_values_in_flow(client: LanguageClient, entry: str, expected: list[str] | None) -> None:
    if expected is None:
        expected = load_schema()["$defs"]["file"]["properties"]["kind"]["anyOf"][0]["enum"]
    assert await labels_at(client, HEAD + entry + "\n" + TAIL) == expected


async def test_value_range_in_flow(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - tensorboard: {useNames: t‸}\n" + TAIL)
    items = await completion_items(client, text, line, column)
    assert [item.label for item in items] == ["true", "false"]
    assert as_tuple(items[0].text_edit.range) == (4, 30, 4, 31)
    assert items[0].text_edit.new_text == "true"


@pytest.mark.parametrize(
    "marked",
    [
        # a flow mapping over several lines, the cursor on a line of its own
        HEAD + "    - git: {\n        url: x,\n        ‸\n      }\n" + TAIL,
        HEAD + "    - git: {url: x,\n        ‸\n" + TAIL,  # and left unclosed
        HEAD + "    - {git: {url: x,\n             ‸}}\n" + TAIL,
        HEAD + "    - {\n        git: {\n          url: x,\n          ‸\n" + TAIL,
    ],
    ids=["closed", "unclosed", "nested", "nested-unclosed"],
)
async def test_keys_over_several_lines(client: LanguageClient, marked: str) -> None:
    assert await labels_at(client, marked) == ["revision", "flags"]


async def test_entry_over_several_lines(client: LanguageClient) -> None:
    marked = HEAD + "    - {git: {url: x},\n       ‸\n    }\n" + TAIL
    assert await labels_at(client, marked) == NO_HANDLER


async def test_flow_in_a_file_that_does_not_parse(client: LanguageClient) -> None:
    broken = HEAD + '    - git: {url: x, ‸\n    - artifacts: {dirs: [data\n  container:\n    image: "python:3.11\n'
    assert await labels_at(client, broken) == ["revision", "flags"]
    # the entry after an abandoned `{` is read again as block YAML
    after = HEAD + "    - git: {url: x,\n    - ‸\n" + TAIL
    assert await labels_at(client, after) == ENTRY_KEYS


async def test_flow_init_list(client: LanguageClient) -> None:
    assert await labels_at(client, HEAD.replace("  init:\n", "  init: [{‸}]\n")) == ENTRY_KEYS
    assert await labels_at(client, HEAD.replace("  init:\n", "  init: [{git: {url: x}}, {‸}]\n")) == ENTRY_KEYS
    # an item not yet opened: each entry comes as a whole mapping
    text, line, column = at_marker(HEAD.replace("  init:\n", "  init: [‸]\n"))
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert list(items) == ENTRY_KEYS
    assert items["git"].text_edit.new_text == "{git: {url: ${1:https://github.com/org/repo}}}"


async def test_nothing_in_flow_where_nothing_fits(client: LanguageClient) -> None:
    assert await labels_at(client, HEAD + "    - git: {url: x ‸}\n" + TAIL) == []
    assert await labels_at(client, HEAD + "    - git: {url: x}‸\n" + TAIL) == []
    assert await labels_at(client, HEAD + "    - artifacts: {dirs: [‸]}\n" + TAIL) == []


async def test_flow_over_utf16(client: LanguageClient) -> None:
    text = HEAD + '    - {connection: "😀", git: {url: x, }}\n' + TAIL
    items = await completion_items(client, text, 4, 39)  # code point 38; in UTF-16 the emoji counts 2
    assert [item.label for item in items] == ["revision", "flags"]
    assert as_tuple(items[0].text_edit.range) == (4, 39, 4, 39)


def test_entry_keys_sample_matches_schema() -> None:
    entry = load_schema()["$defs"]["init-entry"]["properties"]
    assert [name for name, sub in entry.items() if "x-plx-alias-of" not in sub] == ENTRY_KEYS

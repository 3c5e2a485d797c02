"""Every completion item, once applied, leaves YAML that parses; list items, `key:` without a space, plain text."""

from __future__ import annotations

import yaml
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from samples import ENTRY_KEYS

from .helpers import apply_item, at_marker, completion_items

HEAD = "kind: component\nrun:\n  kind: job\n  init:\n"
TAIL = "  container:\n    image: python:3.11\n"

#: Cursor situations (`‸`) in texts that are valid YAML once the item is in.
SITUATIONS = [
    HEAD + "    - ‸\n" + TAIL,
    HEAD + "    - gi‸\n" + TAIL,
    HEAD + "    - git:\n        url: x\n    -‸\n" + TAIL,
    HEAD + "    - git:\n        url: x\n    ‸\n" + TAIL,
    HEAD + "    ‸\n" + TAIL,
    HEAD + "    - git:\n        url: x\n      ‸\n" + TAIL,
    HEAD + "    - dockerfile:\n        image: python:3.11\n        ‸\n" + TAIL,
    HEAD + "    - file:\n        content: x\n        kind:‸\n" + TAIL,
    HEAD + "    - file:\n        content: x\n        kind: ‸\n" + TAIL,
    HEAD + "    - tensorboard:\n        useNames:‸\n" + TAIL,
    HEAD + "    - container:\n        name: c\n        ‸\n" + TAIL,
    HEAD + "    - container:\n        name: c\n        imagePullPolicy:‸\n" + TAIL,
    HEAD + "    - {‸}\n" + TAIL,
    HEAD + "    - {‸git: {url: x}}\n" + TAIL,
    HEAD + "    - {git: {url: x}, ‸}\n" + TAIL,
    HEAD + "    - {git: {‸}}\n" + TAIL,
    HEAD + "    - git: {‸}\n" + TAIL,
    HEAD + "    - git: {url: x, ‸}\n" + TAIL,
    HEAD + "    - git: {‸url: x}\n" + TAIL,
    HEAD + "    - dockerfile: {image: x, ‸}\n" + TAIL,
    HEAD + "    - file: {content: x, kind: ‸}\n" + TAIL,
    HEAD + "    - file: {content: x, kind:‸}\n" + TAIL,
    HEAD + "    - tensorboard: {useNames: ‸}\n" + TAIL,
    HEAD + "    - container: {name: c, ‸}\n" + TAIL,
    HEAD + "    - git: {\n        url: x,\n        ‸\n      }\n" + TAIL,
    HEAD.replace("  init:\n", "  init: [{‸}]\n") + TAIL,
    HEAD.replace("  init:\n", "  init: [‸]\n") + TAIL,
    HEAD.replace("  init:\n", "  init: [{git: {url: x}}, ‸]\n") + TAIL,
    HEAD.replace("  init:\n", "  init: [‸{git: {url: x}}]\n") + TAIL,
    "kind: component\nrun:\n  kind:‸\n",
    "kind: component\nrun:\n  kind: ‸\n",
    "kind: component\n‸\n",
    "kind: component\nrun:\n  kind: job\n  ‸\n",
]


async def check_all(client: LanguageClient) -> int:
    applied = 0
    for marked in SITUATIONS:
        text, line, column = at_marker(marked)
        items = await completion_items(client, text, line, column)
        assert items, marked
        for item in items:
            result = apply_item(text, item)
            try:
                yaml.safe_load(result)
            except yaml.YAMLError as error:  # pragma: no cover - the message is the point
                raise AssertionError(f"{item.label!r} at {marked!r} gives\n{result}\n{error}") from error
            applied += 1
    return applied


async def test_every_item_gives_valid_yaml(client: LanguageClient) -> None:
    assert await check_all(client) > 300


async def test_every_plain_text_item_gives_valid_yaml(plain_client: LanguageClient) -> None:
    assert await check_all(plain_client) > 300


async def test_value_after_a_colon_without_space(client: LanguageClient) -> None:
    text, line, column = at_marker("kind: component\nrun:\n  kind:‸\n")
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert apply_item(text, items["job"]) == "kind: component\nrun:\n  kind: job\n"
    text, line, column = at_marker(HEAD + "    - file: {content: x, kind:‸}\n")
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert apply_item(text, items["csv"]).splitlines()[4] == "    - file: {content: x, kind: csv}"


async def test_list_items_on_a_blank_line_under_init(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - git:\n        url: x\n    ‸\n" + TAIL)
    items = await completion_items(client, text, line, column)
    assert [item.label for item in items] == ENTRY_KEYS
    git = next(item for item in items if item.label == "git")
    assert git.text_edit.new_text == "- git:\n        url: ${1:https://github.com/org/repo}"
    assert yaml.safe_load(apply_item(text, git))["run"]["init"][1] == {"git": {"url": "https://github.com/org/repo"}}


async def test_list_items_right_after_a_bare_dash(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    -‸\n" + TAIL)
    items = await completion_items(client, text, line, column)
    assert [item.label for item in items] == ENTRY_KEYS
    path = next(item for item in items if item.label == "path")
    assert path.text_edit.new_text == " path: $0"
    assert yaml.safe_load(apply_item(text, path))["run"]["init"] == [{"path": None}]


async def test_plain_text_has_no_made_up_values(plain_client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - {‸}\n" + TAIL)
    items = {item.label: item for item in await completion_items(plain_client, text, line, column)}
    assert items["git"].insert_text_format == lsp.InsertTextFormat.PlainText
    assert items["git"].text_edit.new_text == "git: {url: }"
    assert yaml.safe_load(apply_item(text, items["git"]))["run"]["init"] == [{"git": {"url": None}}]


async def test_snake_case_prefixes_find_their_items(client: LanguageClient) -> None:
    text, line, column = at_marker(HEAD + "    - lineage_‸\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["lineageRef"].filter_text == "lineage_ref"
    assert "lineage_ref" not in items  # the alias is matched, not offered twice
    text, line, column = at_marker(HEAD + "    - dockerfile:\n        image: x\n        post_run‸\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["postRunCopy"].filter_text == "post_run_copy"
    assert items["image"].filter_text == "image" if "image" in items else True
    text, line, column = at_marker(HEAD + "    - {model_‸}\n" + TAIL)
    items = {item.label: item for item in await completion_items(client, text, line, column)}
    assert items["modelRef"].filter_text == "model_ref"

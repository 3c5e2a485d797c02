"""Completion: keys at every level, one-handler aware, snippets, values, broken documents."""

from __future__ import annotations

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.schema import load_schema

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc

HANDLERS = ["artifacts", "paths", "git", "dockerfile", "file", "tensorboard", "lineageRef", "modelRef", "artifactRef"]
ENTRY_KEYS = [*HANDLERS, "connection", "path", "container"]


async def complete(client: LanguageClient, text: str, line: int, character: int) -> list[lsp.CompletionItem]:
    open_doc(client, POLYAXONFILE_URI, text)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(line, character))
    )
    assert isinstance(result, lsp.CompletionList)
    return list(result.items)


def labels(items: list[lsp.CompletionItem]) -> list[str]:
    return [item.label for item in items]


BROKEN = "\n".join(
    [
        "kind: component",
        "run:",
        "  kind: job",
        "  init:",
        "    - art",
        "    - git:",
        "        url: https://github.com/org/repo",
        "      ",  # line 7: a blank line inside the git entry
        "    - ",  # line 8: an empty entry
        "  container:",
        '    image: "python:3.11',  # an unclosed quote
        "    command: [python, train.py",  # an unclosed bracket
        "",
    ]
)


async def test_half_typed_key_in_broken_document(client: LanguageClient) -> None:
    items = await complete(client, BROKEN, 4, 9)
    assert labels(items) == ENTRY_KEYS
    artifacts = items[0]
    assert artifacts.kind == lsp.CompletionItemKind.Snippet
    assert artifacts.text_edit is not None
    assert as_tuple(artifacts.text_edit.range) == (4, 6, 4, 9)
    assert artifacts.text_edit.new_text == "artifacts:\n        dirs:\n          - ${1:data}"
    assert artifacts.insert_text_format == lsp.InsertTextFormat.Snippet
    assert isinstance(artifacts.documentation, lsp.MarkupContent)
    assert artifacts.documentation.value.startswith("**artifacts**")
    assert artifacts.detail


async def test_empty_entry_gets_handler_snippets(client: LanguageClient) -> None:
    items = await complete(client, BROKEN, 8, 6)
    assert labels(items) == ENTRY_KEYS
    by_label = {item.label: item for item in items}
    assert by_label["git"].text_edit.new_text == "git:\n        url: ${1:https://github.com/org/repo}"
    assert by_label["dockerfile"].text_edit.new_text == (
        "dockerfile:\n        image: ${1:python:3.11}\n        run:\n          - ${2:pip install -r requirements.txt}"
    )
    assert by_label["file"].text_edit.new_text == (
        "file:\n        filename: ${1:script.sh}\n        content: |\n          ${2:echo ready}"
    )
    assert by_label["path"].kind == lsp.CompletionItemKind.Property
    assert by_label["path"].text_edit.new_text == "path: $0"


async def test_one_handler_aware(client: LanguageClient) -> None:
    items = await complete(client, BROKEN, 7, 6)
    assert labels(items) == ["connection", "path", "container"]


async def test_keys_present_are_not_offered(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - connection: x\n      \n      path: /p\n"
    items = await complete(client, text, 5, 6)
    assert labels(items) == [*HANDLERS, "container"]


async def test_handler_fields(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - file:\n        content: x\n        \n"
    assert labels(await complete(client, text, 6, 8)) == ["filename", "kind", "chmod"]
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - dockerfile:\n        \n"
    names = labels(await complete(client, text, 5, 8))
    assert names[:3] == ["image", "env", "path"]
    assert "langEnv" in names and "lang_env" not in names and "copy_" not in names


async def test_container_fields_camel_case_only(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - container:\n        name: setup\n        \n"
    names = labels(await complete(client, text, 6, 8))
    k8s = load_schema()["$defs"]["k8s-container"]["properties"]
    expected = [name for name, sub in k8s.items() if "x-plx-alias-of" not in sub and name != "name"]
    assert names == expected
    assert "imagePullPolicy" in names and "image_pull_policy" not in names


async def test_structure_leading_to_init(client: LanguageClient) -> None:
    top = labels(await complete(client, "kind: component\n\n", 1, 0))
    assert top[:3] == ["version", "name", "description"]
    assert {"run", "init", "component", "runPatch"} <= set(top) and "kind" not in top
    assert all("_" not in name for name in top)
    run_kinds = await complete(client, "kind: component\nrun:\n  kind: \n", 2, 8)
    assert labels(run_kinds) == load_schema()["$defs"]["run-kind"]["enum"]
    assert run_kinds[0].documentation.value.startswith("**job**")
    tfjob = labels(await complete(client, "kind: component\nrun:\n  kind: tfjob\n  \n", 3, 2))
    assert {"chief", "ps", "worker", "evaluator"} <= set(tfjob) and "init" not in tfjob
    pytorch = labels(await complete(client, "kind: component\nrun:\n  kind: pytorchjob\n  \n", 3, 2))
    assert {"master", "worker"} <= set(pytorch) and "chief" not in pytorch
    job = labels(await complete(client, "kind: component\nrun:\n  kind: job\n  \n", 3, 2))
    assert "init" in job and "container" in job
    dag = labels(await complete(client, "kind: component\nrun:\n  kind: dag\n  \n", 3, 2))
    assert "init" not in dag and "operations" in dag
    replica = labels(await complete(client, "kind: component\nrun:\n  kind: tfjob\n  worker:\n    \n", 4, 4))
    assert "init" in replica and "replicas" in replica
    ray = labels(
        await complete(client, "kind: component\nrun:\n  kind: raycluster\n  workers:\n    small:\n      \n", 5, 6)
    )
    assert {"init", "rayStartParams", "minReplicas"} <= set(ray)


async def test_init_key_inserts_a_list(client: LanguageClient) -> None:
    items = await complete(client, "kind: component\nrun:\n  kind: job\n  in\n", 3, 4)
    init = next(item for item in items if item.label == "init")
    assert init.text_edit.new_text == "init:\n    - $0"
    assert as_tuple(init.text_edit.range) == (3, 2, 3, 4)


async def test_values(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n  - file:\n      content: x\n      kind: \n"
    items = await complete(client, text, 6, 12)
    file_kinds = load_schema()["$defs"]["file"]["properties"]["kind"]["anyOf"][0]["enum"]
    assert labels(items) == file_kinds
    text = "kind: component\nrun:\n  kind: job\n  init:\n  - tensorboard:\n      useNames: t\n"
    items = await complete(client, text, 5, 17)
    assert labels(items) == ["true", "false"]
    assert as_tuple(items[0].text_edit.range) == (5, 16, 5, 17)


async def test_utf16_completion_range(client: LanguageClient) -> None:
    text = 'kind: component\nrun:\n  kind: job\n  init:\n    - {connection: "😀"}\n    - gi\n'
    items = await complete(client, text, 5, 8)
    assert as_tuple(items[0].text_edit.range) == (5, 6, 5, 8)


async def test_plain_text_for_clients_without_snippets(plain_client: LanguageClient) -> None:
    items = await complete(plain_client, "kind: component\nrun:\n  kind: job\n  init:\n    - \n", 4, 6)
    by_label = {item.label: item for item in items}
    assert by_label["git"].insert_text_format == lsp.InsertTextFormat.PlainText
    # placeholders become empty values, not the schema's sample URL or port
    assert by_label["git"].text_edit.new_text == "git:\n        url: "
    assert by_label["tensorboard"].text_edit.new_text == 'tensorboard:\n        uuids: ""\n        port: 6006'
    assert by_label["path"].text_edit.new_text == "path: "


async def test_nothing_inside_block_scalars(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: job\n  init:\n    - file:\n        content: |\n          echo\n          \n"
    assert await complete(client, text, 7, 10) == []
    # back at the handler's indentation, keys again
    assert labels(await complete(client, text, 7, 8)) == ["filename", "kind", "chmod"]

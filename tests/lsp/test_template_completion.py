"""Completion inside `{{ }}`: the names in scope at the cursor, their fields, `globals`, `ops` and filters."""

from __future__ import annotations

import statistics
import time

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.lsp.documents import Document
from plxinit.lsp.template_completion import complete_template
from plxinit.scope import GLOBAL_KEYS

from .helpers import POLYAXONFILE_URI, as_tuple, change_doc, open_doc, rng
from .test_navigation import DAG

TRAIN_ARGS = 44  # `args: ["--lr={{ lr }}", ...]` of train
PREPARE_COMMAND = 22
NOTE = 27  # `note: {value: "{{ ops.prepare.outputs.table }}", ...}` of train


def with_line(text: str, number: int, line: str) -> str:
    lines = text.split("\n")
    lines[number] = line
    return "\n".join(lines)


async def labels_at(client: LanguageClient, text: str, line: int, character: int) -> list[str]:
    items = await items_at(client, text, line, character)
    return [item.label for item in items]


async def items_at(
    client: LanguageClient, text: str, line: int, character: int, trigger: str | None = None
) -> list[lsp.CompletionItem]:
    open_doc(client, POLYAXONFILE_URI, text)
    context = lsp.CompletionContext(lsp.CompletionTriggerKind.TriggerCharacter, trigger) if trigger else None
    result = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(line, character), context)
    )
    assert result is None or isinstance(result, lsp.CompletionList)
    return list(result.items) if result else []


def typed(prefix: str, line: int = TRAIN_ARGS) -> tuple[str, int, int]:
    """DAG with `prefix` typed as the first arg of the line; the cursor after it."""
    head = '              args: ["'
    return with_line(DAG, line, head + prefix + '"]'), line, len(head + prefix)


async def test_bare_names_in_a_node_with_matrix_and_join(client: LanguageClient) -> None:
    text, line, character = typed("{{ ")
    assert await labels_at(client, text, line, character) == [
        "table",
        "lr",
        "note",
        "runs",
        "params",
        "globals",
        "connections",
        "init",
        "ops",
        "dag",
    ]


async def test_names_of_another_node(client: LanguageClient) -> None:
    text, line, character = typed("{{ ", PREPARE_COMMAND)
    labels = await labels_at(client, text, line, character)
    assert labels[:2] == ["source", "table"]  # prepare's input and output, not train's names
    assert "lr" not in labels and "runs" not in labels


async def test_params_then_its_fields(client: LanguageClient) -> None:
    text, line, character = typed("{{ params.")
    items = await items_at(client, text, line, character, trigger=".")
    assert [item.label for item in items] == ["table", "lr", "note", "runs", "as_args"]
    lr = items[1]
    assert lr.detail == "input: float"
    assert isinstance(lr.documentation, lsp.MarkupContent)
    assert lr.documentation.value.startswith("**input** `lr` of operation `train`")
    text, line, character = typed("{{ params.lr.va")
    items = await items_at(client, text, line, character)
    assert [item.label for item in items] == ["value", "as_str", "as_arg", "connection", "type"]
    edit = items[0].text_edit
    assert isinstance(edit, lsp.TextEdit)
    assert as_tuple(edit.range) == (line, character - 2, line, character) and edit.new_text == "value"


async def test_globals(client: LanguageClient) -> None:
    text, line, character = typed("{{ globals.")
    assert await labels_at(client, text, line, character) == sorted(GLOBAL_KEYS)


async def test_ops_and_their_outputs(client: LanguageClient) -> None:
    head = '          note: {value: "'
    text = with_line(DAG, NOTE, head + '{{ ops."}')
    assert await labels_at(client, text, NOTE, len(head) + 7) == ["prepare", "train"]
    text = with_line(DAG, NOTE, head + '{{ ops.prepare."}')
    assert await labels_at(client, text, NOTE, len(head) + 15) == ["outputs", "inputs"]
    text = with_line(DAG, NOTE, head + '{{ ops.prepare.outputs."}')
    assert await labels_at(client, text, NOTE, len(head) + 23) == ["table"]
    text = with_line(DAG, NOTE, head + '{{ dag.inputs."}')
    assert await labels_at(client, text, NOTE, len(head) + 14) == ["dataset"]


async def test_filters_after_a_bar(client: LanguageClient) -> None:
    text, line, character = typed("{{ lr | up")
    items = await items_at(client, text, line, character)
    labels = [item.label for item in items]
    assert {"default", "upper", "int", "map_format"} <= set(labels)
    assert all(item.kind == lsp.CompletionItemKind.Function for item in items)
    edit = items[labels.index("upper")].text_edit
    assert isinstance(edit, lsp.TextEdit) and as_tuple(edit.range) == (line, character - 2, line, character)


@pytest.mark.parametrize("prefix", ["{{ lr }} ", "no template ", "{{ lr }}."])
async def test_template_triggers_outside_templates(client: LanguageClient, prefix: str) -> None:
    text, line, character = typed(prefix)
    assert await items_at(client, text, line, character, trigger=".") == []


async def test_while_the_file_does_not_parse(client: LanguageClient) -> None:
    """An unclosed quote: the names come from the last reading the server made."""
    open_doc(client, POLYAXONFILE_URI, DAG)
    await client.recorder.wait(POLYAXONFILE_URI, 1)
    head = '              args: ["{{ params.'
    change_doc(client, POLYAXONFILE_URI, 2, head, rng(TRAIN_ARGS, 0, TRAIN_ARGS, 200))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(TRAIN_ARGS, len(head)))
    )
    assert isinstance(result, lsp.CompletionList)
    assert [item.label for item in result.items] == ["table", "lr", "note", "runs", "as_args"]


def big_dag(nodes: int) -> str:
    lines = ["kind: operation", "name: pipeline", "component:", "  run:", "    kind: dag", "    operations:"]
    for i in range(nodes):
        lines += [
            f"      - name: op{i}",
            f"        dependencies: [op{i - 1}]" if i else "        dependencies: []",
            "        params:",
            f"          lr: {{value: 0.{i + 1}}}",
            f"          data: {{ref: ops.op{i - 1}, value: outputs.model}}" if i else "          data: {value: d}",
            "        component:",
            "          inputs:",
            "            - {name: lr, type: float}",
            "            - {name: data, type: str}",
            "          outputs:",
            "            - {name: model, type: str, isOptional: true}",
            "          run:",
            "            kind: job",
            "            container:",
            "              image: python",
            '              command: ["python", "-c", "print({{ lr }}, \'{{ params.data.value }}\')"]',
        ]
    return "\n".join(lines) + "\n"


def test_completion_after_a_keystroke_on_a_large_file() -> None:
    """Each keystroke re-reads nothing: the cursor is read tolerantly, the scope comes from the last reading."""
    text = big_dag(200)
    assert len(text.split("\n")) > 3000
    document = Document(POLYAXONFILE_URI, text, 1)
    assert document.parsed.root is not None  # the reading the server made of the opened version
    line = text.split("\n").index(
        '              command: ["python", "-c", "print({{ lr }}, \'{{ params.data.value }}\')"]'
    )
    line += 16 * 150  # op150's command
    column = document.lines[line].index("{{ lr") + 3
    last: dict[str, object] = {}
    times = []
    for version in range(2, 22):
        document.edit((line, column), (line, column), "l" if version % 2 else "", "utf-16")
        document.version = version
        column += 1 if version % 2 else 0
        start = time.perf_counter()
        items = complete_template(document, line, column, "utf-16", last)
        times.append(time.perf_counter() - start)
        assert items is not None and [item.label for item in items][:3] == ["lr", "data", "model"]
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(
        f"template completion after a keystroke, 3,200 lines, 200-node DAG: median {median:.2f} ms, max {worst:.2f} ms"
    )
    assert statistics.median(times) < 0.02

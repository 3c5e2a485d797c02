"""Completion in every section: keys and enum values of inputs, matrix (per its kind), hp kinds,
schedules, runs (per their kind), DAG operations; snippets for the common shapes, which parse
and validate once applied."""

from __future__ import annotations

import re

import yaml
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.validate import validate_text

from .helpers import apply_item, at_marker, completion_items

SNIPPET = lsp.CompletionItemKind.Snippet
RUN = "kind: component\nrun: {kind: job, container: {image: a}}\n"


async def items_at(client: LanguageClient, marked: str) -> tuple[str, list[lsp.CompletionItem]]:
    text, line, column = at_marker(marked)
    return text, await completion_items(client, text, line, column)


def labels(items: list[lsp.CompletionItem], kind: lsp.CompletionItemKind | None = None) -> list[str]:
    return [item.label for item in items if kind is None or item.kind == kind]


def snippets(items: list[lsp.CompletionItem]) -> list[tuple[str, str]]:
    return [(item.label, item.text_edit.new_text) for item in items if item.kind == SNIPPET]  # type: ignore[union-attr]


def accept(text: str, item: lsp.CompletionItem) -> str:
    """`text` with `item` applied, a choice placeholder `${2|a,b|}` taking its first option."""
    edit = item.text_edit
    assert isinstance(edit, lsp.TextEdit)
    chosen = re.sub(r"\$\{\d+\|([^,|]*)[^|]*\|\}", r"\1", edit.new_text)
    copy = lsp.CompletionItem(
        label=item.label, insert_text_format=item.insert_text_format, text_edit=lsp.TextEdit(edit.range, chosen)
    )
    return apply_item(text, copy)


async def test_keys_of_an_input_and_no_aliases(client: LanguageClient) -> None:
    _, items = await items_at(client, "kind: component\ninputs:\n  - name: a\n    ‸\n")
    assert labels(items, lsp.CompletionItemKind.Property) == [
        "description", "type", "isOptional", "isList", "isFlag", "argFormat", "connection",
        "toInit", "toEnv", "value", "validation", "delayValidation", "options",
    ]  # fmt: skip


async def test_matrix_kind_values_and_kind_dependent_keys(client: LanguageClient) -> None:
    _, items = await items_at(client, "kind: operation\nmatrix:\n  kind: ‸\n")
    assert labels(items) == ["bayes", "grid", "hyperband", "tpe", "iterative", "mapping", "random"]
    _, items = await items_at(client, "kind: operation\nmatrix:\n  kind: grid\n  ‸\n")
    assert labels(items, lsp.CompletionItemKind.Property) == ["params", "numRuns", "concurrency", "earlyStopping"]
    _, items = await items_at(client, "kind: operation\nmatrix:\n  kind: random\n  ‸\n")
    assert "numRuns" in labels(items) and "seed" in labels(items)
    _, items = await items_at(client, "kind: operation\nmatrix:\n  kind: grid\n  params:\n    lr:\n      kind: ‸\n")
    assert labels(items)[:4] == ["choice", "pchoice", "range", "daterange"]
    _, items = await items_at(client, "kind: operation\nmatrix: {kind: grid, params: {lr: {kind: choice, ‸}}}\n")
    assert labels(items) == ["value"]


async def test_run_and_schedule_keys_follow_their_kind(client: LanguageClient) -> None:
    _, items = await items_at(client, "kind: component\nrun:\n  kind: tfjob\n  ‸\n")
    assert labels(items) == [
        "cleanPodPolicy", "schedulingPolicy", "chief", "ps", "worker", "evaluator", "successPolicy",
        "enableDynamicWorker",
    ]  # fmt: skip
    _, items = await items_at(client, "kind: component\nrun:\n  kind: pytorchjob\n  ‸\n")
    assert {"master", "worker"} <= set(labels(items)) and "chief" not in labels(items)
    _, items = await items_at(client, "kind: operation\nschedule:\n  kind: cron\n  ‸\n")
    assert labels(items) == ["cron", "startAt", "endAt", "maxRuns", "dependsOnPast"]
    _, items = await items_at(client, "kind: operation\nschedule:\n  kind: ‸\n")
    assert labels(items) == ["interval", "cron", "datetime"]


async def test_input_snippet_in_block_and_flow_lists(client: LanguageClient) -> None:
    text, items = await items_at(client, f"{RUN}inputs:\n  ‸\n")
    assert snippets(items) == [("input", "- name: ${1:name}\n    type: ${2|int,float,str,bool|}")]
    item = items[0]
    assert item.insert_text_format == lsp.InsertTextFormat.Snippet and item.sort_text == "!00"
    assert accept(text, item) == f"{RUN}inputs:\n  - name: name\n    type: int\n"
    assert validate_text(accept(text, item)) == []
    _, items = await items_at(client, "kind: component\ninputs:\n  - ‸\n")
    assert snippets(items) == [("input", "name: ${1:name}\n    type: ${2|int,float,str,bool|}")]
    text, items = await items_at(client, "kind: component\noutputs: [‸]\n")
    assert snippets(items) == [("output", "{name: ${1:name}, type: ${2|int,float,str,bool|}}")]
    assert yaml.safe_load(accept(text, items[0])) == {"kind": "component", "outputs": [{"name": "name", "type": "int"}]}


async def test_param_and_matrix_parameter_snippets(client: LanguageClient) -> None:
    text, items = await items_at(client, "kind: operation\nhubRef: x\nparams:\n  ‸\n")
    assert snippets(items) == [("param", "${1:name}:\n    value: $2")]
    assert yaml.safe_load(accept(text, items[0]))["params"] == {"name": {"value": None}}
    _, items = await items_at(client, "kind: operation\nparams:\n  lr‸\n")
    assert snippets(items) == [("param", "lr:\n    value: $2")]
    assert items[0].filter_text == "lr"
    _, items = await items_at(client, "kind: operation\nparams: {‸}\n")
    assert snippets(items) == [("param", "${1:name}: {value: $2}")]
    text, items = await items_at(client, "kind: operation\nhubRef: x\nmatrix:\n  kind: grid\n  params:\n    ‸\n")
    [(label, body)] = snippets(items)
    assert label == "matrix parameter"
    assert body.startswith("${1:name}:\n      kind: ${2|choice,pchoice,range,") and body.endswith("|}\n      value: $3")
    result = accept(text, items[0]).replace("value: \n", "value: [1, 2]\n")
    assert validate_text(result) == []


async def test_dag_operation_and_schedule_snippets(client: LanguageClient) -> None:
    text, items = await items_at(client, "kind: component\nrun:\n  kind: dag\n  operations:\n    - ‸\n")
    assert snippets(items) == [
        ("operation", "name: ${1:name}\n      hubRef: ${2:component}"),
        ("schedule: cron schedule", "schedule:\n        kind: cron\n        cron: ${1:0 0 * * *}"),
        ("schedule: interval schedule", "schedule:\n        kind: interval\n        frequency: ${1:3600}"),
    ]
    after = next(item.sort_text for item in items if item.label == "schedule")  # right after the key
    assert [item.sort_text for item in items if item.kind == SNIPPET] == ["!00", f"{after}~01", f"{after}~02"]
    assert validate_text(accept(text, items[0])) == []
    text, items = await items_at(client, "kind: operation\nhubRef: x\nsch‸\n")
    assert snippets(items) == [
        ("schedule: cron schedule", "schedule:\n  kind: cron\n  cron: ${1:0 0 * * *}"),
        ("schedule: interval schedule", "schedule:\n  kind: interval\n  frequency: ${1:3600}"),
    ]
    assert all(item.filter_text == "schedule" for item in items if item.kind == SNIPPET)
    for item in items[:2]:
        assert validate_text(accept(text, item)) == [], item.label
    _, items = await items_at(client, "kind: operation\nschedule: {‸}\n")
    assert snippets(items) == [
        ("cron schedule", 'kind: cron, cron: "${1:0 0 * * *}"'),
        ("interval schedule", "kind: interval, frequency: ${1:3600}"),
    ]
    _, items = await items_at(client, "kind: operation\nschedule:\n  kind: cron\n  ‸\n")
    assert snippets(items) == []  # a schedule already started gets its keys only


async def test_plain_text_clients_get_empty_values(plain_client: LanguageClient) -> None:
    _, items = await items_at(plain_client, "kind: component\ninputs:\n  ‸\n")
    assert [(item.label, item.text_edit.new_text) for item in items if item.kind == SNIPPET] == [  # type: ignore[union-attr]
        ("input", "- name: \n    type: ")
    ]
    _, items = await items_at(plain_client, "kind: operation\nparams:\n  ‸\n")
    assert snippets(items) == []  # `: value:` would not be YAML; once a name is typed it is offered
    _, items = await items_at(plain_client, "kind: operation\nparams:\n  lr‸\n")
    assert [(item.label, item.text_edit.new_text) for item in items] == [("param", "lr:\n    value: ")]  # type: ignore[union-attr]


async def test_shapes_in_flow_lists_and_nested_components(client: LanguageClient) -> None:
    text, items = await items_at(client, "kind: component\nrun:\n  kind: dag\n  operations: [‸]\n")
    assert snippets(items)[0] == ("operation", "{name: ${1:name}, hubRef: ${2:component}}")
    assert yaml.safe_load(accept(text, items[0]))["run"]["operations"] == [{"name": "name", "hubRef": "component"}]
    marked = "kind: component\nrun:\n  kind: dag\n  components:\n    - name: a\n      inputs:\n        - ‸\n"
    _, items = await items_at(client, marked)
    assert snippets(items) == [("input", "name: ${1:name}\n          type: ${2|int,float,str,bool|}")]

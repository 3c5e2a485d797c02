"""Outline of every section: inputs/outputs by name (type as detail), params, the run and its
replicas, DAG operations and components (with their own sections), the matrix; also while the
file does not parse."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc

DOCUMENT = lsp.TextDocumentIdentifier(POLYAXONFILE_URI)
K = lsp.SymbolKind

COMPONENT = """\
version: 1.1
kind: component
inputs:
  - name: lr
    type: float
  - {name: epochs, type: int}
outputs:
  - name: loss
    type: float
run:
  kind: tfjob
  chief:
    replicas: 1
  worker:
    replicas: 2
    init:
      - git: {url: https://github.com/a/b}
"""

OPERATION = """\
kind: operation
matrix:
  kind: grid
  params:
    lr:
      kind: choice
      value: [0.1, 0.2]
    batch: {kind: range, value: [1, 10, 2]}
params:
  epochs:
    value: 3
  data:
    ref: ops.prep
component:
  name: train-dag
  run:
    kind: dag
    operations:
      - name: prep
        hubRef: prep-data
      - name: train
        dagRef: trainer
        params:
          lr: {value: 0.1}
    components:
      - name: trainer
        inputs:
          - {name: lr, type: float}
        run:
          kind: pytorchjob
          master: {replicas: 1}
          worker: {replicas: 4}
"""


def rows(symbols: Sequence[lsp.DocumentSymbol] | Sequence[lsp.SymbolInformation] | None, depth: int = 0) -> list:
    """Each symbol, indented by depth: name, kind, detail, range, selection range."""
    found: list = []
    for symbol in symbols or []:
        assert isinstance(symbol, lsp.DocumentSymbol)
        found.append(
            (
                "  " * depth + symbol.name,
                symbol.kind,
                symbol.detail,
                as_tuple(symbol.range),
                as_tuple(symbol.selection_range),
            )
        )
        found.extend(rows(symbol.children, depth + 1))
    return found


async def outline_of(client: LanguageClient, text: str) -> list:
    open_doc(client, POLYAXONFILE_URI, text)
    return rows(await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(DOCUMENT)))


async def test_inputs_outputs_run_and_replicas(client: LanguageClient) -> None:
    assert await outline_of(client, COMPONENT) == [
        ("inputs", K.Array, "2 inputs", (2, 0, 6, 0), (2, 0, 2, 6)),
        ("  lr", K.Variable, "float", (3, 4, 5, 2), (3, 4, 3, 8)),
        ("  epochs", K.Variable, "int", (5, 4, 5, 29), (5, 5, 5, 9)),
        ("outputs", K.Array, "1 output", (6, 0, 9, 0), (6, 0, 6, 7)),
        ("  loss", K.Variable, "float", (7, 4, 9, 0), (7, 4, 7, 8)),
        ("run", K.Class, "tfjob", (9, 0, 17, 0), (9, 0, 9, 3)),
        ("  chief", K.Object, "replicas: 1", (11, 2, 13, 2), (11, 2, 11, 7)),
        ("  worker", K.Object, "replicas: 2", (13, 2, 17, 0), (13, 2, 13, 8)),
        ("run.worker.init", K.Array, "1 init entry", (15, 4, 17, 0), (15, 4, 15, 8)),
        ("  git", K.Object, None, (16, 8, 17, 0), (16, 8, 16, 11)),
    ]


async def test_matrix_params_and_a_dag_with_its_nested_structure(client: LanguageClient) -> None:
    assert await outline_of(client, OPERATION) == [
        ("matrix", K.Object, "grid", (1, 0, 8, 0), (1, 0, 1, 6)),
        ("  lr", K.Variable, "choice", (4, 4, 7, 4), (4, 4, 4, 6)),
        ("  batch", K.Variable, "range", (7, 4, 7, 43), (7, 4, 7, 9)),
        ("params", K.Object, None, (8, 0, 13, 0), (8, 0, 8, 6)),
        ("  epochs", K.Variable, "3", (9, 2, 11, 2), (9, 2, 9, 8)),
        ("  data", K.Variable, "ref: ops.prep", (11, 2, 13, 0), (11, 2, 11, 6)),
        ("component", K.Module, "train-dag", (13, 0, 32, 0), (13, 0, 13, 9)),
        ("  run", K.Class, "dag", (15, 2, 32, 0), (15, 2, 15, 5)),
        ("    operations", K.Array, "2 operations", (17, 4, 24, 4), (17, 4, 17, 14)),
        ("      prep", K.Function, "hubRef: prep-data", (18, 8, 20, 6), (18, 8, 18, 12)),
        ("      train", K.Function, "dagRef: trainer", (20, 8, 24, 4), (20, 8, 20, 12)),
        ("        params", K.Object, None, (22, 8, 24, 4), (22, 8, 22, 14)),
        ("          lr", K.Variable, "0.1", (23, 10, 23, 26), (23, 10, 23, 12)),
        ("    components", K.Array, "1 component", (24, 4, 32, 0), (24, 4, 24, 14)),
        ("      trainer", K.Module, None, (25, 8, 32, 0), (25, 8, 25, 12)),
        ("        inputs", K.Array, "1 input", (26, 8, 28, 8), (26, 8, 26, 14)),
        ("          lr", K.Variable, "float", (27, 12, 27, 35), (27, 13, 27, 17)),
        ("        run", K.Class, "pytorchjob", (28, 8, 32, 0), (28, 8, 28, 11)),
        ("          master", K.Object, "replicas: 1", (30, 10, 30, 31), (30, 10, 30, 16)),
        ("          worker", K.Object, "replicas: 4", (31, 10, 31, 31), (31, 10, 31, 16)),
    ]


async def test_other_replica_kinds(client: LanguageClient) -> None:
    text = "kind: component\nrun:\n  kind: raycluster\n  head: {}\n  workers:\n    small: {replicas: 2}\n    big: {}\n"
    assert [row[:3] for row in await outline_of(client, text)] == [
        ("run", K.Class, "raycluster"),
        ("  head", K.Object, None),
        ("  workers.small", K.Object, "replicas: 2"),
        ("  workers.big", K.Object, None),
    ]
    text = "kind: component\nrun:\n  kind: mpijob\n  launcher: {}\n  worker: {replicas: 3}\n"
    assert [row[:3] for row in await outline_of(client, text)] == [
        ("run", K.Class, "mpijob"),
        ("  launcher", K.Object, None),
        ("  worker", K.Object, "replicas: 3"),
    ]
    text = "kind: component\nrun:\n  kind: daskcluster\n  scheduler: {}\n  worker: {}\n"
    assert [row[0] for row in await outline_of(client, text)] == ["run", "  scheduler", "  worker"]


async def test_a_file_that_does_not_parse_keeps_its_sections(client: LanguageClient) -> None:
    """Unclosed quotes in two inputs and an unclosed `{` at the end: the tolerant reading."""
    broken = (
        COMPONENT.replace(
            "  - {name: epochs, type: int}\n", '  - {name: bad, type: "int\n  - {name: epochs, type: int\n'
        )
        + "zz: {a: 'x\n"
    )
    assert await outline_of(client, broken) == [
        ("inputs", K.Array, "3 inputs", (2, 0, 6, 28), (2, 0, 2, 6)),
        ("  lr", K.Variable, "float", (3, 4, 4, 15), (3, 4, 3, 8)),
        ("  bad", K.Variable, "int", (5, 4, 5, 26), (5, 5, 5, 9)),
        ("  epochs", K.Variable, "int", (6, 4, 6, 28), (6, 5, 6, 9)),
        ("outputs", K.Array, "1 output", (7, 0, 9, 15), (7, 0, 7, 7)),
        ("  loss", K.Variable, "float", (8, 4, 9, 15), (8, 4, 8, 8)),
        ("run", K.Class, "tfjob", (10, 0, 17, 42), (10, 0, 10, 3)),
        ("  chief", K.Object, "replicas: 1", (12, 2, 13, 15), (12, 2, 12, 7)),
        ("  worker", K.Object, "replicas: 2", (14, 2, 17, 42), (14, 2, 14, 8)),
        ("run.worker.init", K.Array, "1 init entry", (16, 4, 17, 42), (16, 4, 16, 8)),
        ("  git", K.Object, None, (17, 8, 17, 42), (17, 8, 17, 11)),
    ]


async def test_a_broken_dag_keeps_its_operations(client: LanguageClient) -> None:
    broken = OPERATION + "zz: {a: 'x\n"
    exact = await outline_of(client, OPERATION)
    tolerant = await outline_of(client, broken)
    assert [row[:3] + row[4:] for row in tolerant] == [row[:3] + row[4:] for row in exact]

"""The scope model (server/plxinit/scope.py): what each composed operation declares, and where.

The merge rules asserted here were probed with the oracle (`compose_polyaxonfile` on an
operation over an inline component, each patch strategy): lists concatenated, params merged by
key, `replace` and `isnull` as Polyaxon applies them.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from plxinit.scope import GLOBAL_KEYS, SERVICE_GLOBAL_KEYS, ScopedOperation, operation_at, operations

PIPELINE = """
kind: operation
params: {lr: 0.1, note: {value: x, contextOnly: true}}
component:
  inputs: [{name: lr, type: float}]
  run:
    kind: dag
    components:
    - name: trainer
      inputs: [{name: x, type: int}]
      outputs: [{name: loss, type: float}]
      run: {kind: job, container: {image: b}}
    operations:
    - name: a
      dagRef: trainer
      params: {x: 1}
      joins: [{query: q, params: {files: {value: inputs.f}}}]
    - name: b
      hubRef: tuner
      matrix: {kind: grid, params: {m: {kind: choice, value: [1, 2]}}}
    - name: c
      component:
        run:
          kind: dag
          operations:
          - {name: inner, component: {inputs: [{name: y, type: int}], run: {kind: job}}}
"""


def _ops() -> dict[Any, ScopedOperation]:
    return {op.name: op for op in operations(yaml.safe_load(PIPELINE))}


def test_every_composed_operation_is_listed_with_its_path_and_role() -> None:
    found = [(op.name, op.role, op.path) for op in operations(yaml.safe_load(PIPELINE))]
    assert found == [
        (None, "file", []),
        ("a", "dag-node", ["component", "run", "operations", 0]),
        ("b", "dag-node", ["component", "run", "operations", 1]),
        ("c", "dag-node", ["component", "run", "operations", 2]),
        ("inner", "dag-node", ["component", "run", "operations", 2, "component", "run", "operations", 0]),
    ]


def test_the_component_source_says_inline_dagref_or_a_fetched_reference() -> None:
    ops = _ops()
    assert (ops[None].component.how, ops[None].component.path) == ("inline", ["component"])
    assert (ops["a"].component.how, ops["a"].component.target) == ("dagRef", "trainer")
    assert ops["a"].component.path == ["component", "run", "components", 0]
    assert (ops["b"].component.how, ops["b"].resolved) == ("hubRef", False)
    assert ops["b"].component.path == ["component", "run", "operations", 1, "hubRef"]


def test_declarations_carry_their_paths() -> None:
    ops = _ops()
    assert ops[None].inputs["lr"].path == ["component", "inputs", 0]
    assert ops[None].params["note"].context_only is True
    assert ops[None].params["note"].path == ["params", "note"]
    assert ops["a"].inputs["x"].path == ["component", "run", "components", 0, "inputs", 0]
    assert ops["a"].outputs["loss"].type == "float"
    assert ops["a"].join_params["files"].path == ["component", "run", "operations", 0, "joins", 0, "params", "files"]
    assert ops["b"].matrix is not None
    assert ops["b"].matrix.params["m"].path == ["component", "run", "operations", 1, "matrix", "params", "m"]


def test_names_in_scope_are_per_operation_not_the_siblings() -> None:
    ops = _ops()
    assert ops["a"].names() == {
        "x": ["component", "run", "components", 0, "inputs", 0],
        "loss": ["component", "run", "components", 0, "outputs", 0],
        "files": ["component", "run", "operations", 0, "joins", 0, "params", "files"],
    }
    assert set(ops["b"].names()) == {"m"}
    assert set(ops[None].names()) == {"lr", "note"}


def test_the_dag_knows_its_operations_components_and_inputs_and_nesting() -> None:
    ops = _ops()
    dag = ops["a"].dag
    assert dag is not None and not dag.nested
    assert set(dag.operations) == {"a", "b", "c"} and set(dag.components) == {"trainer"}
    assert set(dag.inputs) == {"lr"}
    inner = ops["inner"].dag
    assert inner is not None and inner.nested and set(inner.operations) == {"inner"}


def test_operation_at_finds_the_innermost_scope() -> None:
    document = yaml.safe_load(PIPELINE)
    found = operation_at(document, ["component", "run", "operations", 0, "params", "x"])
    assert found is not None and found.name == "a"
    found = operation_at(document, ["component", "run", "operations", 2, "component", "run", "operations", 0, "name"])
    assert found is not None and found.name == "inner"
    found = operation_at(document, ["params", "lr"])
    assert found is not None and found.role == "file"


MERGE = """
kind: operation
{strategy}
inputs: [{{name: b, type: str, value: op}}]
params: {{x: 1, y: 2}}
component:
  inputs: [{{name: a, type: int}}]
  params: {{x: 9, z: 3}}
  run: {{kind: job, container: {{image: b}}}}
"""


@pytest.mark.parametrize(
    ("strategy", "inputs", "params"),
    [
        ("", ["a", "b"], {"x": 1, "y": 2, "z": 3}),
        ("patchStrategy: post_merge", ["a", "b"], {"x": 1, "y": 2, "z": 3}),
        ("patchStrategy: pre_merge", ["b", "a"], {"x": 9, "y": 2, "z": 3}),
        ("patchStrategy: replace", ["b"], {"x": 1, "y": 2}),
        ("patchStrategy: isnull", ["a"], {"x": 9, "z": 3}),
    ],
)
def test_layers_merge_with_polyaxons_patch_strategies(strategy: str, inputs: list[str], params: dict[str, int]) -> None:
    (op,) = operations(yaml.safe_load(MERGE.format(strategy=strategy)))
    assert [io.name for io in op.io_list] == inputs
    assert {name: param.value for name, param in op.params.items()} == params


def test_strict_params_holds_when_any_layer_sets_it() -> None:
    text = "kind: operation\nstrictParams: false\ncomponent:\n  strictParams: true\n  run: {kind: job}\n"
    (op,) = operations(yaml.safe_load(text))
    assert op.strict_params is True


def test_a_value_makes_an_input_optional_and_short_and_full_forms_read_alike() -> None:
    text = (
        "kind: operation\nparams: {a: 1, b: {value: 2}, c: {x: 1}, d: {}}\n"
        "component: {inputs: [{name: a, type: int, value: 1}, {name: e, type: int, is_optional: yes}]}\n"
    )
    (op,) = operations(yaml.safe_load(text))
    assert op.inputs["a"].is_optional and op.inputs["e"].is_optional
    assert [(p.name, p.full_form, p.value) for p in op.params.values()] == [
        ("a", False, 1),
        ("b", True, 2),
        ("c", False, {"x": 1}),  # a mapping without a V1Param key is a short-form value
        ("d", True, None),
    ]


def test_globals_keys_are_polyaxons_and_a_service_adds_its_own() -> None:
    assert len(GLOBAL_KEYS) == 26 and "run_outputs_path" in GLOBAL_KEYS and "uuid" in GLOBAL_KEYS
    (job,) = operations(yaml.safe_load("kind: component\nrun: {kind: job}\n"))
    (service,) = operations(yaml.safe_load("kind: component\nrun: {kind: service}\n"))
    assert job.globals_keys() == GLOBAL_KEYS
    assert service.globals_keys() == GLOBAL_KEYS | SERVICE_GLOBAL_KEYS


def test_presets_and_compiled_operations_are_not_composed() -> None:
    (preset,) = operations(yaml.safe_load("isPreset: true\nparams: {a: 1}\n"))
    (compiled,) = operations(yaml.safe_load("kind: compiled_operation\nrun: {kind: job}\n"))
    assert not preset.composed and not compiled.composed


def test_a_recursive_alias_and_a_dagref_cycle_end() -> None:
    document: dict[str, Any] = {"kind": "operation"}
    document["component"] = document
    assert [op.role for op in operations(document)] == ["file"]
    cycle = (
        "kind: component\nrun:\n  kind: dag\n  components:\n  - {name: c1, dagRef: c2}\n  - {name: c2, dagRef: c1}\n"
        "  operations:\n  - {name: a, dagRef: c1}\n"
    )
    ops = operations(yaml.safe_load(cycle))
    assert ops[1].name == "a" and not ops[1].resolved


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    choices: list[Any] = [None, 1, "x", True, 1.5, 10**30, [], {}, "{{ x }}", "dag", "ops.a"]
    if depth < 5:
        choices += [
            [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
            {
                rng.choice(
                    ["kind", "run", "operations", "component", "inputs", "params", "matrix", "dagRef", "name"]
                ): (_random_value(rng, depth + 1))
                for _ in range(rng.randint(0, 4))
            },
        ]
    return rng.choice(choices)


def test_any_yaml_value_gives_a_model_and_never_raises() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        value = _random_value(rng)
        for op in operations(value):
            op.names()
            op.globals_keys()
    deep: Any = {"kind": "component"}
    here = deep
    for _ in range(3000):
        here["component"] = {}
        here = here["component"]
    assert len(operations(deep)) <= 1

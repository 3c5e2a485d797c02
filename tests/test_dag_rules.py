"""The DAG checks Polyaxon 2.18 makes when it composes a file, as a user sees them.

Each verdict here was probed with the oracle (tests/oracle/polyaxon_oracle.py) first; the
fixtures `tests/fixtures/*/dag-*.yaml` are re-checked against it by
test_every_fixture_has_polyaxons_verdict.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from plxinit.dag_rules import dag_findings
from plxinit.diagnostics import Diagnostic
from plxinit.validate import validate_text
from random_values import random_value

JOB = "{run: {kind: job, container: {image: b}}}"


def _dag(operations: str, head: str = "kind: component\n", extra: str = "") -> str:
    return f"{head}run:\n  kind: dag\n  operations:\n{operations}{extra}"


def _shown(diagnostic: Diagnostic) -> tuple[str, str, int, int, int]:
    r = diagnostic.range
    return diagnostic.severity.value, diagnostic.code, r.start.line + 1, r.start.column + 1, r.end.column + 1


def _only(text: str) -> Diagnostic:
    diagnostics = validate_text(text)
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def test_a_duplicate_operation_name_points_at_the_second_and_relates_the_first() -> None:
    found = _only(_dag(f"  - name: a\n    component: {JOB}\n  - name: a\n    component: {JOB}\n"))
    assert _shown(found) == ("error", "duplicate-name", 7, 11, 12)
    assert found.message == "Two operations of this DAG are named `a`: operation names must be unique."
    assert [(r.range.start.line + 1, r.range.start.column + 1, r.message) for r in found.related] == [
        (5, 11, "`a` is first declared here")
    ]


def test_a_cycle_is_shown_as_a_path_with_each_other_edge_related() -> None:
    ops = (
        f"  - {{name: a, dependencies: [b], component: {JOB}}}\n"
        f"  - {{name: b, dependencies: [c], component: {JOB}}}\n"
        f"  - {{name: c, dependencies: [a], component: {JOB}}}\n"
    )
    found = _only(_dag(ops))
    assert _shown(found) == ("error", "dag-cycle", 5, 30, 31)
    assert found.message == "These operations depend on each other in a cycle: a → b → c → a."
    assert [(r.range.start.line + 1, r.message) for r in found.related] == [
        (6, "`b` depends on `c` here"),
        (7, "`c` depends on `a` here"),
    ]


def test_a_dagref_cycle_names_the_components_in_order() -> None:
    extra = "  components:\n  - {name: c1, dagRef: c2}\n  - {name: c2, dagRef: c1}\n"
    found = _only(_dag("  - {name: a, dagRef: c1}\n", extra=extra))
    assert _shown(found) == ("error", "dag-cycle", 8, 24, 26)
    assert found.message == "The components' `dagRef`s make a cycle: c1 → c2 → c1 (reached from operation `a`)."
    assert [(r.range.start.line + 1, r.message) for r in found.related] == [
        (5, "`c1` is reached from here"),
        (7, "`c2` is reached from here"),
    ]


@pytest.mark.parametrize(
    ("operations", "extra", "expected", "message"),
    [
        pytest.param(
            f"  - component: {JOB}\n",
            "",
            ("error", "required", 5, 5, 14),
            "This DAG operation needs a `name`: the graph refers to it by name.",
            id="op-without-name",
        ),
        pytest.param(
            f"  - name: null\n    component: {JOB}\n",
            "",
            ("error", "required", 5, 5, 9),
            "This DAG operation needs a `name`: the graph refers to it by name.",
            id="op-name-null",
        ),
        pytest.param(
            "  - {name: a, dagRef: nope}\n",
            "",
            ("error", "unknown-reference", 5, 23, 27),
            "`dagRef: nope` names no component of this DAG: declare it under `components` with `name: nope`.",
            id="dagref-missing",
        ),
        pytest.param(
            "  - {name: a, component: {dagRef: nope}}\n",
            "",
            ("error", "unknown-reference", 5, 35, 39),
            "`dagRef: nope` names no component of this DAG: declare it under `components` with `name: nope`.",
            id="inline-component-dagref-missing",
        ),
        pytest.param(
            "  - {name: a, dagRef: c}\n",
            "  components:\n  - {name: c}\n",
            ("error", "required", 5, 12, 13),
            "Operation `a` has no run: give it a `component` with a `run`, a `dagRef` to a component of this DAG "
            "that has one, a `run`, or a hubRef, pathRef or urlRef.",
            id="dagref-component-without-run",
        ),
        pytest.param(
            f"  - {{name: a, dependencies: '{{{{ x }}}}', component: {JOB}}}\n",
            "",
            ("error", "unknown-reference", 5, 29, 38),
            "`dependencies` of `a` must be a list of operation names: Polyaxon reads the string `{{ x }}` "
            "as one name per character (a template is not rendered here).",
            id="dependencies-template-string",
        ),
        pytest.param(
            f"  - {{name: a, dependencies: ['{{{{ x }}}}'], component: {JOB}}}\n",
            "",
            ("error", "unknown-reference", 5, 30, 39),
            "`{{ x }}` is not an operation of this DAG (`dependencies` of `a`). "
            "Templates are not rendered in a DAG's references.",
            id="dependency-template-item",
        ),
        pytest.param(
            f"  - {{name: a, dependencies: [a], component: {JOB}}}\n",
            "",
            ("error", "dag-cycle", 5, 30, 31),
            "`a` depends on itself: a DAG cannot have a cycle.",
            id="self-dependency",
        ),
        pytest.param(
            f"  - {{name: a, events: [{{kinds: [run_status_done], ref: ops}}], component: {JOB}}}\n",
            "",
            ("error", "unknown-reference", 5, 56, 59),
            "`ref: ops` names no operation: write `ops.<operation>`.",
            id="events-ref-without-operation",
        ),
        pytest.param(
            f"  - {{name: a, params: {{x: {{ref: '', value: outputs.y}}}}, component: {JOB}}}\n",
            "",
            ("error", "invalid-value", 5, 33, 35),
            "Param `x`: `ref` is empty; write `dag`, `ops.<operation>` or `runs.<uuid>`, or remove it.",
            id="empty-ref",
        ),
        pytest.param(
            f"  - {{name: a, params: {{x: {{ref: runs.abc, value: outputs.y}}}}, component: {JOB}}}\n",
            "",
            ("error", "invalid-value", 5, 33, 41),
            "Param `x`: `ref: runs.abc` must name a run by its UUID.",
            id="runs-ref-not-a-uuid",
        ),
        pytest.param(
            f"  - {{name: a, params: {{x: {{ref: dag, value: outputs}}}}, component: {JOB}}}\n",
            "",
            ("error", "invalid-value", 5, 45, 52),
            "Param `x`: a DAG's own `outputs` cannot be referenced from inside it.",
            id="dag-outputs",
        ),
        pytest.param(
            f"  - {{name: a, params: {{x: {{ref: dag, value: '{{{{ outputs.a.b.c }}}}'}}}}, component: {JOB}}}\n",
            "",
            ("error", "invalid-value", 5, 45, 66),
            "Param `x`: `{{ outputs.a.b.c }}` has too many parts: write `outputs.<name>`, `inputs.<name>` "
            "or `artifacts.<name>`.",
            id="template-value-too-many-parts",
        ),
    ],
)
def test_each_check_of_the_composed_dag(operations: str, extra: str, expected: tuple[Any, ...], message: str) -> None:
    found = _only(_dag(operations, extra=extra))
    assert (_shown(found), found.message) == (expected, message)


def _feeding(output: str, input_: str, value: str = "outputs.o") -> str:
    return _dag(
        f"  - name: a\n    component:\n      outputs: [{{name: o, {output}}}]\n      run: {JOB[6:-1]}\n"
        f"  - name: b\n    params: {{p: {{ref: ops.a, value: {value}}}}}\n"
        f"    component:\n      inputs: [{{name: p, {input_}}}]\n      run: {JOB[6:-1]}\n"
    )


@pytest.mark.parametrize(
    ("output", "input_", "value", "message"),
    [
        (
            "type: str",
            "type: int",
            "outputs.o",
            "Param `p` feeds an input of type `int`, but `outputs.o` of `a` has type `str`.",
        ),
        (
            "type: float",
            "type: metric",
            "outputs.o",
            "Param `p` feeds an input of type `metric`, but `outputs.o` of `a` has type `float`.",
        ),
        ("type: int", "type: int", "outputs.x", "`outputs.x`: `a` declares no output named `x`."),
        ("type: int", "type: int", "inputs.x", "`inputs.x`: `a` declares no input named `x`."),
        ("type: int", "type: str", "globals.nope", "`globals.nope`: `nope` is not a global context Polyaxon offers."),
        (
            "type: int",
            "type: int, isList: false",
            "outputs.o",
            "Param `p` feeds an input with `isList: false`, but `outputs.o` of `a` is declared without `isList`: "
            "`isList` must match.",
        ),
    ],
)
def test_a_ref_value_must_be_declared_and_fit_the_input(output: str, input_: str, value: str, message: str) -> None:
    found = _only(_feeding(output, input_, value))
    assert (found.severity.value, found.message) == ("error", message)
    assert found.code in ("ref-type", "unknown-reference")


@pytest.mark.parametrize(
    ("output", "input_", "value"),
    [
        ("type: path", "type: str", "outputs.o"),  # str, path, s3, gcs, wasb are compatible
        ("type: s3", "type: gcs", "outputs.o"),
        ("type: int, isList: true", "type: int, is_list: true", "outputs.o"),
        ("type: int", "type: int", "artifacts.anything"),  # artifacts may be logged at runtime
        ("type: int", "type: str", "globals.uuid"),
        ("type: int", "type: dict", "outputs"),
        ("type: int", "type: int", "'{{ outputs.nope }}'"),  # a template ref is not looked up
    ],
)
def test_valid_refs_get_no_diagnostic(output: str, input_: str, value: str) -> None:
    assert validate_text(_feeding(output, input_, value)) == []


DUPLICATE_OPS = f"  - {{name: a, component: {JOB}}}\n  - {{name: a, component: {JOB}}}\n"


@pytest.mark.parametrize(
    "head",
    [
        pytest.param("isPreset: true\n", id="preset"),
        pytest.param("kind: operation\nhubRef: tools/x\n", id="root-reference"),
        pytest.param("kind: compiled_operation\n", id="compiled-operation"),
    ],
)
def test_a_dag_polyaxon_does_not_compose_is_not_checked(head: str) -> None:
    assert [d for d in validate_text(_dag(DUPLICATE_OPS, head=head)) if d.code == "duplicate-name"] == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_dag(DUPLICATE_OPS, head=""), id="kindless-with-run"),
        pytest.param(_dag(DUPLICATE_OPS, head="kind: operation\n"), id="operation-run"),
        pytest.param(
            "kind: operation\ncomponent:\n  run:\n    kind: dag\n    operations:\n"
            + DUPLICATE_OPS.replace("  - ", "    - "),
            id="operation-inline-component",
        ),
    ],
)
def test_the_composed_dag_is_checked_wherever_the_file_puts_it(text: str) -> None:
    assert [d.code for d in validate_text(text)] == ["duplicate-name"]


def test_a_nested_dag_gets_warnings_that_say_when_polyaxon_checks_it() -> None:
    nested = "    component:\n      run:\n        kind: dag\n        operations:\n" + DUPLICATE_OPS.replace(
        "  - ", "        - "
    )
    found = _only(_dag(f"  - name: outer\n{nested}"))
    assert _shown(found)[:2] == ("warning", "duplicate-name")
    assert found.message.endswith("Polyaxon checks a nested DAG when it runs, not when the file is checked.")


def test_a_nested_dag_leaves_templates_alone() -> None:
    ops = (
        f"        - {{name: '{{{{ n }}}}', component: {JOB}}}\n"
        f"        - {{name: b, dependencies: [x], component: {JOB}}}\n"
    )
    nested = f"    component:\n      run:\n        kind: dag\n        operations:\n{ops}"
    assert validate_text(_dag(f"  - name: outer\n{nested}")) == []


def test_hub_nodes_are_accepted_and_not_looked_into() -> None:
    # `polyaxon check` fetches them first (offline, the oracle cannot: FINDINGS.md, DAG checks)
    inputs = "{inputs: [{name: p, type: int}], run: {kind: job, container: {image: b}}}"
    ops = (
        "  - {name: h, hubRef: tools/x}\n"
        f"  - {{name: b, params: {{p: {{ref: ops.h, value: outputs.any}}}}, component: {inputs}}}\n"
    )
    assert validate_text(_dag(ops)) == []


ATOMS: list[Any] = [None, True, 0, 1.5, 10**400, "", "a", "dag", "ops", "ops.a", "ops.", "{{ x }}", "runs.x", [], {}]
KEYS = ["kind", "run", "operations", "components", "name", "dagRef", "hubRef", "component", "dependencies"]
KEYS += ["params", "ref", "value", "events", "inputs", "outputs", "type", "isList", "schedule", "isPreset"]


def _random_value(rng: random.Random, depth: int) -> Any:
    return random_value(rng, KEYS, ATOMS, depth, leaf_odds=0.3, list_odds=0.28, widths=(4, 6))


def test_any_loaded_value_gives_findings_never_a_traceback() -> None:
    rng = random.Random(20250218)
    kinds = set()
    for _ in range(4000):
        run = {"kind": "dag", "operations": _random_value(rng, 1), "components": _random_value(rng, 1)}
        for finding in dag_findings({"kind": "component", "run": run}):
            kinds.add(finding.code)
    assert {"required", "unknown-reference"} <= kinds


def test_a_value_that_contains_itself_ends() -> None:
    op: dict[str, Any] = {"name": "a"}
    op["component"] = op
    run: dict[str, Any] = {"kind": "dag", "operations": [op]}
    run["components"] = [{"name": "c", "run": run}]
    run["operations"].append({"name": "b", "dagRef": "c"})
    assert [f.code for f in dag_findings({"kind": "component", "run": run})] == []

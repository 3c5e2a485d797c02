"""Params and the matrix against inputs (server/plxinit/params_rules.py), as a user sees them.

ROWS is a table of probes, each with the verdict Polyaxon 2.18 gave at the level where it
checks the rule (`level`: "check" is `polyaxon check -f`, "resolve" what the agent does before
a run; tests/oracle/polyaxon_oracle.py) and our exact diagnostics. The oracle test asks
Polyaxon again for every row, so a recorded verdict cannot drift; it fails (it does not skip)
when the oracle venv is missing, as tests/test_io_values.py does.

The line between error and warning is Polyaxon's verdict: a row Polyaxon rejects has an error
from us, a row it accepts has none (its warnings, if any, are shown VALID here). The one
intentional difference is in INTENTIONAL.

The fixtures `params-*.yaml` and `matrix-input-*.yaml` get Polyaxon's verdict at the level these
rules belong to in tests/differential/test_differential.py (test_every_fixture_has_polyaxons_verdict).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from plxinit.params_rules import params_findings
from plxinit.validate import validate_text
from random_values import random_value

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))

from harness import (
    oracle_fixture,  # noqa: F401 - the shared fixture `oracle` (harness.py says why not in a conftest)
    run_oracle,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Row(NamedTuple):
    id: str
    text: str
    level: str
    polyaxon_valid: bool
    ours: list[tuple[str, str, int, int, str]]  # severity, code, 1-based line and column, message


#: Rows where we knowingly differ from Polyaxon, with why.
INTENTIONAL = {
    # A bare component gets its params from `polyaxon check -P` or from the operations that run
    # it; `polyaxon check` without -P rejects its required input, but the file is not wrong.
    "component-required",
}

ROWS: list[Row] = [
    Row(
        "required-none",
        (
            "kind: operation\n"
            "params: {lr: 0.1}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}, {name: e, type: int}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                2,
                1,
                (
                    "The required input `e` gets no value: give this operation a param `e` "
                    "(or a matrix param), or make the input optional."
                ),
            ),
        ],
    ),
    Row(
        "required-no-params",
        (
            "kind: operation\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                1,
                1,
                (
                    "The required input `lr` gets no value: give this operation a param "
                    "`lr` (or a matrix param), or make the input optional."
                ),
            ),
        ],
    ),
    Row(
        "required-output",
        (
            "kind: operation\n"
            "params: {}\n"
            "component:\n"
            "  outputs: [{name: o, type: int, delayValidation: false}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                2,
                1,
                (
                    "The output `o` has `delayValidation: false`, so this operation must "
                    "give it a param `o` (or make it optional)."
                ),
            ),
        ],
    ),
    Row(
        "optional-output",
        ("kind: operation\ncomponent:\n  outputs: [{name: o, type: int}]\n  run: {kind: job, container: {image: b}}\n"),
        "check",
        True,
        [],
    ),
    Row(
        "component-required",
        ("kind: component\ninputs: [{name: lr, type: float}]\nrun: {kind: job, container: {image: b}}\n"),
        "check",
        False,
        [],
    ),
    Row(
        "value-type",
        (
            "kind: operation\n"
            "params: {lr: abc}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                14,
                ("Param `lr` feeds the input `lr` of type `float`, but its value `abc` is not a number."),
            ),
        ],
    ),
    Row(
        "value-validation",
        (
            "kind: operation\n"
            "params: {lr: 5}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float, validation: {le: 1}}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                14,
                ("Param `lr`: the input `lr` must be at most 1 (`validation.le`), but its value is `5`."),
            ),
        ],
    ),
    Row(
        "value-output",
        (
            "kind: operation\n"
            "params: {o: abc}\n"
            "component:\n"
            "  outputs: [{name: o, type: int}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                13,
                ("Param `o` feeds the output `o` of type `int`, but its value `abc` is not an integer."),
            ),
        ],
    ),
    Row(
        "value-template",
        (
            "kind: operation\n"
            "params: {lr: '{{ globals.uuid }}'}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "value-str-for-int",
        (
            "kind: operation\n"
            "params: {lr: '3'}\n"
            "component:\n"
            "  inputs: [{name: lr, type: int}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "value-null",
        (
            "kind: operation\n"
            "params: {lr: null}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                2,
                14,
                ("Param `lr` has no value, and the input `lr` is required: give it a value or remove the param."),
            ),
        ],
    ),
    Row(
        "value-null-optional",
        (
            "kind: operation\n"
            "params: {lr: null}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float, isOptional: true}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "component-params-value",
        (
            "kind: component\n"
            "params: {lr: abc}\n"
            "inputs: [{name: lr, type: float}]\n"
            "run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                14,
                ("Param `lr` feeds the input `lr` of type `float`, but its value `abc` is not a number."),
            ),
        ],
    ),
    Row(
        "undeclared",
        (
            "kind: operation\n"
            "params: {lr: 0.1, lrr: 1}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "unknown-key",
                2,
                19,
                (
                    "Param `lrr` matches no input or output of this operation: Polyaxon "
                    "keeps it as a context value without checking it. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "undeclared-no-io",
        ("kind: operation\nparams: {lr: 0.1}\ncomponent:\n  inputs: []\n  run: {kind: job, container: {image: b}}\n"),
        "check",
        True,
        [],
    ),
    Row(
        "undeclared-strict",
        (
            "kind: operation\n"
            "strictParams: true\n"
            "params: {lr: 0.1, lrr: 1}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "unknown-key",
                3,
                19,
                (
                    "Param `lrr` matches no input or output, which `strictParams` rejects: "
                    "declare it, or set `contextOnly: true` on it. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "undeclared-strict-context",
        (
            "kind: operation\n"
            "strictParams: true\n"
            "params: {lr: 0.1, lrr: {value: 1, contextOnly: true}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "undeclared-context-false",
        (
            "kind: operation\n"
            "params: {lr: 0.1, lrr: {value: 1, contextOnly: false}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "unknown-key",
                2,
                48,
                (
                    "Param `lrr` has `contextOnly: false`, so it needs an input or output "
                    "named `lrr`, and this operation declares none. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "component-strict",
        (
            "kind: component\n"
            "strictParams: true\n"
            "params: {lr: 1.0, zz: 1}\n"
            "inputs: [{name: lr, type: float}]\n"
            "run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "unknown-key",
                3,
                19,
                (
                    "Param `zz` matches no input or output, which `strictParams` rejects: "
                    "declare it, or set `contextOnly: true` on it."
                ),
            ),
        ],
    ),
    Row(
        "ref-jobs",
        (
            "kind: operation\n"
            "params: {lr: {ref: jobs.a, value: outputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                20,
                ("Param `lr`: `ref: jobs.a` must be `dag`, `ops.<operation>` or `runs.<uuid>`."),
            ),
        ],
    ),
    Row(
        "ref-runs-not-uuid",
        (
            "kind: operation\n"
            "params: {lr: {ref: runs.abc, value: outputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            ("error", "invalid-value", 2, 20, "Param `lr`: `ref: runs.abc` must name a run by its UUID."),
        ],
    ),
    Row(
        "ref-runs",
        (
            "kind: operation\n"
            "params: {lr: {ref: runs.0bd1e7a3e5c54b4a9f1d2e3c4b5a6978, value: outputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "ref-ops-outside-dag",
        (
            "kind: operation\n"
            "params: {lr: {ref: ops.a, value: outputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "unknown-reference",
                2,
                20,
                (
                    "Param `lr`: `ref: ops.a` reaches nothing here: `ops.<name>` and `dag` "
                    "refer to a DAG's operations, and this file is not inside a DAG. Use "
                    "`runs.<uuid>` or a value."
                ),
            ),
        ],
    ),
    Row(
        "ref-dag-outside-dag",
        (
            "kind: operation\n"
            "params: {lr: {ref: dag, value: inputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float, isOptional: true}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "unknown-reference",
                2,
                20,
                (
                    "Param `lr`: `ref: dag` reaches nothing here: `ops.<name>` and `dag` "
                    "refer to a DAG's operations, and this file is not inside a DAG. Use "
                    "`runs.<uuid>` or a value."
                ),
            ),
        ],
    ),
    Row(
        "ref-ops-template",
        (
            "kind: operation\n"
            "params: {lr: {ref: ops.a, value: '{{ outputs.x }}'}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "ref-ops-undeclared",
        (
            "kind: operation\n"
            "params: {lr: 1, z: {ref: ops.a, value: outputs.x}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "unknown-key",
                2,
                17,
                (
                    "Param `z` matches no input or output of this operation: Polyaxon "
                    "keeps it as a context value without checking it. Declare it, or set "
                    "`contextOnly: true`."
                ),
            ),
        ],
    ),
    Row(
        "ref-empty",
        (
            "kind: operation\n"
            "params: {lr: {ref: '', value: 1}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            ("error", "invalid-value", 2, 20, "Param `lr`: `ref` is empty; write `runs.<uuid>`, or remove it."),
        ],
    ),
    Row(
        "ref-value-parts",
        (
            "kind: operation\n"
            "params: {lr: {ref: runs.0bd1e7a3e5c54b4a9f1d2e3c4b5a6978, value: "
            "outputs.a.b.c}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                66,
                (
                    "Param `lr`: `outputs.a.b.c` has too many parts: write "
                    "`outputs.<name>`, `inputs.<name>` or `artifacts.<name>`."
                ),
            ),
        ],
    ),
    Row(
        "ref-value-head",
        (
            "kind: operation\n"
            "params: {lr: {ref: runs.0bd1e7a3e5c54b4a9f1d2e3c4b5a6978, value: foo}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                66,
                (
                    "Param `lr`: `foo` is not a value a ref can take: one of inputs, "
                    "outputs, io, artifacts, or `outputs.<name>`, ..."
                ),
            ),
        ],
    ),
    Row(
        "to-init-str",
        (
            "kind: operation\n"
            "params: {lr: {value: abc, toInit: true}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: str}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                35,
                (
                    "`lr` has `toInit`, but its type `str` cannot become an init "
                    "container: use a git, artifacts or dockerfile input, or give it a "
                    "`connection`."
                ),
            ),
        ],
    ),
    Row(
        "to-init-path",
        (
            "kind: operation\n"
            "params: {lr: {value: /a, toInit: true}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: path}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                34,
                (
                    "`lr` has `toInit`, but its type `path` cannot become an init "
                    "container: use a git, artifacts or dockerfile input, or give it a "
                    "`connection`."
                ),
            ),
        ],
    ),
    Row(
        "to-init-git",
        (
            "kind: operation\n"
            "params: {lr: {value: {url: 'https://github.com/a/b'}, toInit: true}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: git}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        True,
        [],
    ),
    Row(
        "to-init-connection",
        (
            "kind: operation\n"
            "params: {lr: {value: /a, toInit: true, connection: repo}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: str}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        True,
        [],
    ),
    Row(
        "to-init-undeclared",
        (
            "kind: operation\n"
            "params: {lr: {value: abc, toInit: true}}\n"
            "component:\n"
            "  inputs: []\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                35,
                (
                    "`lr` has `toInit`, but no input or output with a type declares `lr`: "
                    "use a git, artifacts or dockerfile input, or give it a `connection`."
                ),
            ),
        ],
    ),
    Row(
        "to-init-input",
        (
            "kind: operation\n"
            "component:\n"
            "  inputs: [{name: lr, type: str, value: a, toInit: true}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        False,
        [
            (
                "error",
                "invalid-value",
                3,
                52,
                (
                    "`lr` has `toInit`, but its type `str` cannot become an init "
                    "container: use a git, artifacts or dockerfile input, or give it a "
                    "`connection`."
                ),
            ),
        ],
    ),
    Row(
        "to-init-node",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    params: {lr: {value: abc, toInit: true}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: str}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        True,
        [
            (
                "warning",
                "invalid-value",
                6,
                39,
                (
                    "`lr` has `toInit`, but its type `str` cannot become an init "
                    "container: use a git, artifacts or dockerfile input, or give it a "
                    "`connection`. Polyaxon checks this when the operation runs."
                ),
            ),
        ],
    ),
    Row(
        "join-supplies-input",
        (
            "kind: operation\n"
            "joins: [{query: q, params: {lr: {value: inputs.lr}}}]\n"
            "component:\n"
            "  inputs: [{name: lr, type: float, isList: true}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "matrix-uniform-str",
        (
            "kind: operation\n"
            "matrix: {kind: random, numRuns: 2, params: {lr: {kind: uniform, value: [0, "
            "1]}}}\n"
            "component:\n"
            "  inputs: [{name: lr, type: str}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                56,
                (
                    "Matrix param `lr` is a `uniform`, which needs an input of type `int` "
                    "or `float`, but the input `lr` has type `str`."
                ),
            ),
        ],
    ),
    Row(
        "matrix-uniform-int",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: random, numRuns: 2, params: {lr: {kind: uniform, value: [0, "
            "1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: int}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "matrix-range-list",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: grid, params: {lr: {kind: range, value: [0, 10, 1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: 'List[int]'}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                6,
                46,
                (
                    "Matrix param `lr` is a `range`, which needs an input of type `int` or "
                    "`float`, but the input `lr` has type `List[int]`."
                ),
            ),
        ],
    ),
    Row(
        "matrix-daterange-date",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: grid, params: {lr: {kind: daterange, value: ['2020-01-01', "
            "'2020-01-05', 1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: date}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "matrix-component",
        (
            "kind: component\n"
            "matrix: {kind: random, numRuns: 2, params: {lr: {kind: uniform, value: [0, "
            "1]}}}\n"
            "inputs: [{name: lr, type: str}]\n"
            "run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                2,
                56,
                (
                    "Matrix param `lr` is a `uniform`, which needs an input of type `int` "
                    "or `float`, but the input `lr` has type `str`."
                ),
            ),
        ],
    ),
    Row(
        "matrix-choice-type",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: grid, params: {lr: {kind: choice, value: [a, 1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: int}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "type",
                6,
                62,
                (
                    "This matrix value feeds the input `lr` of type `int`, but its value "
                    "`a` is not an integer. Polyaxon does not check matrix values."
                ),
            ),
        ],
    ),
    Row(
        "matrix-pchoice-type",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: random, numRuns: 1, params: {lr: {kind: pchoice, value: [[a, "
            "0.5], [1, 0.5]]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: int}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "type",
                6,
                78,
                (
                    "This matrix value feeds the input `lr` of type `int`, but its value "
                    "`a` is not an integer. Polyaxon does not check matrix values."
                ),
            ),
        ],
    ),
    Row(
        "matrix-not-input",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    params: {lr: 1}\n"
            "    matrix: {kind: grid, params: {lrr: {kind: choice, value: [1, 2]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "unknown-key",
                7,
                35,
                (
                    "Matrix param `lrr` is not an input of operation `a`: Polyaxon passes "
                    "it as a context value that nothing declares. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "matrix-not-input-strict",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    strictParams: true\n"
            "    params: {lr: 1}\n"
            "    matrix: {kind: grid, params: {lrr: {kind: choice, value: [1, 2]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "unknown-key",
                8,
                35,
                (
                    "Matrix param `lrr` is not an input of operation `a`: Polyaxon passes "
                    "it as a context value that nothing declares. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "matrix-and-param",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    params: {lr: 1}\n"
            "    matrix: {kind: grid, params: {lr: {kind: choice, value: [1, 2]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "invalid-value",
                7,
                35,
                (
                    "`lr` is given both in `params` and by the matrix: Polyaxon accepts "
                    "both without saying which one a run gets (polyaxon/polyaxon#768). "
                    "Remove one of them."
                ),
            ),
        ],
    ),
    Row(
        "matrix-and-param-kind",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    params: {lr: a}\n"
            "    matrix: {kind: random, numRuns: 2, params: {lr: {kind: uniform, value: [0, "
            "1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: str}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "invalid-value",
                7,
                49,
                (
                    "`lr` is given both in `params` and by the matrix: Polyaxon accepts "
                    "both without saying which one a run gets (polyaxon/polyaxon#768). "
                    "Remove one of them."
                ),
            ),
        ],
    ),
    Row(
        "mapping-value-type",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: mapping, values: [{lr: abc}]}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "type",
                6,
                43,
                (
                    "This mapping value feeds the input `lr` of type `float`, but its "
                    "value `abc` is not a number. Polyaxon does not check mapping values."
                ),
            ),
        ],
    ),
    Row(
        "mapping-missing-input",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: mapping, values: [{lrr: 1}]}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                5,
                11,
                (
                    "The required input `lr` gets no value: give operation `a` a param "
                    "`lr` (or a matrix param), or make the input optional."
                ),
            ),
            (
                "warning",
                "unknown-key",
                6,
                39,
                (
                    "Matrix key `lrr` is not an input of operation `a`: Polyaxon passes it "
                    "as a context value that nothing declares. Did you mean `lr`?"
                ),
            ),
        ],
    ),
    Row(
        "hyperband-resource",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: hyperband, maxIterations: 3, eta: 3, resource: {name: "
            "epochs, type: int}, metric: {name: loss, optimization: minimize}, params: {lr: "
            "{kind: uniform, value: [0, 1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [
            (
                "warning",
                "unknown-key",
                6,
                74,
                (
                    "The matrix's resource `epochs` is not an input of operation `a`: the "
                    "budget it sets reaches no input."
                ),
            ),
        ],
    ),
    Row(
        "hyperband-resource-input",
        (
            "kind: component\n"
            "run:\n"
            "  kind: dag\n"
            "  operations:\n"
            "  - name: a\n"
            "    matrix: {kind: hyperband, maxIterations: 3, eta: 3, resource: {name: "
            "epochs, type: int}, metric: {name: loss, optimization: minimize}, params: {lr: "
            "{kind: uniform, value: [0, 1]}}}\n"
            "    component:\n"
            "      inputs: [{name: lr, type: float}, {name: epochs, type: int}]\n"
            "      run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "merged-operation-inputs",
        (
            "kind: operation\n"
            "inputs: [{name: extra, type: int}]\n"
            "params: {lr: 1.0}\n"
            "component:\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "required",
                3,
                1,
                (
                    "The required input `extra` gets no value: give this operation a param "
                    "`extra` (or a matrix param), or make the input optional."
                ),
            ),
        ],
    ),
    Row(
        "merged-replace-params",
        (
            "kind: operation\n"
            "patchStrategy: replace\n"
            "params: {lr: 1.0}\n"
            "component:\n"
            "  params: {lr: abc}\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        True,
        [],
    ),
    Row(
        "merged-isnull-params",
        (
            "kind: operation\n"
            "patchStrategy: isnull\n"
            "params: {lr: 1.0}\n"
            "component:\n"
            "  params: {lr: abc}\n"
            "  inputs: [{name: lr, type: float}]\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "check",
        False,
        [
            (
                "error",
                "type",
                5,
                16,
                ("Param `lr` feeds the input `lr` of type `float`, but its value `abc` is not a number."),
            ),
        ],
    ),
    Row(
        "to-init-component-input",
        (
            "kind: component\n"
            "inputs: [{name: lr, type: str, value: a, toInit: true}]\n"
            "run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        False,
        [
            (
                "error",
                "invalid-value",
                2,
                50,
                (
                    "`lr` has `toInit`, but its type `str` cannot become an init "
                    "container: use a git, artifacts or dockerfile input, or give it a "
                    "`connection`."
                ),
            ),
        ],
    ),
    Row(
        "to-init-component-param",
        ("kind: component\nparams: {p: {value: 1, toInit: true}}\nrun: {kind: job, container: {image: b}}\n"),
        "resolve",
        True,
        [],
    ),
    Row(
        "to-init-param-of-the-component",
        (
            "kind: operation\n"
            "component:\n"
            "  inputs: [{name: lr, type: str, isOptional: true}]\n"
            "  params: {lr: {value: a, toInit: true}}\n"
            "  run: {kind: job, container: {image: b}}\n"
        ),
        "resolve",
        True,
        [],
    ),
]


def _ours(text: str) -> list[tuple[str, str, int, int, str]]:
    return [
        (d.severity.value, d.code, d.range.start.line + 1, d.range.start.column + 1, d.message)
        for d in validate_text(text)
    ]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_our_diagnostics(row: Row) -> None:
    assert _ours(row.text) == row.ours


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_an_error_exactly_where_polyaxon_rejects(row: Row) -> None:
    has_error = any(severity == "error" for severity, *_ in row.ours)
    if row.id in INTENTIONAL:
        assert not has_error and not row.polyaxon_valid
    else:
        assert has_error == (not row.polyaxon_valid)


def test_every_warning_case_is_valid_for_polyaxon() -> None:
    warned = [row for row in ROWS if any(severity == "warning" for severity, *_ in row.ours)]
    assert len(warned) >= 10
    assert all(row.polyaxon_valid for row in warned if not any(s == "error" for s, *_ in row.ours))


def test_recorded_verdicts_are_polyaxons(oracle: Path) -> None:
    verdicts = run_oracle([{"id": row.id, "text": row.text, "level": row.level} for row in ROWS], oracle)
    drifted = [
        f"{row.id}: recorded {'valid' if row.polyaxon_valid else 'invalid'}, Polyaxon says {verdicts[row.id]['error']}"
        for row in ROWS
        if verdicts[row.id]["valid"] != row.polyaxon_valid
    ]
    assert not drifted, "\n".join(drifted)


def test_a_finding_relates_the_declaration_it_is_checked_against() -> None:
    text = next(row.text for row in ROWS if row.id == "value-type")
    (found,) = validate_text(text)
    assert [(r.range.start.line + 1, r.range.start.column + 1, r.message) for r in found.related] == [
        (4, 12, "input `lr` is declared here")
    ]


def test_a_nested_dag_is_warned_about_not_rejected() -> None:
    text = (FIXTURES / "positive" / "params-nested-dag-required-input.yaml").read_text(encoding="utf-8")
    (found,) = validate_text(text)
    assert found.severity.value == "warning" and found.message.endswith(
        "Polyaxon checks a nested DAG's operations when they run, not when the file is checked."
    )


LEAVES: list[Any] = [None, 0, 1, -1, 2**70, 1.5, float("nan"), "", "x", "{{ x }}", "ops.a", "runs.x", True]
LEAVES += ["dag", "uniform", "choice", "mapping", "hyperband", "int", "str", "date", [], {}]
KEYS = ["kind", "params", "inputs", "outputs", "matrix", "joins", "run", "operations", "component"]
KEYS += ["components", "dagRef", "name", "type", "value", "ref", "toInit", "contextOnly", "strictParams"]
KEYS += ["resource", "values", "isOptional", "patchStrategy", "connection", "validation"]


def _random_value(rng: random.Random) -> Any:
    return random_value(rng, KEYS, LEAVES)


def test_any_yaml_value_never_raises() -> None:
    rng = random.Random(7)
    for _ in range(4000):
        value = _random_value(rng)
        if isinstance(value, dict) and rng.random() < 0.5:
            value["kind"] = rng.choice(["operation", "component"])
        list(params_findings(value))
    for row in ROWS:  # every row's file with its values swapped for hostile ones
        text = row.text.replace("0.1", "1e400").replace("abc", "[[[[]]]]")
        _ours(text)

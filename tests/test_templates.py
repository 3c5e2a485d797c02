"""Templates (server/plxinit/templates.py): exact diagnostics, and Polyaxon's resolve-level verdicts.

ROWS are one-template files with what we report, each with the verdict Polyaxon 2.18 gave
at the resolve level (the agent's render, with the oracle's stub agent config): every error
row is INVALID for Polyaxon and every warning row VALID. `test_rows_are_polyaxons` asks the
oracle again for every row (it fails, never skips, without the oracle venv), and also resolves
the negative `template-*` fixtures, which tests/test_fixtures.py checks only at compose level.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from plxinit.validate import validate_text

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))

from harness import oracle_fixture, run_oracle

oracle = oracle_fixture


def job(args: str, inputs: str = "- {name: lr, type: float, value: 0.1}", top: str = "", kind: str = "job") -> str:
    return f"kind: component\ninputs:\n{inputs}\n{top}run:\n  kind: {kind}\n  container:\n    image: busybox\n{args}\n"


def arg(template: str) -> str:
    return job(f"    args: [{json.dumps(template)}]")


def diagnostics(text: str) -> list[str]:
    return [
        f"{d.range.start.line + 1}:{d.range.start.column + 1}-{d.range.end.line + 1}:{d.range.end.column + 1} "
        f"{d.severity.value} {d.code}: {d.message}"
        for d in validate_text(text)
    ]


UNDECLARED = "is not declared: no input, output or param of this operation has that name, so"
RENDERS_EMPTY = "renders as an empty string."
FAILS = "fails when Polyaxon renders the template."

#: (file, our diagnostics, Polyaxon's verdict at the resolve level).
ROWS: list[tuple[str, list[str], bool]] = [
    (arg("{{ lr }} {{ params.lr.value }} {{ params.lr.as_arg }} {{ globals.uuid }}"), [], True),
    (arg("{% for i in range(2) %}{{ i }}{% endfor %}{% set v = lr %}{{ v | default(1) }}"), [], True),
    (arg("{{ nope }}"), [f"8:16-8:20 warning template-name: `nope` {UNDECLARED} `nope` {RENDERS_EMPTY}"], True),
    (
        arg("{{ lrr }}"),
        [f"8:16-8:19 warning template-name: `lrr` {UNDECLARED} `lrr` {RENDERS_EMPTY} Did you mean `lr`?"],
        True,
    ),
    (
        arg("{{ nope.value }}"),
        [f"8:16-8:20 error template-name: `nope` {UNDECLARED} reading `.value` from it {FAILS}"],
        False,
    ),
    (
        arg("{{ nope(1) }}"),
        [f"8:16-8:20 error template-name: `nope` {UNDECLARED} calling it {FAILS}"],
        False,
    ),
    (
        arg("{{ nope | int }}"),
        [f"8:16-8:20 error template-name: `nope` {UNDECLARED} the `int` filter on it {FAILS}"],
        False,
    ),
    (
        arg("{{ params.lr.value }}{{ params.nope }}"),
        [
            "8:44-8:48 warning template-name: `params.nope` is not declared: `params` holds only this operation's "
            f"inputs, outputs and params, so `params.nope` {RENDERS_EMPTY}"
        ],
        True,
    ),
    (
        arg("{{ params.lrr.value }}"),
        [
            "8:23-8:26 error template-name: `params.lrr` is not declared: `params` holds only this operation's "
            f"inputs, outputs and params, so reading `.value` from it {FAILS} Did you mean `lr`?"
        ],
        False,
    ),
    (
        arg("{{ inputs.lr }}"),
        [
            "8:16-8:22 error template-name: `inputs` is not a template namespace in Polyaxon: write `{{ lr }}` or "
            f"`{{{{ params.lr.value }}}}`; reading `.lr` from it {FAILS}"
        ],
        False,
    ),
    (
        arg("{{ globals.run_outputs_pth }}"),
        [
            "8:24-8:39 warning template-name: `globals.run_outputs_pth` is not a key of `globals`, so "
            f"`globals.run_outputs_pth` {RENDERS_EMPTY} Did you mean `run_outputs_path`?"
        ],
        True,
    ),
    (
        arg("{{ globals.ports }}"),
        [
            "8:24-8:29 warning template-name: `globals.ports` is not a key of `globals`, so "
            f"`globals.ports` {RENDERS_EMPTY}"
        ],
        True,
    ),
    (job("    args: ['{{ globals.ports }}']", kind="service\n  ports: [8080]"), [], True),
    (
        arg("{{ lr | nofilter }}"),
        [
            "8:21-8:29 error template-syntax: Unknown template filter `nofilter`: Polyaxon fails to render this "
            "template."
        ],
        False,
    ),
    (
        arg("{% if lr > 1 %}{{ lr | uper }}{% endif %}"),
        [
            "8:36-8:40 warning template-syntax: Unknown template filter `uper`: Polyaxon fails to render this "
            "template when this branch is rendered. Did you mean `upper`?"
        ],
        True,
    ),
    (
        arg("x {{ lr "),
        [
            "8:15-8:21 error template-syntax: Template syntax error: unexpected end of template, expected `end of "
            "print statement`. Polyaxon fails to render this template."
        ],
        False,
    ),
    (
        arg("{{ lr.__class__.__mro__ }}"),
        [
            "8:19-8:28 warning template-unsafe: `__class__` reaches Python internals: Polyaxon renders templates "
            "with an unsandboxed Jinja2 (polyaxon/polyaxon#1540), so such a template can run code where it is "
            "rendered."
        ],
        True,
    ),
    # `connections` and `init` are defined in `run` only (the runtime contexts), not in the operation's sections.
    (
        job("    args: [a]", top="queue: 'q-{{ connections.x }}'\n"),
        [f"4:14-4:25 error template-name: `connections` {UNDECLARED} reading `.x` from it {FAILS}"],
        False,
    ),
    (
        job("    args: [a]", inputs="- {name: lr, type: float, value: 0.1, argFormat: '--lr={{ lr }} {{ uuid }}'}"),
        [
            "3:68-3:72 warning template-name: In the `argFormat` of `lr`, a template sees only that input: `uuid` "
            f"is undefined there, so `uuid` {RENDERS_EMPTY}"
        ],
        True,
    ),
    # Not rendered where Polyaxon resolves a run: a description, a hook, a DAG's own sections.
    (job("    args: [a]", top="description: '{{ nope.x }}'\n"), [], True),
    (
        job("    args: [a]", top="hooks: [{trigger: succeeded, hubRef: notifier, conditions: '{{ nope.x }}'}]\n"),
        [],
        True,
    ),
    (
        "kind: component\nqueue: '{{ nope.x }}'\nrun:\n  kind: dag\n  operations:\n"
        "  - {name: a, component: {run: {kind: job, container: {image: busybox}}}}\n",
        [],
        True,
    ),
]


@pytest.mark.parametrize(("text", "expected", "valid"), ROWS, ids=[f"row{i}" for i in range(len(ROWS))])
def test_row_diagnostics(text: str, expected: list[str], valid: bool) -> None:
    assert diagnostics(text) == expected
    severities = {line.split(" ")[1] for line in expected}
    assert ("error" in severities) == (not valid), "an error row must be one Polyaxon rejects, and only those"


def _negative_fixtures() -> list[Path]:
    return sorted((FIXTURES / "negative").glob("template-*.yaml"))


def test_rows_are_polyaxons(oracle: Path) -> None:
    texts = {f"row{i}": text for i, (text, _, _) in enumerate(ROWS)}
    texts.update({path.name: path.read_text(encoding="utf-8") for path in _negative_fixtures()})
    verdicts = run_oracle(texts.items(), oracle, level="resolve")
    wrong = [
        f"row{i}: {verdicts[f'row{i}']}"
        for i, (_, _, valid) in enumerate(ROWS)
        if verdicts[f"row{i}"]["valid"] != valid
    ]
    wrong += [f"{path.name}: {verdicts[path.name]}" for path in _negative_fixtures() if verdicts[path.name]["valid"]]
    assert not wrong, "\n".join(wrong)
    assert len(_negative_fixtures()) >= 6


# ---------------------------------------------------------------------- DAG nodes are runs of their own

DAG = """kind: component
run:
  kind: dag
  operations:
  - name: train
    params:
      epochs: {value: 3}
      note: {value: fast, contextOnly: true}
    component:
      inputs:
      - {name: epochs, type: int}
      run:
        kind: job
        container:
          image: busybox
          args: [ARG]
"""
#: The node as the pipeline runs it: an operation with the node's params and component.
NODE = """kind: operation
params:
  epochs: {value: 3}
  note: {value: fast, contextOnly: true}
component:
  inputs:
  - {name: epochs, type: int}
  run:
    kind: job
    container:
      image: busybox
      args: [ARG]
"""


def test_dag_node_templates() -> None:
    good = DAG.replace("ARG", '"{{ epochs }} {{ note }} {{ params.note.value }}"')
    assert diagnostics(good) == []
    bad = DAG.replace("ARG", '"{{ params.epoch.value }}"')
    # The node's own run fails, but no level of Polyaxon's check reaches it (the verdict test
    # below): a warning, as for the DAG checks of a nested DAG.
    assert diagnostics(bad) == [
        "16:29-16:34 warning template-name: `params.epoch` is not declared: `params` holds only this operation's "
        f"inputs, outputs and params, so reading `.value` from it {FAILS} Did you mean `epochs`? "
        "(Polyaxon compiles this DAG node only when the DAG runs it.)"
    ]


def test_dag_node_verdicts_are_the_nodes_run(oracle: Path) -> None:
    """The DAG file resolves (its nodes are not rendered), the node's own run does not."""
    arg_text = '"{{ params.epoch.value }}"'
    texts = {
        "dag": DAG.replace("ARG", arg_text),
        "node": NODE.replace("ARG", arg_text),
        "good-node": NODE.replace("ARG", '"{{ epochs }} {{ note }} {{ params.note.value }}"'),
    }
    verdicts = run_oracle(texts.items(), oracle, level="resolve")
    assert verdicts["dag"]["valid"] is True
    assert verdicts["node"]["valid"] is False
    assert "has no attribute 'epoch'" in verdicts["node"]["error"]
    assert verdicts["good-node"]["valid"] is True


# ---------------------------------------------------------------------- ranges inside scalars

STYLED = [
    ("    args:\n    - x {{ nope }}", "9:12-9:16"),
    ("    args: ['it''s {{ nope }}']", "8:22-8:26"),
    ('    args: ["tab\\t\\u00e9 {{ nope }}"]', "8:28-8:32"),
    ("    args:\n    - |\n      echo a\n      echo {{ nope }}", "11:15-11:19"),
    ("    args:\n    - >-\n      echo a\n      b {{ nope }}", "11:12-11:16"),
    ("    args:\n    - é {{ nope }}", "9:12-9:16"),
    # A plain scalar over several lines is folded: the whole scalar is reported.
    ("    args:\n    - echo\n      {{ nope }}", "9:7-10:17"),
]


@pytest.mark.parametrize(("args", "where"), STYLED, ids=[f"style{i}" for i in range(len(STYLED))])
def test_range_inside_the_scalar(args: str, where: str) -> None:
    found = diagnostics(job(args))
    assert [line.split(" ")[0] for line in found] == [where]


def test_a_key_template() -> None:
    text = job("    args: [a]").replace("  container:", "  environment:\n    labels: {'k-{{ nope }}': v}\n  container:")
    assert [line.split(" ")[0] for line in diagnostics(text)] == ["7:20-7:24"]


# ---------------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "template",
    [
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
        "{{ a" + ".b" * 5000 + " }}",
        "{% for x in y %}" * 500,
        "{{ '\\",
        "{{ 1e999999 }}",
        "{{ {'a': [1, {'b': (2,)}]} }}",
        "{%- raw -%}{{ nope.x }}{%- endraw -%}",
        "{{ x }" * 2000,
    ],
    ids=lambda t: t[:12],
)
def test_hostile_templates_never_raise(template: str) -> None:
    for text in (arg(template), job("    args: [a]", top=f"queue: {json.dumps(template)}\n")):
        found = diagnostics(text)
        assert all(" template-" in line or " error " in line for line in found)


def test_template_values_of_every_type() -> None:
    """Polyaxon renders strings at any depth of a rendered section, mapping keys included."""
    text = job("    args: [1, null, true, [['{{ nope }}']], {a: {'{{ k }}': 2}}]")
    found = [line.split(" ")[0] for line in diagnostics(text) if " template-" in line]
    assert found == ["8:33-8:37", "8:54-8:55"]

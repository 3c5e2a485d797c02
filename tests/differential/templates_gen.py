"""Generated operations and components with one template each, for the template differential.

Each case puts one template expression (EXPRESSIONS: declared and undeclared names, params
with and without `.value`, filters known and unknown, syntax errors, globals keys, dunders)
in one place Polyaxon renders (PLACES: container args, command, env, working dir, init paths,
labels and their keys, input values, queue, conditions, param values), in one file shape
(SHAPES: a component, an operation with params, a service, a DAG node, a matrix trial),
written in one YAML style (double, single or plain quoting; literal blocks for `command`).

`oracle_texts` are the runs Polyaxon compiles from the file, each resolved by the oracle:
the file itself, and for a matrix a trial with the matrix param given. Polyaxon rejects the
file when it rejects any of them. A DAG's nodes are not rendered until they run (D18), so the
DAG file is VALID whatever its nodes' templates hold: there, what fails when the node runs is
a warning (tests/test_templates.py shows the node's own run failing).

`expected` is what we must say: "error", "warning" (Polyaxon accepts, the template is surely
wrong) or "ok" (no template diagnostic).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

SEED = 20260511

#: (expression, what we must say): the vocabulary of generated templates. `{n}` is the declared
#: string input, `{o}` a declared output without value.
EXPRESSIONS: list[tuple[str, str]] = [
    ("{{ lr }}", "ok"),
    ("{{ params.lr.value }}", "ok"),
    ("{{ params.lr.as_str }}", "ok"),
    ("{{ params.lr.as_arg }}", "ok"),
    ("{{ params.lr['value'] }}", "ok"),
    ("{{ params.as_args }}", "ok"),
    ("{{ globals.uuid }}", "ok"),
    ("{{ globals.run_outputs_path }}", "ok"),
    ("{{ globals['owner_name'] }}", "ok"),
    ("{{ lr | upper }}", "ok"),
    ("{{ lr | default('x') }}", "ok"),
    ("{{ lr ~ '-x' }}", "ok"),
    ("{% if lr %}on{% else %}off{% endif %}", "ok"),
    ("{% for i in range(2) %}{{ i }}{% endfor %}", "ok"),
    ("{% set v = lr %}{{ v }}", "ok"),
    ("{{ lr | replace('a', 'b') }}", "ok"),
    ("{{ out }}", "ok"),
    ("{{ params.out.value }}", "ok"),
    ("{# a comment #}{{ lr }}", "ok"),
    ("{{ nope }}", "warning"),
    ("{{ lrr }}", "warning"),
    ("{{ params.nope }}", "warning"),
    ("{{ params.lr.valeu }}", "warning"),
    ("{{ globals.nope }}", "warning"),
    ("{{ globals.run_outputs_pth }}", "warning"),
    ("{{ lr.__class__ }}", "warning"),
    ("{{ lr.__class__.__name__ }}", "warning"),
    ("{{ nope | upper }}", "warning"),
    ("{{ nope | default('d') }}", "warning"),
    ("{{ nope ~ 'x' }}", "warning"),
    ("{% if nope %}x{% endif %}", "warning"),
    ("{% for i in nope %}{{ i }}{% endfor %}", "warning"),
    ("{{ inputs }}", "warning"),
    ("{% if false %}{{ lr | nofilter }}{% endif %}", "warning"),
    ("{{ nope.value }}", "error"),
    ("{{ nope.x.y }}", "error"),
    ("{{ params.nope.value }}", "error"),
    ("{{ params['nope'].value }}", "error"),
    ("{{ params.lr.valeu.x }}", "error"),
    ("{{ inputs.lr }}", "error"),
    ("{{ outputs.out }}", "error"),
    ("{{ globals.nope.x }}", "error"),
    ("{{ lr | nofilter }}", "error"),
    ("{{ lr | upperr }}", "error"),
    ("{{ lr is nosuchtest }}", "error"),
    ("{{ lr ", "error"),
    ("{{ lr | }}", "error"),
    ("{% if lr %}x", "error"),
    ("{% endfor %}", "error"),
    ("{{ lr }}{# open comment", "error"),
    ("{{ nope() }}", "error"),
    ("{{ nope[0] }}", "error"),
    ("{{ nope + 1 }}", "error"),
    ("{{ 1 * nope }}", "error"),
    ("{{ -nope }}", "error"),
    ("{{ nope < 1 }}", "error"),
    ("{{ nope | int }}", "error"),
    ("{{ nope | round }}", "error"),
    ("{{ nope is even }}", "error"),
    ("{% include 'other.yaml' %}", "error"),
]

#: Matrix cases: the matrix param `m` is given in each trial's `run`, but has no param spec
#: when the file itself renders its operation sections (queue, conditions, input values).
#: (expression, what we must say in `run`, what we must say outside it.)
MATRIX_EXPRESSIONS: list[tuple[str, str, str]] = [
    ("{{ m }}", "ok", "warning"),
    ("{{ params.m.value }}", "ok", "error"),
    ("{{ m | upper }}", "ok", "warning"),
    ("{{ m.upper() }}", "ok", "error"),
    ("{{ mm }}", "warning", "warning"),
    ("{{ params.mm.value }}", "error", "error"),
]

#: Where the template goes: a name, and whether it sits in `run` (matrix params are in scope there).
PLACES: list[tuple[str, bool]] = [
    ("args", True),
    ("command", True),
    ("env", True),
    ("workingDir", True),
    ("initPath", True),
    ("label", True),
    ("labelKey", True),
    ("inputValue", False),
    ("queue", False),
    ("conditions", False),
    ("paramValue", False),
]
#: Places whose rendered text Polyaxon reads back as a literal (`ast.literal_eval`): a prefix
#: keeps it a string, so that the verdict is the template's, not the rendered value's type.
PREFIXED = ("env", "workingDir", "initPath", "label", "labelKey", "queue", "conditions", "paramValue")
SHAPES = ("component", "operation", "service", "dag-node", "matrix")
STYLES = ("double", "single", "plain", "block")


@dataclass
class TemplateCase:
    id: str
    text: str
    oracle_texts: list[str]
    expected: str
    expression: str
    place: str
    shape: str
    style: str
    tags: list[str] = field(default_factory=list)


def _scalar(value: str, style: str, indent: str) -> str:
    """`value` as a YAML scalar in `style`; plain and block only where YAML reads them back unchanged."""
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    plain_ok = not value.startswith(("{", "%", "'", '"')) and " #" not in value and ": " not in value
    if style == "plain" and plain_ok:
        return value
    if style == "block":
        return f"|-\n{indent}  {value}"
    return json.dumps(value)


class _Writer:
    """Builds one file, putting the template text at its place."""

    def __init__(self, place: str, template: str, style: str) -> None:
        self.place = place
        self.template = template
        self.style = style

    def value(self, place: str, indent: str, default: str = "abc") -> str:
        if place != self.place:
            return default
        return _scalar(self.template, self.style, indent)

    def run(self, kind: str, indent: str) -> list[str]:
        i = indent
        lines = [f"{i}run:", f"{i}  kind: {kind}"]
        if kind == "service":
            lines.append(f"{i}  ports: [8080]")
        if self.place == "initPath":
            lines += [f"{i}  init:", f"{i}  - paths:", f"{i}    - {self.value('initPath', i + '    ')}"]
        if self.place == "label":
            lines += [f"{i}  environment:", f"{i}    labels:", f"{i}      a: {self.value('label', i + '      ')}"]
        if self.place == "labelKey":
            key = json.dumps(self.template) if self.style != "plain" else self.template
            if self.style == "single":
                key = _scalar(self.template, "single", "")
            lines += [f"{i}  environment:", f"{i}    labels:", f"{i}      {key}: v"]
        lines += [f"{i}  container:", f"{i}    image: busybox"]
        if self.place == "args":
            lines += [f"{i}    args:", f"{i}    - {self.value('args', i + '    ')}"]
        if self.place == "command":
            lines += [f"{i}    command:", f"{i}    - {self.value('command', i + '    ')}"]
        if self.place == "env":
            lines += [f"{i}    env:", f"{i}    - name: A", f"{i}      value: {self.value('env', i + '      ')}"]
        if self.place == "workingDir":
            lines.append(f"{i}    workingDir: {self.value('workingDir', i + '    ')}")
        return lines

    def component(self, kind: str, indent: str, lr_value: bool, matrix_input: bool) -> list[str]:
        i = indent
        lines = [f"{i}inputs:", f"{i}- name: lr", f"{i}  type: str"]
        if lr_value:
            lines.append(f"{i}  value: abc")
        lines += [f"{i}- name: extra", f"{i}  type: str", f"{i}  value: {self.value('inputValue', i + '  ')}"]
        if matrix_input:
            lines += [f"{i}- name: m", f"{i}  type: str"]
        lines += [f"{i}outputs:", f"{i}- name: out", f"{i}  type: str"]
        for place in ("queue", "conditions"):
            if self.place == place:
                lines.append(f"{i}{place}: {self.value(place, i)}")
        return lines + self.run(kind, indent)

    def params(self, indent: str, trial: bool) -> list[str]:
        i = indent
        lines = [f"{i}params:", f"{i}  lr:", f"{i}    value: {self.value('paramValue', i + '    ')}"]
        if trial:
            lines.append(f"{i}  m: {{value: a}}")
        return lines

    def operation(self, kind: str, matrix: str) -> str:
        """An operation with an inline component; `matrix` is "" (none), "file" or "trial"."""
        lines = ["kind: operation", *self.params("", matrix == "trial")]
        if matrix == "file":
            lines += ["matrix:", "  kind: grid", "  params:", "    m: {kind: choice, value: [a, b]}"]
        lines.append("component:")
        lines += self.component(kind, "  ", False, bool(matrix))
        return "\n".join(lines) + "\n"

    def file_component(self, kind: str) -> str:
        if self.place == "paramValue":
            return self.operation(kind, "")
        return "\n".join(["kind: component", *self.component(kind, "", True, False)]) + "\n"

    def dag(self) -> str:
        node = ["  - name: a", *self.params("    ", False), "    component:"]
        node += self.component("job", "      ", False, False)
        return "\n".join(["kind: component", "run:", "  kind: dag", "  operations:", *node]) + "\n"


def _template_text(expression: str, place: str, style: str) -> str:
    if place in PREFIXED:
        return "x-" + expression
    if style == "plain":
        return "x " + expression
    return expression


def make_case(index: int, expression: str, expected: str, place: str, shape: str, style: str) -> TemplateCase:
    """One case: `expression` at `place` in a file of `shape`, written in `style`."""
    if shape == "dag-node" and place == "paramValue":
        # A node's param value holding `{{ ... }}` is a template ref the pipeline resolves (FINDINGS).
        shape = "operation"
    writer = _Writer(place, _template_text(expression, place, style), style)
    if shape in ("component", "service"):
        body = writer.file_component("job" if shape == "component" else "service")
        oracle = [body]
    elif shape == "operation":
        body = writer.operation("job", "")
        oracle = [body]
    elif shape == "dag-node":
        # The file resolves whatever its nodes hold (they are rendered only when they run, D18):
        # a template that fails there is a warning, as dag_rules.py's nested-DAG checks are.
        body = writer.dag()
        oracle = [body]
        expected = "warning" if expected == "error" else expected
    else:
        body = writer.operation("job", "file")
        oracle = [body, writer.operation("job", "trial")]
    return TemplateCase(f"t{index:05d}", body, oracle, expected, expression, place, shape, style, [shape, place, style])


def _matrix_cases(start: int) -> list[TemplateCase]:
    cases = []
    for expression, in_run, outside in MATRIX_EXPRESSIONS:
        for place, runs in PLACES:
            style = STYLES[len(cases) % len(STYLES)]
            cases.append(make_case(start + len(cases), expression, in_run if runs else outside, place, "matrix", style))
    return cases


def generate_template_cases(count: int, seed: int = SEED) -> list[TemplateCase]:
    """Every expression in every place (shapes and styles rotating), the matrix ones, then random ones."""
    rng = random.Random(seed)
    cases: list[TemplateCase] = []
    for expression, expected in EXPRESSIONS:
        for place, _ in PLACES:
            index = len(cases)
            shape = SHAPES[index % len(SHAPES)]
            style = STYLES[(index // len(SHAPES)) % len(STYLES)]
            cases.append(make_case(index, expression, expected, place, shape, style))
    cases += _matrix_cases(len(cases))
    while len(cases) < count:
        expression, expected = rng.choice(EXPRESSIONS)
        place, _ = rng.choice(PLACES)
        shape, style = rng.choice(SHAPES), rng.choice(STYLES)
        cases.append(make_case(len(cases), expression, expected, place, shape, style))
    return cases

"""rendered.py: an undeclared name's empty rendering, judged by the schema at the field.

The verdicts behind each case are Polyaxon's at the resolve level (FINDINGS.md, "An empty
rendering the field does not take"); the fixtures `negative/template-undeclared-renders-empty-*`
and the positive c29/c73/c74 pin the two outcomes on whole files.
"""

from __future__ import annotations

from plxinit.validate import validate_text

JOB = """kind: component
run:
  kind: job
  init:
    - dockerfile: {image: test, uid: UID}
  container:
    image: busybox
"""


def _said(text: str) -> list[tuple[str, str, int, int]]:
    return [(d.severity.value, d.code, d.range.start.line + 1, d.range.start.column + 1) for d in validate_text(text)]


def test_an_integer_field_does_not_take_the_empty_rendering() -> None:
    [diagnostic] = validate_text(JOB.replace("UID", "'{{ params.uid }}'"))
    assert (diagnostic.severity.value, diagnostic.code) == ("error", "template-name")
    assert diagnostic.message.endswith(
        "renders as an empty string, which `uid` does not take: the run fails to compile."
    )


def test_a_string_field_takes_it_and_keeps_the_warning() -> None:
    text = JOB.replace("uid: UID", "uid: 1000").replace("image: test", "image: 'x{{ params.tag }}'")
    assert _said(text) == [("warning", "template-name", 5, 39)]


def test_a_name_inside_a_larger_expression_is_not_rendered_so() -> None:
    # `{{ params.uid ~ "1" }}` renders "1": not simply empty, so nothing is claimed beyond the warning
    assert _said(JOB.replace("UID", """'{{ params.uid ~ "1" }}'""")) == [("warning", "template-name", 5, 49)]


def test_a_run_patch_keeps_the_warning() -> None:
    # the patched value is not the one written (a runPatch init list over `init: '{{ }}'` resolves)
    text = """kind: operation
component:
  run:
    kind: job
    init: '{{ params.init }}'
    container: {image: busybox}
runPatch:
  init:
  - {container: {image: busybox}}
"""
    assert _said(text) == [("warning", "template-name", 5, 22)]


def test_a_document_with_schema_errors_keeps_the_warning() -> None:
    text = JOB.replace("UID", "'{{ params.uid }}'").replace("image: busybox", "image: busybox\n    nope: 1")
    assert _said(text) == [("warning", "template-name", 5, 49), ("error", "unknown-key", 8, 5)]


def test_inside_a_dag_node_errors_are_warnings() -> None:
    text = """kind: component
run:
  kind: dag
  operations:
  - name: a
    component:
      run:
        kind: job
        init:
        - dockerfile: {image: test, uid: '{{ params.uid }}'}
        container: {image: busybox}
"""
    [diagnostic] = validate_text(text)
    assert (diagnostic.severity.value, diagnostic.code) == ("warning", "template-name")


WHOLE = """kind: component
inputs:
  - {name: chief, type: dict, isOptional: true, value: {replicas: 1, container: {image: busybox}}}
run:
  kind: tfjob
  chief: '{{ chief }}'
"""


def test_a_whole_replica_template_is_an_error() -> None:
    assert _said(WHOLE) == [("error", "template-whole", 6, 10)]


def test_a_whole_replica_template_under_a_run_patch_is_not_judged() -> None:
    # the patch may replace the replica before the resolver reads it (a worker patched so resolves)
    text = "kind: operation\ncomponent:\n" + "".join(f"  {line}\n" for line in WHOLE.splitlines()[1:])
    text += "runPatch:\n  chief: {replicas: 1, container: {image: busybox}}\n"
    assert [code for _, code, _, _ in _said(text)] == []


def test_a_compiled_operation_is_not_judged() -> None:
    text = "kind: compiled_operation\nrun:\n  kind: pytorchjob\n  master: '{{ r }}'\n"
    assert [code for _, code, _, _ in _said(text) if code.startswith("template-")] == []

"""Templates that render as an empty string (or as a param's whole dict) where the field cannot take it.

templates.py warns about an undeclared name (or an unknown `globals.*` key) that Jinja renders
as "", and about a printed `{{ params.x }}`, which renders the param's whole dict: Polyaxon
accepts such a file, and the run gets that value. But Polyaxon validates the compiled run after
rendering, so where the field cannot take it (`uid: '{{ params.uid }}'`, a replica's `replicas`,
a matrix's `concurrency`) the run fails to compile, which the oracle shows at its resolve level:
that warning is an error. Which fields take the value is the schema's knowledge, so the rendered
value is judged by the canonical schema at its place. Only whole `{{ name }}` blocks are
rendered so (a name inside a larger expression keeps its warning): their rendering is exactly
the name's (`Finding.renders_as`).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from typing import Any

from .diagnostics import Severity
from .findings import Finding
from .templates import statically_scoped, template_findings

#: The consequence templates.py states for a name that renders as "", rewritten in an error.
EMPTY = "renders as an empty string."

#: A `{{ name }}` or `{{ a.b.c }}` block: its whole rendering is the name's, so "" when undeclared.
_NAME_BLOCK = re.compile(r"\{\{-?\s*[A-Za-z_][\w.]*\s*-?\}\}")


def rendered_template_findings(value: Any) -> Iterator[Finding]:
    """templates.py's findings, with an empty rendering the field rejects raised to an error,
    the whole-structure templates Polyaxon cannot resolve, and the errors inside a DAG's nodes
    lowered to warnings."""
    whole = list(_whole_structure_templates(value))
    places = {tuple(map(str, f.path)) for f in whole}
    findings = [f for f in template_findings(value) if tuple(map(str, f.path)) not in places]
    findings += whole
    known = [f for f in findings if _rendered_so(f)]
    failing = _failing_renders(value, known) if known else set()
    for finding in findings:
        if _in_dag_node(finding.path):
            yield _in_node(finding)
        elif id(finding) in failing:
            yield _as_error(finding)
        else:
            yield finding


def _rendered_so(finding: Finding) -> bool:
    """Whether the finding is a warning whose block renders as something known (templates.py)."""
    return (
        finding.severity is Severity.WARNING
        and finding.code == "template-name"
        and finding.renders_as is not None
        and not finding.on_key
        and finding.span is not None
        and not _in_dag_node(finding.path)
    )


def _in_dag_node(path: list[Any]) -> bool:
    """A DAG's nodes (its operations, and the components they run by `dagRef`) are compiled
    later, each as a run of its own, when the DAG reaches them: no level of Polyaxon's check
    sees their templates, so a problem there is a warning, as dag_rules.py does for nested DAGs."""
    return any(
        step in ("operations", "components") and isinstance(after, int) for step, after in itertools.pairwise(path)
    )


def _in_node(finding: Finding) -> Finding:
    if finding.severity is not Severity.ERROR:
        return finding
    message = f"{finding.message} (Polyaxon compiles this DAG node only when the DAG runs it.)"
    return dataclasses.replace(finding, message=message, severity=Severity.WARNING)


def _failing_renders(document: Any, findings: list[Finding]) -> set[int]:
    """ids of the findings whose string, rendered, makes the schema reject a document it accepts."""
    by_place: dict[tuple[str, ...], list[Finding]] = {}
    for finding in findings:
        by_place.setdefault(tuple(map(str, finding.path)), []).append(finding)
    failing: set[int] = set()
    if isinstance(document, dict) and document.get("runPatch") is not None:
        return failing  # patched before it is rendered: the field's value is not the one written
    accepted: bool | None = None
    for group in by_place.values():
        path = group[0].path
        if not _validated_after_rendering(document, path):
            continue
        text = _at(document, path)
        if not isinstance(text, str):
            continue
        rendered = _render(text, [(f.span, f.renders_as or "") for f in group if f.span is not None])
        if rendered is None:
            continue
        if accepted is None:
            accepted = _schema_accepts(document)
        if not accepted:
            return set()  # judged against a document with other errors, the answer means nothing
        if not _schema_accepts(_replaced(document, path, rendered)):
            failing.update(id(f) for f in group)
    return failing


def _validated_after_rendering(document: Any, path: list[Any]) -> bool:
    """Whether Polyaxon validates the field at `path` once it is rendered: everywhere but the
    settings of a distributed run outside its replicas (probed at resolve: `slotsPerWorker`,
    `minReplicas`, `elasticPolicy.minReplicas`, `schedulingPolicy.minAvailable` take "" and even
    "x" once rendered, while each replica's fields, `replicas` included, are validated)."""
    node = document
    for index, step in enumerate(path[:-1]):
        if not isinstance(node, (dict, list)):
            return True
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return True
        kind = node.get("kind") if step == "run" and isinstance(node, dict) else None
        if isinstance(kind, str) and kind in REPLICAS:
            inside = path[index + 1] if index + 1 < len(path) else None
            return inside in REPLICAS[kind] or (kind == "raycluster" and inside == "workers")
    return True


def _render(text: str, spans: list[tuple[tuple[int, int], str]]) -> str | None:
    """`text` with each name block holding one of `spans` rendered as what it gives; None when a
    warned name sits in a larger expression (its rendering is not simply the name's)."""
    pieces, cursor = [], 0
    starts = [(span[0], rendering) for span, rendering in spans]
    blocks = [m for m in _NAME_BLOCK.finditer(text) if any(m.start() <= s < m.end() for s, _ in starts)]
    if any(not any(m.start() <= s < m.end() for m in blocks) for s, _ in starts):
        return None
    for block in blocks:
        pieces.append(text[cursor : block.start()])
        pieces.append(next(rendering for s, rendering in starts if block.start() <= s < block.end()))
        cursor = block.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


def _at(document: Any, path: list[Any]) -> Any:
    node = document
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _replaced(document: Any, path: list[Any], new: Any) -> Any:
    """A copy of `document` with `new` at `path`; only the containers along the path are copied."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy: Any = dict(document) if isinstance(document, dict) else list(document)
    copy[head] = _replaced(document[head], rest, new)
    return copy


def _schema_accepts(document: Any) -> bool:
    from .validate import document_accepted

    return document_accepted(document)


def _as_error(finding: Finding) -> Finding:
    field = next((step for step in reversed(finding.path) if isinstance(step, str)), "this field")
    if finding.renders_as == "" and EMPTY in finding.message:
        message = finding.message.replace(
            EMPTY, f"renders as an empty string, which `{field}` does not take: the run fails to compile.", 1
        )
    else:
        message = f"{finding.message} `{field}` does not take it: the run fails to compile."
    return dataclasses.replace(finding, message=message, severity=Severity.ERROR)


# ---------------------------------------------------------------------- whole structures as templates

#: The replicas of each distributed run kind (a raycluster's `workers` is a mapping of them).
REPLICAS = {
    "tfjob": ("chief", "ps", "worker", "evaluator"),
    "pytorchjob": ("master", "worker"),
    "mpijob": ("launcher", "worker"),
    "daskcluster": ("scheduler", "worker"),
    "raycluster": ("head",),
}


def _whole_structure_templates(document: Any) -> Iterator[Finding]:
    """An init list or a replica written as one `{{ }}` template: Polyaxon 2.18 reads them (the
    schema allows a whole-field template) but its resolver walks each replica's and each init
    entry's fields before it renders anything, and crashes on the string ("'str' object has no
    attribute 'init'" / "'artifacts'", probed for every replica of every kind, declared input or
    not). A `runPatch` may replace the field before that, and presets and compiled operations are
    not composed as written (neither is judged); in a DAG node it is the node's run that fails (a
    warning there, see `_in_dag_node`)."""
    if not isinstance(document, dict) or document.get("runPatch") is not None:
        return
    if not statically_scoped(document):
        return  # a preset or a compiled operation: not composed as written
    for path, run in _runs(document, []):
        yield from _whole_in_run(path, run)


def _runs(owner: Any, path: list[Any]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """Each run mapping a file composes: its own, its inline component's, and its DAG's nodes'."""
    if not isinstance(owner, dict):
        return
    for key in ("run", "component"):
        inner = owner.get(key)
        if key == "component":
            yield from _runs(inner, [*path, key])
        elif isinstance(inner, dict):
            yield [*path, key], inner
            for listing in ("operations", "components"):
                nodes = inner.get(listing) if inner.get("kind") == "dag" else None
                for index, node in enumerate(nodes if isinstance(nodes, list) else ()):
                    yield from _runs(node, [*path, key, listing, index])


def _whole_in_run(path: list[Any], run: dict[str, Any]) -> Iterator[Finding]:
    if _is_template(run.get("init")):
        yield _whole([*path, "init"], "init", "the init list", "each init container", "artifacts")
    kind = run.get("kind")
    for replica in REPLICAS.get(kind, ()) if isinstance(kind, str) else ():
        value = run.get(replica)
        if _is_template(value):
            yield _whole([*path, replica], replica, f"the `{replica}` replica", "each replica", "init")
        elif isinstance(value, dict) and _is_template(value.get("init")):
            yield _whole([*path, replica, "init"], "init", "the init list", "each init container", "artifacts")
    workers = run.get("workers") if kind == "raycluster" else None
    for group, value in workers.items() if isinstance(workers, dict) else ():
        if _is_template(value):
            yield _whole([*path, "workers", group], group, f"the `{group}` worker group", "each replica", "init")
        elif isinstance(value, dict) and _is_template(value.get("init")):
            yield _whole([*path, "workers", group, "init"], "init", "the init list", "each init container", "artifacts")


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith(("{{", "{%"))


def _whole(path: list[Any], key: str, what: str, walked: str, attribute: str) -> Finding:
    message = (
        f"`{key}` is one template for {what}, which Polyaxon 2.18 cannot resolve: its resolver reads "
        f"{walked} before it renders templates, so the run fails to compile (\"'str' object has no "
        f"attribute '{attribute}'\"). Write it out and template its fields instead."
    )
    return Finding(path, message, "template-whole", Severity.ERROR)

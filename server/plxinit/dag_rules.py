"""The checks Polyaxon 2.18 makes on a DAG when it composes a file (`polyaxon check`).

`V1Dag.resolve_operations`, `process_dag`, `validate_dag` and `process_components`
(`polyaxon/_flow/run/dag.py`) run only on the DAG of the file being composed: the file's own
`run` or its inline component's, not in a preset, a compiled operation or a file that needs a
reference fetched first. There they are errors. A nested DAG (a node's component whose run is
a DAG) is compiled only when that node runs, where the same checks fail the run; we report
them as warnings, leaving out whatever holds a `{{ ... }}` template (it may be rendered by then).

What is checked, in Polyaxon's order: components and operations have a name, unique in the
DAG; each `dagRef` names a component of the DAG and the components' `dagRef`s have no cycle;
each node has a run, and no `schedule`; `dependencies`, `ref: ops.x` params and `events[].ref`
name operations of the DAG; the graph has no cycle; a ref param's `value` is well formed and,
when it feeds an input, names an output/input/global that exists with a compatible type.

Nodes over hubRef, pathRef or urlRef are accepted and not looked into: `polyaxon check`
fetches them first, which a local check cannot do.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from .diagnostics import Severity
from .findings import Finding
from .scope import FETCHED_REFS, GLOBAL_KEYS, PARAM_KEYS, PARAM_TEMPLATE, lax_bool

ALL_REFS = ("hubRef", "dagRef", "urlRef", "pathRef", "hub_ref", "dag_ref", "url_ref", "path_ref")

#: Root shortcuts that make a run on their own (as in the schema's `has-run`).
RUN_SHORTCUTS = (
    "container",
    "cmd",
    "env",
    "resources",
    "ports",
    "environment",
    "init",
    "connections",
    "sidecars",
    "volumes",
)

#: `polyaxon._contexts.sections.GLOBALS_CONTEXTS`: what `ops.x.globals.<name>` may name. It is
#: what a template's `globals` holds (scope.GLOBAL_KEYS) but the user's and the store's paths,
#: and has the run's `status`, which a template's lacks.
GLOBAL_NAMES = (
    GLOBAL_KEYS
    - {"username", "user_email", "store_path", "run_relative_outputs_path", "run_artifacts_path", "run_outputs_path"}
) | {"status"}

#: Value heads, by number of parts (`ParamValueMixin.get_spec`).
ONE_PART_VALUES = ("inputs", "outputs", "io", "artifacts")
TWO_PART_HEADS = ("inputs", "outputs", "artifacts", "globals")

#: `clipped.types.COMPATIBLE_TYPES` as it works on type strings (its `[float, METRIC]` group
#: holds the Python type `float`, which a type string never equals).
PATH_LIKE_TYPES = frozenset({"str", "path", "s3", "gcs", "wasb"})

PRESET_STRING = re.compile(r"^(?:true|yes|on|t|y|1)$", re.IGNORECASE)
NESTED_NOTE = " Polyaxon checks a nested DAG when it runs, not when the file is checked."

Path = list[Any]


@dataclass(frozen=True)
class IO:
    """An input or output as the DAG checks see it: its type string and list-ness as written."""

    type: Any
    is_list: bool | None


#: The context entries every operation and the DAG itself offer (`process_components`).
WHOLE_OP_CONTEXT = {"inputs": IO("dict", None), "outputs": IO("dict", None), "globals": IO("str", None)}
WHOLE_OP_CONTEXT |= {"artifacts": IO("str", None), "io": IO("str", None)}
WHOLE_DAG_CONTEXT = {"inputs": IO("dict", None), "globals": IO("str", None), "artifacts": IO("str", None)}
GLOBAL_ENTRIES = {f"globals.{name}": IO("str", None) for name in GLOBAL_NAMES}


@dataclass
class Node:
    """One operation of the DAG, with what its component chain tells about it."""

    index: int
    op: dict[str, Any]
    name: str | None
    fetched: bool = False  # over a hubRef/pathRef/urlRef somewhere: not looked into
    layers: list[dict[str, Any]] = field(default_factory=list)  # innermost component first, the node last
    # Computed once, as a DAG's nodes ask about their upstream nodes again and again (the layers are
    # final once _resolve has run): what the node offers `ref: ops.<name>` params (_context_of),
    # and ios() by section.
    offers: dict[str, IO] | None = field(default=None, repr=False)
    _ios: dict[str, dict[str, IO]] = field(default_factory=dict, repr=False)

    def has_run(self) -> bool:
        return any(_brings_run(layer) for layer in self.layers)

    def ios(self, section: str) -> dict[str, IO]:
        """The node's inputs or outputs: the outer layer wins over its component, by name."""
        found = self._ios.get(section)
        if found is None:
            found = {}
            for layer in self.layers:
                found.update(_declared(layer.get(section)))
            self._ios[section] = found
        return found


@dataclass
class Dag:
    """A DAG to check: where its run is, the inputs of the component that owns it, how strict."""

    path: Path
    run: dict[str, Any]
    inputs: dict[str, IO]
    nested: bool
    offers: dict[str, IO] | None = field(default=None, repr=False)  # to `ref: dag` params (_context_of)

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.nested else Severity.ERROR

    def usable(self, value: Any) -> TypeGuard[str]:
        """Whether a string is taken as written: in a nested DAG a template may be rendered first."""
        return isinstance(value, str) and not (self.nested and "{{" in value)

    def finding(self, path: Path, message: str, code: str, **extra: Any) -> Finding:

        note = NESTED_NOTE if self.nested else ""
        return Finding(path, message + note, code, self.severity, **extra)


def _truthy_preset(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return isinstance(value, str) and PRESET_STRING.match(value) is not None


def _has_reference(config: dict[str, Any], refs: tuple[str, ...] = ALL_REFS) -> bool:
    return any(bool(config.get(key)) for key in refs)


def _brings_run(config: dict[str, Any]) -> bool:
    return isinstance(config.get("run"), dict) or any(config.get(key) is not None for key in RUN_SHORTCUTS)


def _declared(ios: Any) -> dict[str, IO]:
    found: dict[str, IO] = {}
    if not isinstance(ios, list):
        return found
    for io in ios:
        if isinstance(io, dict) and isinstance(io.get("name"), str):
            is_list = io["isList"] if "isList" in io else io.get("is_list")
            found[io["name"]] = IO(io.get("type"), lax_bool(is_list))
    return found


def composed_dag(document: Any) -> Dag | None:
    """The DAG Polyaxon composes when it checks this file, if there is one."""
    if not isinstance(document, dict) or document.get("kind") == "compiled_operation":
        return None
    if _truthy_preset(document.get("isPreset")) or _truthy_preset(document.get("is_preset")):
        return None
    if _has_reference(document):
        return None
    component = document.get("component")
    if component is None:
        owner, path = document, ["run"]
        inputs = _declared(document.get("inputs"))
    elif isinstance(component, dict) and document.get("run") is None and not _has_reference(component):
        # An operation's own `run` would be patched onto its component's: left alone.
        owner, path = component, ["component", "run"]
        inputs = _declared(component.get("inputs")) | _declared(document.get("inputs"))
    else:
        return None
    run = owner.get("run")
    if not isinstance(run, dict) or run.get("kind") != "dag":
        return None
    return Dag(path, run, inputs, nested=False)


def dag_findings(document: Any) -> Iterator[Finding]:
    """Every DAG check's findings: errors in the composed DAG, warnings in the nested ones."""
    dag = composed_dag(document)
    if dag is not None:
        yield from _check(dag, set())


def _check(dag: Dag, seen: set[int]) -> Iterator[Finding]:
    if id(dag.run) in seen:  # an alias can make a DAG its own descendant in the loaded value
        return
    seen.add(id(dag.run))
    components = dag.run.get("components")
    operations = dag.run.get("operations")
    by_name: dict[str, tuple[int, dict[str, Any]]] | None = None
    if components is None or isinstance(components, list):
        by_name = {}
        yield from _named_items(dag, components or [], "components", by_name)
    if not isinstance(operations, list):
        return
    op_names: dict[str, tuple[int, dict[str, Any]]] = {}
    yield from _named_items(dag, operations, "operations", op_names)
    nodes = []
    reported: set[tuple[Any, ...]] = set()
    for index, op in enumerate(operations):
        if isinstance(op, dict):
            node = Node(index, op, op.get("name") if isinstance(op.get("name"), str) else None)
            yield from _resolve(dag, node, by_name, reported)
            nodes.append(node)
    for node in nodes:
        yield from _run_and_schedule(dag, node)
    graph = _Graph(dag, nodes, op_names)
    yield from graph.missing()
    yield from graph.cycles()
    known = {node.name: node for node in nodes if node.name is not None}
    for node in nodes:
        yield from _param_refs(dag, node, known)
    yield from _nested(dag, nodes, components, seen)


def _named_items(
    dag: Dag, items: list[Any], section: str, seen: dict[str, tuple[int, dict[str, Any]]]
) -> Iterator[Finding]:
    """Each item needs a name, and no name twice (`resolve_operations`)."""
    what = "component" if section == "components" else "operation"
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        here = [*dag.path, section, index]
        name = item.get("name")
        if name is None:
            where, on_key = ([*here, next(iter(item))], True) if item else (here, False)
            use = "operations name it in `dagRef`" if what == "component" else "the graph refers to it by name"
            yield dag.finding(where, f"This DAG {what} needs a `name`: {use}.", "required", on_key=on_key)
        elif dag.usable(name):
            if name in seen:
                first = [*dag.path, section, seen[name][0], "name"]
                yield dag.finding(
                    [*here, "name"],
                    f"Two {section} of this DAG are named `{name}`: {what} names must be unique.",
                    "duplicate-name",
                    related=((first, f"`{name}` is first declared here"),),
                )
            else:
                seen[name] = (index, item)


def _resolve(
    dag: Dag,
    node: Node,
    by_name: dict[str, tuple[int, dict[str, Any]]] | None,
    reported: set[tuple[Any, ...]],
) -> Iterator[Finding]:
    """Follow the node's inline component and `dagRef`s (`_get_op_spec.resolve_template`)."""
    config: dict[str, Any] = node.op
    path: Path = [*dag.path, "operations", node.index]
    chain: list[tuple[str, Path]] = []  # the components reached by dagRef, with where each dagRef is
    layers = [config]
    while True:
        inline = config.get("component")
        if any(inline is layer for layer in layers):  # a recursive alias: nothing more to learn
            node.fetched = True
            break
        if isinstance(inline, dict):
            config, path = inline, [*path, "component"]
        elif config.get("dagRef") or config.get("dag_ref"):
            key = "dagRef" if config.get("dagRef") else "dag_ref"  # Polyaxon takes the alias and the field name
            target = config[key]
            if not dag.usable(target) or by_name is None:
                node.fetched = True
                break
            where = [*path, key]
            if target in {name for name, _ in chain}:
                yield from _dagref_cycle(dag, node, chain, target, where, reported)
                node.fetched = True
                break
            if target not in by_name:
                if tuple(where) not in reported:
                    reported.add(tuple(where))
                    yield dag.finding(
                        where,
                        f"`dagRef: {target}` names no component of this DAG: "
                        f"declare it under `components` with `name: {target}`.",
                        "unknown-reference",
                    )
                node.fetched = True
                break
            chain.append((target, where))
            index, config = by_name[target]
            path = [*dag.path, "components", index]
        else:
            break
        layers.append(config)
        if _has_reference(config, FETCHED_REFS) and not isinstance(config.get("component"), dict):
            node.fetched = True
            break
    if _has_reference(node.op, FETCHED_REFS) and len(layers) == 1:
        node.fetched = True
    node.layers = layers[::-1]


def _dagref_cycle(
    dag: Dag,
    node: Node,
    chain: list[tuple[str, Path]],
    target: str,
    where: Path,
    reported: set[tuple[Any, ...]],
) -> Iterator[Finding]:
    names = [name for name, _ in chain]
    loop = names[names.index(target) :]
    key = ("cycle", frozenset(loop))
    if key in reported:
        return
    reported.add(key)
    shown = " → ".join([*loop, target])
    edges = tuple(
        (place, f"`{name}` is reached from here") for name, place in chain[names.index(target) :] if place != where
    )
    yield dag.finding(
        where,
        f"The components' `dagRef`s make a cycle: {shown} (reached from operation `{node.name}`).",
        "dag-cycle",
        related=edges,
    )


def _run_and_schedule(dag: Dag, node: Node) -> Iterator[Finding]:
    here: Path = [*dag.path, "operations", node.index]
    if not node.fetched and not node.has_run():
        where, on_key = ([*here, "name"], False) if node.name is not None else (here, False)
        if node.name is None and node.op:
            where, on_key = [*here, next(iter(node.op))], True
        label = f"Operation `{node.name}`" if node.name is not None else "This operation"
        yield dag.finding(
            where,
            f"{label} has no run: give it a `component` with a `run`, a `dagRef` to a component "
            "of this DAG that has one, a `run`, or a hubRef, pathRef or urlRef.",
            "required",
            on_key=on_key,
        )
    if node.op.get("schedule") is not None:
        yield dag.finding(
            [*here, "schedule"],
            "A DAG operation cannot have a `schedule`: schedule the DAG itself instead.",
            "placement",
            on_key=True,
        )


class _Graph:
    """The upstream edges of every operation (`V1Dag._get_op_upstream`), with where each is written."""

    def __init__(self, dag: Dag, nodes: list[Node], op_names: dict[str, tuple[int, dict[str, Any]]]) -> None:
        self.dag = dag
        self.names = set(op_names)
        self.upstream: dict[str, dict[str, Path]] = {}
        self.missing_refs: list[tuple[str, str, Path, str]] = []
        # In a nested DAG an operation named by a template may be any name once rendered.
        self.open = dag.nested and any(
            isinstance(node.op.get("name"), str) and "{{" in node.op["name"] for node in nodes
        )
        for node in nodes:
            if node.name is not None and dag.usable(node.name):
                edges = self.upstream.setdefault(node.name, {})
                for target, place, section in self._edges(node):
                    if target in self.names:
                        edges.setdefault(target, place)
                    elif not self.open:
                        self.missing_refs.append((node.name, target, place, section))

    def _edges(self, node: Node) -> Iterator[tuple[str, Path, str]]:
        here: Path = [*self.dag.path, "operations", node.index]
        dependencies = node.op.get("dependencies")
        if isinstance(dependencies, str) and self.dag.usable(dependencies):
            # Polyaxon makes a set of the string: each character is taken for an operation name.
            if not all(char in self.names for char in dependencies):
                yield dependencies, [*here, "dependencies"], "string-dependencies"
        elif isinstance(dependencies, list):
            for index, item in enumerate(dependencies):
                if self.dag.usable(item):
                    yield item, [*here, "dependencies", index], "`dependencies`"
        params = node.op.get("params")
        if isinstance(params, dict):
            for name, param in params.items():
                ref = param.get("ref") if isinstance(param, dict) and PARAM_KEYS & set(param) else None
                target = _ops_target(ref) if self.dag.usable(ref) else None
                if target is not None:
                    yield target, [*here, "params", name, "ref"], f"param `{name}`"
        events = node.op.get("events")
        if isinstance(events, list):
            for index, event in enumerate(events):
                ref = event.get("ref") if isinstance(event, dict) else None
                if not self.dag.usable(ref):
                    continue
                target = _ops_target(ref)
                if target is not None:
                    yield target, [*here, "events", index, "ref"], "`events`"
                elif ref.split(".")[0] == "ops":
                    yield ref, [*here, "events", index, "ref"], "bare-ops"

    def missing(self) -> Iterator[Finding]:
        """References to operations the DAG does not have (Polyaxon's "orphan ops")."""
        for source, target, place, section in self.missing_refs:
            if section == "bare-ops":
                message = f"`ref: {target}` names no operation: write `ops.<operation>`."
            elif section == "string-dependencies":
                message = (
                    f"`dependencies` of `{source}` must be a list of operation names: Polyaxon reads "
                    f"the string `{target}` as one name per character (a template is not rendered here)."
                )
            else:
                message = f"`{target}` is not an operation of this DAG ({section} of `{source}`)."
                if "{{" in target:
                    message += " Templates are not rendered in a DAG's references."
            yield self.dag.finding(place, message, "unknown-reference")

    def cycles(self) -> Iterator[Finding]:
        """One finding per cycle of the graph (`sort_topologically`), with its path."""
        for cycle in _find_cycles(self.upstream):
            edges = [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))]
            places = [self.upstream[a][b] for a, b in edges]
            shown = " → ".join([*cycle, cycle[0]])
            if len(cycle) == 1:
                message = f"`{cycle[0]}` depends on itself: a DAG cannot have a cycle."
            else:
                message = f"These operations depend on each other in a cycle: {shown}."
            related = tuple(
                (place, f"`{a}` depends on `{b}` here") for (a, b), place in zip(edges[1:], places[1:], strict=True)
            )
            yield self.dag.finding(places[0], message, "dag-cycle", related=related)


def _ops_target(ref: Any) -> str | None:
    """The operation an `ops.<name>` reference names (None for other references)."""
    if not isinstance(ref, str):
        return None
    parts = ref.split(".")
    return parts[1] if parts[0] == "ops" and len(parts) > 1 and parts[1] else None


def _find_cycles(upstream: dict[str, dict[str, Path]]) -> list[list[str]]:
    """One cycle per strongly connected part of the graph that has one, each from its first node."""
    order = list(upstream)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []
    for start in order:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(upstream[start]))]
        path = [start]
        state[start] = 1
        while stack:
            current, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                path.pop()
                state[current] = 2
            elif state.get(target) == 1:
                cycles.append(path[path.index(target) :])
            elif not state.get(target) and target in upstream:
                state[target] = 1
                path.append(target)
                stack.append((target, iter(upstream[target])))
    return cycles


def _param_refs(dag: Dag, node: Node, known: dict[str, Node]) -> Iterator[Finding]:
    """Each ref param of the node (`validate_params` with the DAG's context)."""
    params = node.op.get("params")
    if not isinstance(params, dict) or node.name is None:
        return
    inputs, outputs = ({}, {}) if node.fetched else (node.ios("inputs"), node.ios("outputs"))
    for name, param in params.items():
        if not isinstance(param, dict) or not PARAM_KEYS & set(param):
            continue
        ref, value = param.get("ref"), param.get("value")
        here = [*dag.path, "operations", node.index, "params", name]
        if ref == "":
            # Not a literal for `get_spec`: an empty ref is parsed, and fails.
            message = f"Param `{name}`: `ref` is empty; write `dag`, `ops.<operation>` or `runs.<uuid>`, or remove it."
            yield dag.finding([*here, "ref"], message, "invalid-value")
            continue
        if not ref or not dag.usable(ref) or not dag.usable(value):
            continue
        problem = value_grammar(value, ref)
        if problem is not None:
            yield dag.finding([*here, "value"], f"Param `{name}`: {problem}", "invalid-value")
            continue
        problem = ref_grammar(ref)
        if problem is not None:
            yield dag.finding([*here, "ref"], f"Param `{name}`: {problem}", "invalid-value")
            continue
        if node.fetched or "{{" in value or ref.split(".")[0] == "runs":
            continue
        if name in inputs:
            yield from _input_ref(dag, name, inputs[name], ref, value, here, known)
        elif name in outputs and _entity_type(value) != "artifacts":
            yield dag.finding(
                [*here, "ref"],
                f"Param `{name}` sets an output of `{node.name}` from `{ref}`: Polyaxon takes a `ref` "
                "for an output only with an `artifacts.…` value.",
                "invalid-value",
            )


def _parts(value: str) -> list[str]:
    match = PARAM_TEMPLATE.search(value)
    inner = match.group(1).strip() if match else value
    return [part.strip() for part in inner.split(".")]


def _entity_type(value: str) -> str:
    match = PARAM_TEMPLATE.search(value)
    return (match.group(1).strip() if match else value).split(".")[0]


def value_grammar(value: str, ref: str) -> str | None:
    parts = _parts(value)
    if len(parts) > 3:
        return f"`{value}` has too many parts: write `outputs.<name>`, `inputs.<name>` or `artifacts.<name>`."
    if len(parts) == 1 and parts[0] not in ONE_PART_VALUES:
        return f"`{value}` is not a value a ref can take: one of {', '.join(ONE_PART_VALUES)}, or `outputs.<name>`, ..."
    if len(parts) == 1 and ref.split(".")[0] == "dag" and parts[0] == "outputs":
        return "a DAG's own `outputs` cannot be referenced from inside it."
    if len(parts) == 2 and parts[0] not in TWO_PART_HEADS:
        return f"`{value}` must start with one of {', '.join(TWO_PART_HEADS)}."
    if len(parts) == 3 and parts[0] != "artifacts":
        return f"`{value}` has three parts, which only `artifacts.<name>.<path>` may have."
    return None


def ref_grammar(ref: str) -> str | None:
    parts = ref.split(".")
    if parts == ["ops", ""]:
        return f"`ref: {ref}` names no operation: write `ops.<operation>`."
    if len(parts) == 1 and parts[0] != "dag":
        return f"`ref: {ref}` must be `dag`, `ops.<operation>` or `runs.<uuid>`."
    if len(parts) > 2 or (len(parts) == 2 and parts[0] not in ("ops", "runs")):
        return f"`ref: {ref}` must be `dag`, `ops.<operation>` or `runs.<uuid>`."
    if parts[0] == "runs":
        try:
            uuid.UUID(parts[1])
        except ValueError:
            return f"`ref: {ref}` must name a run by its UUID."
    return None


def _context_of(ref: str, known: dict[str, Node], dag: Dag) -> tuple[str, dict[str, IO]] | None:
    """What a reference offers (`process_components`' context), by value; None when unknown."""
    if ref == "dag":
        if dag.offers is None:
            entries = {f"inputs.{name}": io for name, io in dag.inputs.items()}
            dag.offers = entries | GLOBAL_ENTRIES | WHOLE_DAG_CONTEXT
        return "the DAG", dag.offers
    node = known.get(ref[len("ops.") :]) if ref.startswith("ops.") else None
    if node is None or node.fetched:
        return None
    if node.offers is None:
        entries = dict(WHOLE_OP_CONTEXT)
        for section in ("outputs", "inputs"):
            for name, io in node.ios(section).items():
                entries[f"{section}.{name}"] = io
                if io.type == "artifacts":
                    entries[f"artifacts.{name}"] = io
        node.offers = entries | GLOBAL_ENTRIES
    return f"`{node.name}`", node.offers


def _input_ref(
    dag: Dag, name: str, target: IO, ref: str, value: str, here: Path, known: dict[str, Node]
) -> Iterator[Finding]:
    context = _context_of(ref, known, dag)
    if context is None:
        return
    who, entries = context
    source = entries.get(value)
    if source is None:
        if _entity_type(value) != "artifacts":
            yield dag.finding([*here, "value"], _undeclared(who, value), "unknown-reference")
        return
    if not _compatible(target.type, source.type):
        yield dag.finding(
            [*here, "value"],
            f"Param `{name}` feeds an input of type `{target.type}`, but `{value}` of {who} has type `{source.type}`.",
            "ref-type",
        )
    elif target.is_list != source.is_list:
        yield dag.finding(
            [*here, "value"],
            f"Param `{name}` feeds an input {_list_word(target.is_list)}, but `{value}` of {who} "
            f"is declared {_list_word(source.is_list)}: `isList` must match.",
            "ref-type",
        )


def _undeclared(who: str, value: str) -> str:
    head, _, rest = value.partition(".")
    if head == "globals":
        return f"`{value}`: `{rest}` is not a global context Polyaxon offers."
    if head in ("inputs", "outputs") and rest:
        return f"`{value}`: {who} declares no {head[:-1]} named `{rest}`."
    return f"`{value}` is not something {who} offers."


def _list_word(is_list: bool | None) -> str:
    if is_list is None:
        return "without `isList`"
    return "with `isList: true`" if is_list else "with `isList: false`"


def _compatible(first: Any, second: Any) -> bool:
    """`clipped.types.are_compatible` on the type strings as written."""
    if first == second:
        return True
    return isinstance(first, str) and isinstance(second, str) and {first, second} <= PATH_LIKE_TYPES


def _nested(dag: Dag, nodes: list[Node], components: Any, seen: set[int]) -> Iterator[Finding]:
    """The DAGs inside this one, each checked where it is written (once)."""
    for node in nodes:
        inline = node.op.get("component")
        path: Path = [*dag.path, "operations", node.index, "component"]
        yield from _nested_one(inline, path, seen)
    if isinstance(components, list):
        for index, component in enumerate(components):
            yield from _nested_one(component, [*dag.path, "components", index], seen)


def _nested_one(component: Any, path: Path, seen: set[int]) -> Iterator[Finding]:
    if not isinstance(component, dict) or _has_reference(component):
        return
    run = component.get("run")
    if isinstance(run, dict) and run.get("kind") == "dag":
        yield from _check(Dag([*path, "run"], run, _declared(component.get("inputs")), nested=True), seen)

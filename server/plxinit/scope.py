"""The scope model: every operation Polyaxon composes from a loaded document, and what it declares.

Polyaxon 2.18 scopes names per composed operation (`compose_polyaxonfile`,
`polyaxon/_polyaxonfile/specs/polyaxonfile.py`): an operation is patched onto its component
(inline `component`, or `dagRef` into the DAG's `components`, which Polyaxon copies in as an
inline component) with the operation's `patchStrategy`, and `validate_params`
(`_flow/params/ops_params.py`) then checks the merged params against the merged inputs and
outputs, with join params and matrix params counting as given. A template or param of that
operation sees its inputs, outputs, params (`contextOnly` ones too, and any undeclared param,
which Polyaxon keeps as a context), join and matrix params, and the runtime namespaces
`globals` (a fixed key set), `connections` and `init`. It does not see sibling DAG nodes except
through `ref: ops.<name>`.

The layers merge as Polyaxon's `BaseOp.patch_obj` does (probed with the oracle): lists (inputs,
outputs, joins) are concatenated, duplicates kept (`post_merge`: the component's first;
`pre_merge`: the operation's first); the params mapping is merged by key (`post_merge`: the
operation wins; `pre_merge`: the component wins); `replace` takes the operation's section when
it writes one; `isnull` takes it only when the component has none. `strictParams` holds when any
layer sets it. The matrix is taken whole from the winning layer.

Everything here is a pure function of the loaded value: no I/O, and no input makes it raise
(an unreadable part is left out of the model, never guessed). Each declaration carries its
path into the document, for diagnostics, related information and go-to-definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: `polyaxon._contexts.params.PARAM_REGEX`: a param value it matches is a template ref, not a literal.
PARAM_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")

Path = list[Any]

#: `_compiler/contexts/contexts.py::resolve_globals_contexts`: the keys of `globals` in a template.
GLOBAL_KEYS = frozenset(
    {
        "owner_name",
        "project_name",
        "project_unique_name",
        "project_uuid",
        "username",
        "user_email",
        "run_info",
        "name",
        "uuid",
        "namespace",
        "iteration",
        "context_path",
        "artifacts_path",
        "created_at",
        "compiled_at",
        "schedule_at",
        "started_at",
        "finished_at",
        "duration",
        "cloning_kind",
        "original_uuid",
        "is_independent",
        "store_path",
        "run_relative_outputs_path",
        "run_artifacts_path",
        "run_outputs_path",
    }
)
#: `_compiler/contexts/service.py`: what a service adds to `globals`.
SERVICE_GLOBAL_KEYS = frozenset({"ports", "base_url", "base_urls"})
#: The runtime namespaces every template sees besides the operation's own names.
RUNTIME_NAMESPACES = ("globals", "connections", "init", "params")
#: `V1_PARAM_KEYS`: a params mapping with one of these keys is a full-form param.
PARAM_KEYS = frozenset(
    {"value", "ref", "toInit", "to_init", "toEnv", "to_env", "contextOnly", "context_only", "connection"}
)
FETCHED_REFS = ("hubRef", "pathRef", "urlRef", "hub_ref", "path_ref", "url_ref")  # aliases and field names
PATCH_STRATEGIES = ("post_merge", "pre_merge", "replace", "isnull")
_MAX_DEPTH = 40


def field_of(mapping: dict[str, Any], camel: str, snake: str | None = None) -> tuple[str | None, Any]:
    """The key and value of a field Polyaxon accepts under its alias or its field name."""
    for key in (camel, snake):
        if key is not None and key in mapping:
            return key, mapping[key]
    return None, None


def lax_bool(value: Any) -> bool | None:
    """A boolean as pydantic reads it in lax mode; None when unset or unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "on", "t", "y", "1"):
            return True
        if text in ("false", "no", "off", "f", "n", "0"):
            return False
    return None


@dataclass(frozen=True)
class IODecl:
    """One input or output as written: its mapping and where it is."""

    name: str
    section: str  # "inputs" or "outputs"
    path: Path  # the IO mapping
    io: dict[str, Any]

    @property
    def type(self) -> Any:
        return self.io.get("type")

    @property
    def is_optional(self) -> bool:
        """Whether Polyaxon needs no param for it: `isOptional`, a `value`, or `delayValidation`."""
        if self.io.get("value") is not None:
            return True
        return bool(lax_bool(field_of(self.io, "isOptional", "is_optional")[1]))

    @property
    def delay_validation(self) -> bool | None:
        return lax_bool(field_of(self.io, "delayValidation", "delay_validation")[1])

    @property
    def is_list(self) -> bool | None:
        return lax_bool(field_of(self.io, "isList", "is_list")[1])


@dataclass(frozen=True)
class ParamDecl:
    """One param: short form (`lr: 0.1`) or full form (`lr: {value: 0.1, ...}`), and where it is."""

    name: str
    path: Path  # the param's value, `[..., "params", name]`
    raw: Any
    source: str = "params"  # "params" or "joins"

    @property
    def full_form(self) -> bool:
        """`is_short_form_param`: an empty mapping or one with a V1Param key is the full form."""
        return isinstance(self.raw, dict) and (not self.raw or bool(PARAM_KEYS & set(self.raw)))

    def get(self, camel: str, snake: str | None = None) -> Any:
        return field_of(self.raw, camel, snake)[1] if self.full_form else None

    @property
    def value(self) -> Any:
        return self.get("value") if self.full_form else self.raw

    @property
    def value_path(self) -> Path:
        return [*self.path, "value"] if self.full_form and "value" in self.raw else self.path

    @property
    def ref(self) -> Any:
        return self.get("ref")

    @property
    def context_only(self) -> bool | None:
        return lax_bool(self.get("contextOnly", "context_only"))

    @property
    def to_init(self) -> bool | None:
        return lax_bool(self.get("toInit", "to_init"))


@dataclass(frozen=True)
class MatrixParam:
    """One hyperparameter of a matrix (`matrix.params.<name>`), or a key of a mapping's values."""

    name: str
    path: Path
    hp: Any  # the hyperparameter mapping (`{kind: choice, value: [...]}`) or a mapping value

    @property
    def kind(self) -> Any:
        return self.hp.get("kind") if isinstance(self.hp, dict) else None


@dataclass(frozen=True)
class Matrix:
    """A matrix: its kind, its params by name, and a hyperband's or similar `resource`."""

    path: Path
    kind: Any
    params: dict[str, MatrixParam]
    resource: tuple[str, Path] | None = None  # the resource's name and where it is written


@dataclass(frozen=True)
class ComponentSource:
    """Where an operation's component comes from.

    `how` is "self" (the file is a component), "inline" (`component:`), "dagRef", one of the
    fetched references "hubRef", "pathRef", "urlRef" (not resolvable here), or "none".
    `path` is the component mapping, or the reference's value for a reference not followed.
    """

    how: str
    path: Path
    target: str | None = None


@dataclass
class DagScope:
    """A DAG: where its run is, its operations and components by name, its owner's inputs."""

    path: Path  # the `run` mapping of kind dag
    operations: dict[str, Path] = field(default_factory=dict)  # the first operation with each name
    components: dict[str, Path] = field(default_factory=dict)
    inputs: dict[str, IODecl] = field(default_factory=dict)  # what `ref: dag, value: inputs.x` reaches
    nested: bool = False  # compiled only when its parent node runs


@dataclass
class ScopedOperation:
    """One operation as Polyaxon composes it, with its declarations merged across layers."""

    path: Path  # the operation's mapping ([] for the file itself)
    role: str  # "file" or "dag-node"
    is_operation: bool  # params are given here: a `kind: operation` file or a DAG node
    name: Any
    component: ComponentSource
    layers: list[tuple[Path, dict[str, Any]]]  # innermost component first, this operation last
    resolved: bool  # False when a hubRef/pathRef/urlRef (or an unknown dagRef) hides the component
    composed: bool  # Polyaxon composes it: when it checks the file, or (a nested DAG's node) when its parent runs
    io_list: list[IODecl] = field(default_factory=list)  # merged, in Polyaxon's order, duplicates kept
    params: dict[str, ParamDecl] = field(default_factory=dict)
    join_params: dict[str, ParamDecl] = field(default_factory=dict)
    matrix: Matrix | None = None
    strict_params: bool = False
    run_kind: Any = None
    dag: DagScope | None = None  # the DAG this operation is a node of
    owned_dag: DagScope | None = None  # the DAG this operation's run is

    def ios(self, section: str) -> dict[str, IODecl]:
        """The inputs or outputs by name (the first of duplicates, as Polyaxon checks each)."""
        found: dict[str, IODecl] = {}
        for io in self.io_list:
            if io.section == section:
                found.setdefault(io.name, io)
        return found

    @property
    def inputs(self) -> dict[str, IODecl]:
        return self.ios("inputs")

    @property
    def outputs(self) -> dict[str, IODecl]:
        return self.ios("outputs")

    def globals_keys(self) -> frozenset[str]:
        return GLOBAL_KEYS | SERVICE_GLOBAL_KEYS if self.run_kind == "service" else GLOBAL_KEYS

    def names(self) -> dict[str, Path]:
        """Every bare name a template of this operation sees, with where it is declared.

        Inputs and outputs, params (contextOnly and undeclared ones included), join params and
        matrix params; the runtime namespaces (RUNTIME_NAMESPACES) are not listed here.
        """
        found: dict[str, Path] = {}
        for io in self.io_list:
            found.setdefault(io.name, io.path)
        for param in [*self.params.values(), *self.join_params.values()]:
            found.setdefault(param.name, param.path)
        if self.matrix is not None:
            for hp in self.matrix.params.values():
                found.setdefault(hp.name, hp.path)
        return found


# ---------------------------------------------------------------------- layers


def _strategy(layer: dict[str, Any]) -> str:
    value = field_of(layer, "patchStrategy", "patch_strategy")[1]
    return value if value in PATCH_STRATEGIES else "post_merge"


def _sets(layer: dict[str, Any], camel: str, snake: str | None = None) -> bool:
    return field_of(layer, camel, snake)[0] is not None


def _io_decls(layer_path: Path, layer: dict[str, Any], section: str) -> list[IODecl]:
    ios = layer.get(section)
    if not isinstance(ios, list):
        return []
    return [
        IODecl(io["name"], section, [*layer_path, section, index], io)
        for index, io in enumerate(ios)
        if isinstance(io, dict) and isinstance(io.get("name"), str)
    ]


def _param_decls(params: Any, path: Path, source: str = "params") -> dict[str, ParamDecl]:
    if not isinstance(params, dict):
        return {}
    return {name: ParamDecl(name, [*path, name], raw, source) for name, raw in params.items() if isinstance(name, str)}


def _join_decls(layer_path: Path, layer: dict[str, Any]) -> list[dict[str, ParamDecl]]:
    joins = layer.get("joins")
    if not isinstance(joins, list):
        return []
    return [
        _param_decls(join.get("params"), [*layer_path, "joins", index, "params"], "joins")
        for index, join in enumerate(joins)
        if isinstance(join, dict)
    ]


def _merge_list(base: list[Any], local: list[Any], local_sets: bool, strategy: str) -> list[Any]:
    if not local_sets:
        return base
    if strategy == "pre_merge":
        return [*local, *base]
    if strategy == "replace":
        return local
    if strategy == "isnull":
        return base if base else local
    return [*base, *local]


def _merge_mapping(base: dict[str, Any], local: dict[str, Any], local_sets: bool, strategy: str) -> dict[str, Any]:
    if not local_sets:
        return base
    if strategy == "pre_merge":
        return {**local, **base}
    if strategy == "replace":
        return local
    if strategy == "isnull":
        return base if base else local
    return {**base, **local}


def _matrix(layer_path: Path, layer: dict[str, Any]) -> Matrix | None:
    matrix = layer.get("matrix")
    if not isinstance(matrix, dict):
        return None
    path = [*layer_path, "matrix"]
    params: dict[str, MatrixParam] = {}
    if matrix.get("kind") == "mapping":
        values = matrix.get("values")
        for index, item in enumerate(values if isinstance(values, list) else []):
            if isinstance(item, dict):
                for name, value in item.items():
                    if isinstance(name, str):
                        params.setdefault(name, MatrixParam(name, [*path, "values", index, name], value))
    else:
        hps = matrix.get("params")
        for name, hp in hps.items() if isinstance(hps, dict) else []:
            if isinstance(name, str):
                params[name] = MatrixParam(name, [*path, "params", name], hp)
    resource = matrix.get("resource")
    found = None
    if isinstance(resource, dict) and isinstance(resource.get("name"), str):
        found = (resource["name"], [*path, "resource", "name"])
    return Matrix(path, matrix.get("kind"), params, found)


def _run_kind(layers: list[tuple[Path, dict[str, Any]]]) -> Any:
    kind = None
    for _, layer in layers:
        run = layer.get("run")
        if isinstance(run, dict) and "kind" in run:
            kind = run["kind"]
    return kind


def merge_layers(operation: ScopedOperation) -> None:
    """Fill the operation's declarations from its layers, with each layer's patch strategy."""
    # A layer that does not write a section leaves it as it is, whatever its strategy.
    ios: dict[str, list[IODecl]] = {"inputs": [], "outputs": []}
    params: dict[str, ParamDecl] = {}
    joins: list[dict[str, ParamDecl]] = []
    matrix: Matrix | None = None
    strict = False
    for index, (path, layer) in enumerate(operation.layers):
        strategy = _strategy(layer) if index else "post_merge"
        for section in ("inputs", "outputs"):
            if section in layer:
                ios[section] = _merge_list(ios[section], _io_decls(path, layer, section), True, strategy)
        if "params" in layer:
            params = _merge_mapping(params, _param_decls(layer["params"], [*path, "params"]), True, strategy)
        if "joins" in layer:
            joins = _merge_list(joins, _join_decls(path, layer), True, strategy)
        if "matrix" in layer:
            own_matrix = _matrix(path, layer)
            if own_matrix is not None and (matrix is None or strategy in ("post_merge", "replace")):
                matrix = own_matrix
        strict = strict or bool(lax_bool(field_of(layer, "strictParams", "strict_params")[1]))
    # Inputs first, then outputs: the order validate_params walks them.
    operation.io_list = ios["inputs"] + ios["outputs"]
    operation.params = params
    operation.join_params = {}
    for join in joins:
        for name, param in join.items():
            operation.join_params.setdefault(name, param)
    operation.matrix = matrix
    operation.strict_params = strict
    operation.run_kind = _run_kind(operation.layers)


# ---------------------------------------------------------------------- the document's operations


def _fetched_ref(config: dict[str, Any]) -> tuple[str, Any] | None:
    for key in FETCHED_REFS:
        if config.get(key):
            return key, config[key]
    return None


def _is_preset(document: dict[str, Any]) -> bool:
    return bool(lax_bool(field_of(document, "isPreset", "is_preset")[1]))


def _chain(
    op: dict[str, Any], path: Path, dag: DagScope | None, by_name: dict[str, tuple[Path, dict[str, Any]]]
) -> tuple[ComponentSource, list[tuple[Path, dict[str, Any]]], bool]:
    """Follow an operation's `component` and `dagRef`s: its source, its layers (outer last), resolved."""
    layers: list[tuple[Path, dict[str, Any]]] = [(path, op)]
    source: ComponentSource | None = None
    config, here = op, path
    seen_refs: set[str] = set()
    for _ in range(_MAX_DEPTH):
        inline = config.get("component")
        if isinstance(inline, dict):
            if any(inline is layer for _, layer in layers):
                return source or ComponentSource("none", here), layers[::-1], False
            config, here = inline, [*here, "component"]
            source = source or ComponentSource("inline", here)
        elif config.get("dagRef") is not None:
            target = config["dagRef"]
            where = [*here, "dagRef"]
            if not isinstance(target, str) or target in seen_refs or target not in by_name or dag is None:
                return source or ComponentSource("dagRef", where, str(target)), layers[::-1], False
            seen_refs.add(target)
            here, config = by_name[target]
            source = source or ComponentSource("dagRef", here, target)
        else:
            fetched = _fetched_ref(config)
            if fetched is not None:
                key, target = fetched
                return source or ComponentSource(key, [*here, key], str(target)), layers[::-1], False
            return source or ComponentSource("none", here), layers[::-1], True
        layers.append((here, config))
    return source or ComponentSource("none", here), layers[::-1], False


def _dag_of(operation: ScopedOperation, nested: bool) -> DagScope | None:
    """The DAG that is this operation's run, if it is one (the innermost layer with a `run`)."""
    for path, layer in operation.layers:
        run = layer.get("run")
        if isinstance(run, dict):
            if run.get("kind") != "dag":
                return None
            dag = DagScope([*path, "run"], inputs=operation.inputs, nested=nested)
            for section, names in (("operations", dag.operations), ("components", dag.components)):
                items = run.get(section)
                for index, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        names.setdefault(item["name"], [*dag.path, section, index])
            return dag
    return None


def _file_operation(document: dict[str, Any]) -> ScopedOperation:
    kind = document.get("kind")
    composed = kind != "compiled_operation" and not _is_preset(document)
    if kind == "operation":
        source, layers, resolved = _chain(document, [], None, {})
        is_operation = True
    else:
        fetched = _fetched_ref(document)
        source = ComponentSource("self", [])
        layers, resolved = [([], document)], fetched is None and document.get("dagRef") is None
        if isinstance(document.get("component"), dict):
            source, layers, resolved = _chain(document, [], None, {})
        is_operation = False
    operation = ScopedOperation(
        [], "file", is_operation, document.get("name"), source, layers, resolved, composed and resolved
    )
    merge_layers(operation)
    return operation


def _nodes(parent: ScopedOperation, depth: int) -> Iterator[ScopedOperation]:
    dag = parent.owned_dag
    if dag is None or depth > _MAX_DEPTH:
        return
    run = None
    for path, layer in parent.layers:
        if [*path, "run"] == dag.path:
            run = layer.get("run")
    if not isinstance(run, dict):
        return
    components = run.get("components")
    by_name: dict[str, tuple[Path, dict[str, Any]]] = {}
    for index, component in enumerate(components if isinstance(components, list) else []):
        if isinstance(component, dict) and isinstance(component.get("name"), str):
            by_name.setdefault(component["name"], ([*dag.path, "components", index], component))
    operations = run.get("operations")
    for index, op in enumerate(operations if isinstance(operations, list) else []):
        if not isinstance(op, dict):
            continue
        path = [*dag.path, "operations", index]
        source, layers, resolved = _chain(op, path, dag, by_name)
        node = ScopedOperation(path, "dag-node", True, op.get("name"), source, layers, resolved, parent.composed)
        node.dag = dag
        merge_layers(node)
        node.owned_dag = _dag_of(node, nested=True) if resolved else None
        yield node
        if node.owned_dag is not None:
            yield from _nodes(node, depth + 1)


#: The last document's operations, with the document kept alive so that its id is not reused:
#: the rule finders (params, templates) and the language server ask about the same loaded value
#: in turn. A loaded value is never changed in place (the language server's incremental reader
#: copies the containers it changes), so the same object has the same operations.
_last: tuple[Any, list[ScopedOperation]] | None = None


def operations(document: Any) -> list[ScopedOperation]:
    """Every operation of the document, the file first, then each DAG's nodes (nested ones after theirs).

    A document that is not a mapping has none.
    """
    global _last
    if not isinstance(document, dict):
        return []
    last = _last
    if last is not None and last[0] is document:
        return list(last[1])
    try:
        top = _file_operation(document)
        top.owned_dag = _dag_of(top, nested=False) if top.resolved else None
        found = [top, *_nodes(top, 0)]
    except RecursionError:
        found = []
    _last = (document, found)
    return list(found)


def operation_at(document: Any, path: Path) -> ScopedOperation | None:
    """The innermost operation whose scope holds `path` (a path into the document)."""
    best: ScopedOperation | None = None
    for operation in operations(document):
        for layer_path, _ in operation.layers:
            if path[: len(layer_path)] == layer_path and (best is None or len(layer_path) > _depth(best, path)):
                best = operation
    return best


def _depth(operation: ScopedOperation, path: Path) -> int:
    return max(
        (len(layer_path) for layer_path, _ in operation.layers if path[: len(layer_path)] == layer_path), default=-1
    )

"""The name index of a document: every declared name, and every place that names it.

A pure function of the core's reading (`build(parsed)`): no I/O, no editor state. Names are
resolved the way Polyaxon composes the file (`scope.py`): each operation sees its merged
inputs and outputs, its params, join params and matrix params; a DAG node reaches its
siblings only through `dependencies`, `ref: ops.<name>` (with `value: outputs.<y>`),
`events[].ref` and `{{ ops.<name>.outputs.<y> }}`; a node's `ref: dag` reaches the DAG's
inputs. A param, join-param or matrix-param key that names an input or output is a use of
that declaration (renaming the input renames it); one that names none declares itself.

Symbols are keyed by where they are declared, so two nodes whose components both declare
`lr` have two symbols, and a component shared by `dagRef` has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Position, Range
from ..rules import span_range
from ..scope import IODecl, ScopedOperation, operations
from ..template_lex import has_template, lex
from ..yamldoc import MappingNode, Node, ParsedDocument, ScalarNode, SequenceNode

Path = list[Any]
Key = tuple[Any, ...]

#: What `ref: ops.a` + `value: <head>.<name>` reaches in operation `a`.
_REF_VALUE = re.compile(r"^\s*(outputs|inputs|artifacts)\.([^\W\d]\w*)\s*$")
#: Namespaces of a template that no declaration of the file backs.
RUNTIME_HEADS = frozenset({"globals", "connections", "init"})
_MAX_DEPTH = 200


@dataclass(frozen=True)
class Symbol:
    """A declared name: an input, output, param, join param, matrix param, operation or component."""

    key: Key
    kind: str  # "input", "output", "param", "join-param", "matrix-param", "operation", "component"
    name: str
    path: Path  # the declaration (the IO mapping, the param's value, the operation's mapping)
    range: Range | None  # where the name itself is written
    decl: Any = None  # IODecl, ParamDecl-like raw value, or the hyperparameter
    owner: str = ""  # "operation `train`", "this component", ... for hovers


@dataclass(frozen=True)
class Occurrence:
    """A place where a name is written: its declaration or a use of it."""

    range: Range
    key: Key
    declaration: bool


@dataclass
class NameIndex:
    symbols: dict[Key, Symbol] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    #: the bare names each operation's templates see, with their symbols (for rename conflicts)
    scopes: list[dict[str, Key]] = field(default_factory=list)

    def at(self, position: Position) -> Occurrence | None:
        """The occurrence whose range holds `position` (its end included, as editors place cursors)."""
        for occurrence in self.occurrences:
            if occurrence.range.start <= position <= occurrence.range.end:
                return occurrence
        return None

    def of(self, key: Key) -> list[Occurrence]:
        return [occurrence for occurrence in self.occurrences if occurrence.key == key]

    def clash(self, key: Key, new_name: str) -> Symbol | None:
        """Another symbol named `new_name` where `key`'s symbol is seen (a rename would merge the two)."""
        symbol = self.symbols[key]
        if symbol.kind in ("operation", "component"):
            siblings = symbol.path[:-1]
            for other in self.symbols.values():
                if other.kind == symbol.kind and other.name == new_name and other.path[:-1] == siblings:
                    return other
            return None
        for scope in self.scopes:
            if key in scope.values():
                seen = scope.get(new_name)
                if seen is not None and seen != key:
                    return self.symbols.get(seen)
        return None


def _owner(op: ScopedOperation) -> str:
    if op.role == "dag-node":
        return f"operation `{op.name}`" if isinstance(op.name, str) else "a DAG operation"
    return "this operation" if op.is_operation else "this component"


def linear_origin(node: ScalarNode) -> tuple[int, int] | None:
    """(line, column) of the value's first character when each character is written as itself.

    A one-line plain scalar, or a quoted one without escapes (`\\` or `''`): the common case,
    placed without mapping each character (span_range does that for the others).
    """
    source, value = node.source, node.value
    if "\n" in source or "\r" in source:
        return None
    start = node.start
    if node.style is None and source == value:
        return start.line, start.column
    if node.style in ("'", '"') and len(source) >= 2 and source[1:-1] == value:
        return start.line, start.column + 1
    return None


def place(node: ScalarNode, start: int, end: int) -> Range | None:
    """Where characters [start, end) of a string scalar's value are written (None when not exactly known)."""
    origin = linear_origin(node)
    if origin is None:
        return span_range(node, (start, end))
    line, column = origin
    return Range(Position(line, column + start), Position(line, column + end))


def _name_range(node: Node | None, name: str, start: int = 0) -> Range | None:
    """Where `name` is written in a string scalar (from character `start` of its value)."""
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str) or not name:
        return None
    if node.value[start : start + len(name)] != name:
        return None
    return place(node, start, start + len(name))


class _Builder:
    def __init__(self, root: Node, ops: list[ScopedOperation]) -> None:
        self.root = root
        self.ops = ops
        self.index = NameIndex()
        self.seen: set[tuple[Range, Key]] = set()
        self.taken: set[Range] = set()
        self.scopes: dict[int, dict[str, Key]] = {}
        self.by_path: dict[tuple[Any, ...], ScopedOperation] = {tuple(op.path): op for op in ops}
        self.layer_owner: dict[tuple[Any, ...], ScopedOperation] = {}
        for op in ops:
            for layer_path, _ in op.layers:
                self.layer_owner.setdefault(tuple(layer_path), op)

    # ------------------------------------------------------------------ recording
    def declare(self, symbol: Symbol) -> None:
        if symbol.key in self.index.symbols:
            return
        self.index.symbols[symbol.key] = symbol
        if symbol.range is not None:
            self.occur(symbol.range, symbol.key, True)

    def occur(self, where: Range | None, key: Key | None, declaration: bool = False) -> None:
        if where is None or key is None or where in self.taken:
            return
        self.taken.add(where)
        self.index.occurrences.append(Occurrence(where, key, declaration))

    def value_node(self, path: Path) -> Node | None:
        return _pair_at(self.root, path)[1]

    def key_node(self, path: Path) -> Node | None:
        return _pair_at(self.root, path)[0]

    # ------------------------------------------------------------------ declarations
    def build(self) -> NameIndex:
        for op in self.ops:
            self.declare_ios(op)
            self.declare_operation(op)
        for op in self.ops:
            self.scopes[id(op)] = self.scope_of(op)
        self.index.scopes = list(self.scopes.values())
        for op in self.ops:
            self.param_keys(op)
            self.dag_refs(op)
        self.templates()
        self.index.occurrences.sort(key=lambda occurrence: occurrence.range)
        return self.index

    def declare_ios(self, op: ScopedOperation) -> None:
        for io in op.io_list:
            node = self.value_node([*io.path, "name"])
            key: Key = ("io", *io.path)
            self.declare(Symbol(key, io.section[:-1], io.name, io.path, _name_range(node, io.name), io, _owner(op)))

    def declare_operation(self, op: ScopedOperation) -> None:
        if op.role == "dag-node" and isinstance(op.name, str):
            node = self.value_node([*op.path, "name"])
            key: Key = ("operation", *op.path)
            self.declare(Symbol(key, "operation", op.name, op.path, _name_range(node, op.name), None, "the DAG"))
        dag = op.owned_dag
        if dag is not None:
            for name, path in dag.components.items():
                node = self.value_node([*path, "name"])
                key = ("component", *path)
                self.declare(Symbol(key, "component", name, path, _name_range(node, name), None, "the DAG"))

    def scope_of(self, op: ScopedOperation) -> dict[str, Key]:
        """The bare names the operation's templates see, each with its symbol (inputs and outputs first)."""
        names: dict[str, Key] = {}
        for io in op.io_list:
            names.setdefault(io.name, ("io", *io.path))
        for kind, name, path, raw in self._layer_params(op):
            if name in names:
                continue
            key_node = self.key_node(path)
            key: Key = (kind, *path)
            self.declare(Symbol(key, kind, name, path, _name_range(key_node, name), raw, _owner(op)))
            names[name] = key
        return names

    def _layer_params(self, op: ScopedOperation) -> Iterator[tuple[str, str, Path, Any]]:
        """(kind, name, path, raw) of every param, join-param and matrix-param key of the operation's layers."""
        for layer_path, layer in op.layers:
            params = layer.get("params")
            if isinstance(params, dict):
                for name, raw in params.items():
                    if isinstance(name, str):
                        yield "param", name, [*layer_path, "params", name], raw
            joins = layer.get("joins")
            for index, join in enumerate(joins if isinstance(joins, list) else []):
                join_params = join.get("params") if isinstance(join, dict) else None
                if isinstance(join_params, dict):
                    for name, raw in join_params.items():
                        if isinstance(name, str):
                            yield "join-param", name, [*layer_path, "joins", index, "params", name], raw
            matrix = layer.get("matrix")
            if not isinstance(matrix, dict):
                continue
            if matrix.get("kind") == "mapping":
                values = matrix.get("values")
                for index, item in enumerate(values if isinstance(values, list) else []):
                    for name, raw in item.items() if isinstance(item, dict) else []:
                        if isinstance(name, str):
                            yield "matrix-param", name, [*layer_path, "matrix", "values", index, name], raw
            else:
                hps = matrix.get("params")
                for name, raw in hps.items() if isinstance(hps, dict) else []:
                    if isinstance(name, str):
                        yield "matrix-param", name, [*layer_path, "matrix", "params", name], raw

    # ------------------------------------------------------------------ uses
    def param_keys(self, op: ScopedOperation) -> None:
        """A param (join, matrix) key that names an input or output is a use of it."""
        scope = self.scopes[id(op)]
        for _, name, path, _ in self._layer_params(op):
            key = scope.get(name)
            if key is not None and key[0] == "io":
                self.occur(_name_range(self.key_node(path), name), key)

    def dag_refs(self, op: ScopedOperation) -> None:
        """`dependencies`, `ref: ops.x` (+ its `value`), `ref: dag`, `events[].ref` and `dagRef` of a node."""
        dag = op.dag
        if dag is None or op.role != "dag-node":
            return
        own = op.layers[-1][1]
        here = op.path
        dependencies = own.get("dependencies")
        for index, name in enumerate(dependencies if isinstance(dependencies, list) else []):
            if isinstance(name, str) and name in dag.operations:
                node = self.value_node([*here, "dependencies", index])
                self.occur(_name_range(node, name), ("operation", *dag.operations[name]))
        params = own.get("params")
        for name, param in params.items() if isinstance(params, dict) else []:
            if isinstance(name, str) and isinstance(param, dict):
                self.ref_param([*here, "params", name], param, op)
        events = own.get("events")
        for index, event in enumerate(events if isinstance(events, list) else []):
            if isinstance(event, dict):
                self.ops_ref([*here, "events", index, "ref"], event.get("ref"), op)
        target = own.get("dagRef")
        if isinstance(target, str) and target in dag.components:
            node = self.value_node([*here, "dagRef"])
            self.occur(_name_range(node, target), ("component", *dag.components[target]))

    def ops_ref(self, path: Path, ref: Any, op: ScopedOperation) -> ScopedOperation | None:
        """`ref: ops.<name>`: the use of the operation's name; the operation it reaches."""
        dag = op.dag
        if dag is None or not isinstance(ref, str) or not ref.startswith("ops."):
            return None
        name = ref[4:]
        target = dag.operations.get(name)
        if target is None:
            return None
        self.occur(_name_range(self.value_node(path), name, 4), ("operation", *target))
        return self.by_path.get(tuple(target))

    def ref_param(self, path: Path, param: dict[str, Any], op: ScopedOperation) -> None:
        ref, value = param.get("ref"), param.get("value")
        if ref == "dag":
            target_ios = {io.name: io for io in op.dag.inputs.values()} if op.dag is not None else {}
            match = _REF_VALUE.match(value) if isinstance(value, str) else None
            if match is not None and match.group(1) == "inputs" and match.group(2) in target_ios:
                self.io_use([*path, "value"], match, target_ios[match.group(2)])
            return
        target = self.ops_ref([*path, "ref"], ref, op)
        if target is None or not isinstance(value, str):
            return
        match = _REF_VALUE.match(value)
        if match is None:
            return
        # `artifacts.<name>`: an artifacts-typed output or input of the operation (dag_rules' context)
        sections = {"inputs": ("inputs",), "outputs": ("outputs",)}.get(match.group(1), ("outputs", "inputs"))
        for section in sections:
            io = target.ios(section).get(match.group(2))
            if io is not None:
                self.io_use([*path, "value"], match, io)
                return

    def io_use(self, path: Path, match: re.Match[str], io: IODecl) -> None:
        self.occur(_name_range(self.value_node(path), match.group(2), match.start(2)), ("io", *io.path))

    # ------------------------------------------------------------------ templates
    def templates(self) -> None:
        for path, node in template_strings(self.root):
            op = self.owner_of(path)
            if op is None:
                continue
            self.template_uses(node, op)

    def owner_of(self, path: Path) -> ScopedOperation | None:
        for length in range(len(path), -1, -1):
            op = self.layer_owner.get(tuple(path[:length]))
            if op is not None:
                return op
        return None

    def template_uses(self, node: ScalarNode, op: ScopedOperation) -> None:
        scope = self.scopes.get(id(op), {})
        for chain in lex(node.value).chains:
            parts = chain.parts
            names = chain.names()
            head = names[0]
            if head in RUNTIME_HEADS or (head in ("params", "ops", "dag") and len(parts) < 2):
                continue
            if head == "params":
                self.occur(_token_range(node, parts[1]), scope.get(names[1]))
            elif head == "ops" and op.dag is not None and names[1] in op.dag.operations:
                target_path = op.dag.operations[names[1]]
                self.occur(_token_range(node, parts[1]), ("operation", *target_path))
                target = self.by_path.get(tuple(target_path))
                if target is not None and len(parts) >= 4 and names[2] in ("inputs", "outputs"):
                    io = target.ios(names[2]).get(names[3])
                    if io is not None:
                        self.occur(_token_range(node, parts[3]), ("io", *io.path))
            elif head == "dag" and op.dag is not None and len(parts) >= 3 and names[1] == "inputs":
                dag_input = op.dag.inputs.get(names[2])
                if dag_input is not None:
                    self.occur(_token_range(node, parts[2]), ("io", *dag_input.path))
            elif head not in ("params", "ops", "dag"):
                self.occur(_token_range(node, parts[0]), scope.get(head))


def _token_range(node: ScalarNode, token: Any) -> Range | None:
    start, end = (token.start + 1, token.end - 1) if token.kind == "string" else (token.start, token.end)
    return place(node, start, end) if end > start else None


def _pair_at(root: Node, path: Path) -> tuple[Node | None, Node | None]:
    """The (key node, value node) the whole `path` leads to; (None, None) where it leaves the tree."""
    key: Node | None = None
    current: Node = root
    for part in path:
        if isinstance(current, MappingNode):
            pair = current.get(part)
            if pair is None:
                return None, None
            key, current = pair
        elif isinstance(current, SequenceNode) and isinstance(part, int) and 0 <= part < len(current.items):
            key, current = None, current.items[part]
        else:
            return None, None
    return key, current


def template_strings(root: Node) -> Iterator[tuple[Path, ScalarNode]]:
    """Every string scalar value holding a template, with its path (each node once)."""
    stack: list[tuple[Path, Node, int]] = [([], root, 0)]
    visited: set[int] = set()
    while stack:
        path, node, depth = stack.pop()
        if id(node) in visited or depth > _MAX_DEPTH:
            continue
        visited.add(id(node))
        if isinstance(node, ScalarNode):
            if isinstance(node.value, str) and has_template(node.value):
                yield path, node
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.pairs):
                # the winning pair of each key only: a duplicated key's first value is not what Polyaxon reads
                if (
                    isinstance(key, ScalarNode)
                    and isinstance(key.value, (str, int))
                    and node.get(key.value) == (key, value)
                ):
                    stack.append(([*path, key.value], value, depth + 1))
        elif isinstance(node, SequenceNode):
            for index in range(len(node.items) - 1, -1, -1):
                stack.append(([*path, index], node.items[index], depth + 1))


def build(parsed: ParsedDocument) -> NameIndex:
    """The name index of a reading (empty when the text could not be read)."""
    root = parsed.root
    if root is None or not isinstance(root.value, dict):
        return NameIndex()
    try:
        return _Builder(root, operations(root.value)).build()
    except RecursionError:
        return NameIndex()

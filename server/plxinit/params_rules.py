"""Params and the matrix against the inputs they feed, per composed operation (scope.py).

What Polyaxon 2.18 checks (`validate_params`, `_flow/params/ops_params.py`, probed with the
oracle at the compose, check and resolve levels; tests/test_params_rules.py):

* an operation (a `kind: operation` file, a DAG node) must give every required input a param
  or a matrix param ("Input x is required, no param was passed."). A bare component file gets
  its params from `polyaxon check -P` or from the operations that run it: nothing is said there;
* a literal param value is parsed as its input's type and validated (io_values.py); a template
  (`{{ }}`) or `ref` value is not;
* an undeclared param is an error with `contextOnly: false`, or with `strictParams` unless it
  has `contextOnly: true`; otherwise Polyaxon keeps it silently as a context, which we warn about
  with a did-you-mean;
* the file's own `ref`s: `runs.<uuid>` only, since there is no DAG around it (DAG nodes' refs
  are dag_rules.py's);
* `toInit` needs a git, artifacts or dockerfile input, or a connection (resolve level);
* a matrix param feeds an input the param does not: range, linspace, logspace, geomspace and the
  distributions need an `int` or `float` input, daterange a `date`, datetimerange a `datetime`.
  Polyaxon never checks the rest, which we warn about: matrix names that are not inputs,
  choice/pchoice/mapping values against the input's type, a name in both `params` and the
  matrix (polyaxon/polyaxon#768), a hyperband `resource` that is not an input.

The file itself and the nodes of its DAG are errors where Polyaxon rejects; a nested DAG's nodes
are compiled only when their parent runs, so they are warnings, and values holding a template
there are left alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from .dag_rules import ref_grammar, value_grammar
from .diagnostics import Severity
from .findings import Finding
from .io_values import io_finding
from .messages import clip_message, yaml_text
from .scope import PARAM_TEMPLATE, IODecl, MatrixParam, ParamDecl, ScopedOperation, lax_bool, operations

Path = list[Any]

NUMERIC_KINDS = frozenset(
    {"range", "linspace", "logspace", "geomspace", "uniform", "quniform", "loguniform", "qloguniform"}
    | {"normal", "qnormal", "lognormal", "qlognormal"}
)
#: `V1Hp*.validate_io`: the input types each hyperparameter kind takes.
KIND_TYPES = {**dict.fromkeys(NUMERIC_KINDS, ("int", "float")), "daterange": ("date",), "datetimerange": ("datetime",)}
#: `ParamSpec.validate_to_init`: the types turned into an init container without a connection.
INIT_TYPES = frozenset({"git", "artifacts", "dockerfile"})
NESTED_NOTE = " Polyaxon checks a nested DAG's operations when they run, not when the file is checked."
NODE_INIT_NOTE = " Polyaxon checks this when the operation runs."


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and PARAM_TEMPLATE.search(value) is not None


def _who(op: ScopedOperation) -> str:
    if op.role == "file":
        return "this operation" if op.is_operation else "this component"
    return f"operation `{op.name}`" if isinstance(op.name, str) else "this operation"


def _nested(op: ScopedOperation) -> bool:
    return op.dag is not None and op.dag.nested


def _severity(op: ScopedOperation) -> Severity:
    return Severity.WARNING if _nested(op) else Severity.ERROR


def _error(op: ScopedOperation, path: Path, message: str, code: str, **extra: Any) -> Finding:
    """An error where Polyaxon rejects; a warning with a note inside a nested DAG."""
    note = NESTED_NOTE if _nested(op) else ""
    return Finding(path, clip_message(message + note), code, _severity(op), **extra)


def _warning(path: Path, message: str, code: str = "invalid-value", **extra: Any) -> Finding:
    return Finding(path, clip_message(message), code, Severity.WARNING, **extra)


def _declared_here(io: IODecl) -> tuple[tuple[Path, str], ...]:
    return ((io.path, f"{io.section[:-1]} `{io.name}` is declared here"),)


def _suggestion(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


# ---------------------------------------------------------------------- required inputs


def _anchor(op: ScopedOperation) -> tuple[Path, bool]:
    """Where to report what the operation lacks: its `params` key, its name, or its first key."""
    own = op.layers[-1][1]
    if "params" in own:
        return [*op.path, "params"], True
    if isinstance(own.get("name"), str):
        return [*op.path, "name"], False
    return ([*op.path, next(iter(own))], True) if own else (op.path, False)


def _required(op: ScopedOperation) -> Iterator[Finding]:
    given = set(op.params) | set(op.join_params)
    matrix_names = set(op.matrix.params) if op.matrix is not None else set()
    where, on_key = _anchor(op)
    for io in op.inputs.values():
        if io.name in given or io.name in matrix_names or io.is_optional or io.delay_validation:
            continue
        if op.matrix is not None and op.matrix.resource is not None and op.matrix.resource[0] == io.name:
            continue
        message = (
            f"The required input `{io.name}` gets no value: give {_who(op)} a param `{io.name}` "
            "(or a matrix param), or make the input optional."
        )
        yield _error(op, where, message, "required", on_key=on_key, related=_declared_here(io))
    if given or op.matrix is not None:
        return
    for io in op.outputs.values():
        if not io.is_optional and io.delay_validation is False:
            message = (
                f"The output `{io.name}` has `delayValidation: false`, so {_who(op)} must give it a param "
                f"`{io.name}` (or make it optional)."
            )
            yield _error(op, where, message, "required", on_key=on_key, related=_declared_here(io))


# ---------------------------------------------------------------------- values against types


def value_against(io: IODecl, value: Any) -> str | None:
    """Why Polyaxon rejects `value` for the input or output `io`, or None (io_values.py's model)."""
    found = io_finding({**io.io, "value": value}, [])
    return None if found is None else found.message


def _reworded(problem: str, io: IODecl, subject: str) -> str:
    """io_values' message about an IO's own value, said of the param or matrix value fed to it."""
    head = f"`{io.name}` has type"
    if problem.startswith(head):
        return f"{subject} feeds the {io.section[:-1]} `{io.name}` of type{problem[len(head) :]}"
    return f"{subject}: the {io.section[:-1]} {problem}"


def _param_values(op: ScopedOperation) -> Iterator[Finding]:
    for io in op.io_list:
        param = op.params.get(io.name)
        if param is None or param.ref is not None:
            continue
        value = param.value
        if value is None:
            if io.section == "inputs" and not io.is_optional:
                message = (
                    f"Param `{io.name}` has no value, and the input `{io.name}` is required: "
                    "give it a value or remove the param."
                )
                yield _error(op, param.path, message, "required", related=_declared_here(io))
            continue
        if _is_template(value):
            continue
        problem = value_against(io, value)
        if problem is not None:
            message = _reworded(problem, io, f"Param `{io.name}`")
            yield _error(op, param.value_path, message, "type", related=_declared_here(io))


# ---------------------------------------------------------------------- undeclared params


def _undeclared(op: ScopedOperation) -> Iterator[Finding]:
    """Params no input or output declares: errors when strict, else warnings (see _warns_on_names)."""
    declared = {io.name for io in op.io_list}
    names = sorted(declared)
    for param in op.params.values():
        if param.name in declared:
            continue
        context_only = param.context_only
        hint = _suggestion(param.name, names)
        if context_only is False:
            message = (
                f"Param `{param.name}` has `contextOnly: false`, so it needs an input or output named "
                f"`{param.name}`, and {_who(op)} declares none.{hint}"
            )
            yield _error(op, [*param.path, *_key_of(param, "contextOnly", "context_only")], message, "unknown-key")
        elif op.strict_params and context_only is not True:
            message = (
                f"Param `{param.name}` matches no input or output, which `strictParams` rejects: "
                f"declare it, or set `contextOnly: true` on it.{hint}"
            )
            yield _error(op, param.path, message, "unknown-key", on_key=True)
        elif context_only is not True and _warns_on_names(op):
            message = (
                f"Param `{param.name}` matches no input or output of {_who(op)}: Polyaxon keeps it as a "
                f"context value without checking it.{hint or ' Declare it, or set `contextOnly: true`.'}"
            )
            yield _warning(param.path, message, "unknown-key", on_key=True)


def _warns_on_names(op: ScopedOperation) -> bool:
    """Whether a name no IO declares is surely a slip: only in an operation that declares some IO.

    In a component file, the operations that run it may declare more inputs (an operation's
    `inputs` are merged with its component's); with no IO at all, the params and matrix params
    are context values for templates, which Polyaxon supports. A warning there would be noise.
    """
    return op.is_operation and bool(op.io_list)


def _key_of(param: ParamDecl, camel: str, snake: str) -> Path:
    if isinstance(param.raw, dict):
        return [camel] if camel in param.raw else [snake]
    return []


# ---------------------------------------------------------------------- the file's refs


def _file_refs(op: ScopedOperation) -> Iterator[Finding]:
    """Refs of the file's own params (`get_spec`, then `validate_ref` for declared ones).

    No DAG surrounds the file, so a declared param's `ops.<name>` or `dag` ref reaches nothing;
    Polyaxon does not look at an undeclared (context) param's target, nor at a template value.
    """
    declared = {io.name for io in op.io_list}
    for param in op.params.values():
        ref, value = param.ref, param.value
        if ref == "":
            message = f"Param `{param.name}`: `ref` is empty; write `runs.<uuid>`, or remove it."
            yield _error(op, [*param.path, "ref"], message, "invalid-value")
            continue
        if not isinstance(ref, str) or not isinstance(value, str):
            continue  # the schema says a ref needs a string value
        problem = value_grammar(value, ref)
        if problem is not None:
            yield _error(op, [*param.path, "value"], f"Param `{param.name}`: {problem}", "invalid-value")
            continue
        problem = ref_grammar(ref)
        if problem is not None:
            yield _error(op, [*param.path, "ref"], f"Param `{param.name}`: {problem}", "invalid-value")
            continue
        if ref.split(".")[0] in ("ops", "dag") and param.name in declared and not _is_template(value):
            message = (
                f"Param `{param.name}`: `ref: {ref}` reaches nothing here: `ops.<name>` and `dag` refer to "
                "a DAG's operations, and this file is not inside a DAG. Use `runs.<uuid>` or a value."
            )
            yield _error(op, [*param.path, "ref"], message, "unknown-reference")


# ---------------------------------------------------------------------- toInit


def _init_flags(op: ScopedOperation) -> Iterator[tuple[str, Path, Any, Any, IODecl | None]]:
    """(name, where toInit is, the type, the connection, the input) for each param turned to init."""
    ios = {io.name: io for io in op.io_list}
    own = [*op.path, "params"]
    for param in op.params.values():
        io = ios.get(param.name)
        # The agent turns the operation's own params to init containers: a component's
        # params (a component file's, or under an operation) are not looked at (probed).
        if param.to_init and op.is_operation and param.path[: len(own)] == own:
            connection = param.get("connection") or (io.io.get("connection") if io else None)
            yield param.name, [*param.path, *_key_of(param, "toInit", "to_init")], io and io.type, connection, io
    for io in op.io_list:
        flag = lax_bool(io.io.get("toInit", io.io.get("to_init")))
        if flag and io.name not in op.params:
            key = "toInit" if "toInit" in io.io else "to_init"
            yield io.name, [*io.path, key], io.type, io.io.get("connection"), io


def _to_init(op: ScopedOperation) -> Iterator[Finding]:
    """`validate_to_init`, which runs when the operation is resolved (a DAG node: when it runs)."""
    for name, where, type_, connection, io in _init_flags(op):
        if connection or type_ in INIT_TYPES:
            continue
        if io is None or not type_:
            problem = f"`{name}` has `toInit`, but no input or output with a type declares `{name}`"
        else:
            problem = f"`{name}` has `toInit`, but its type `{yaml_text(type_, 40)}` cannot become an init container"
        message = f"{problem}: use a git, artifacts or dockerfile input, or give it a `connection`."
        related = _declared_here(io) if io is not None else ()
        if op.role == "file":
            yield Finding(where, clip_message(message), "invalid-value", Severity.ERROR, related=related)
        else:
            yield _warning(where, message + NODE_INIT_NOTE, related=related)


# ---------------------------------------------------------------------- the matrix


def _hp_values(hp: MatrixParam) -> list[tuple[Path, Any]]:
    """The values a choice or pchoice can give, with where each is."""
    if not isinstance(hp.hp, dict) or not isinstance(hp.hp.get("value"), list):
        return []
    values = hp.hp["value"]
    if hp.kind == "choice":
        return [([*hp.path, "value", index], item) for index, item in enumerate(values)]
    if hp.kind == "pchoice":
        return [
            ([*hp.path, "value", index, 0], item[0])
            for index, item in enumerate(values)
            if isinstance(item, list) and len(item) == 2
        ]
    return []


def _matrix_kind(op: ScopedOperation, io: IODecl, hp: MatrixParam) -> Iterator[Finding]:
    wanted = KIND_TYPES.get(hp.kind) if isinstance(hp.kind, str) else None
    if wanted is None or io.type in wanted:
        return
    types = " or ".join(f"`{name}`" for name in wanted)
    message = (
        f"Matrix param `{hp.name}` is a `{hp.kind}`, which needs an input of type {types}, "
        f"but the input `{io.name}` has type `{yaml_text(io.type, 40)}`."
    )
    yield _error(op, [*hp.path, "kind"], message, "type", related=_declared_here(io))


def _matrix_values(io: IODecl, hp: MatrixParam) -> Iterator[Finding]:
    for where, value in _hp_values(hp):
        if _is_template(value):
            continue
        problem = value_against(io, value)
        if problem is not None:
            message = _reworded(problem, io, "This matrix value") + " Polyaxon does not check matrix values."
            yield _warning(where, message, "type", related=_declared_here(io))


def _mapping_values(io: IODecl, hp: MatrixParam, op: ScopedOperation) -> Iterator[Finding]:
    for where, value in _mapping_items(op):
        if hp.name != where[-1] or _is_template(value):
            continue
        problem = value_against(io, value)
        if problem is not None:
            message = _reworded(problem, io, "This mapping value") + " Polyaxon does not check mapping values."
            yield _warning(where, message, "type", related=_declared_here(io))


def _mapping_items(op: ScopedOperation) -> list[tuple[Path, Any]]:
    """Every (path, value) of a mapping matrix's `values`, whatever the key."""
    if op.matrix is None:
        return []
    for path, layer in op.layers:
        if [*path, "matrix"] == op.matrix.path:
            values = layer["matrix"].get("values")
            return [
                ([*op.matrix.path, "values", index, name], value)
                for index, item in enumerate(values if isinstance(values, list) else [])
                if isinstance(item, dict)
                for name, value in item.items()
            ]
    return []


def _matrix(op: ScopedOperation) -> Iterator[Finding]:
    matrix = op.matrix
    if matrix is None:
        return
    inputs = op.inputs
    names = sorted(inputs)
    for hp in matrix.params.values():
        io = inputs.get(hp.name)
        if io is None:
            if not _warns_on_names(op):
                continue
            what = "key" if matrix.kind == "mapping" else "param"
            message = (
                f"Matrix {what} `{hp.name}` is not an input of {_who(op)}: Polyaxon passes it as a "
                f"context value that nothing declares.{_suggestion(hp.name, names)}"
            )
            yield _warning(hp.path, message, "unknown-key", on_key=True)
            continue
        if hp.name in op.params:
            message = (
                f"`{hp.name}` is given both in `params` and by the matrix: Polyaxon accepts both without "
                "saying which one a run gets (polyaxon/polyaxon#768). Remove one of them."
            )
            related = ((op.params[hp.name].path, f"param `{hp.name}` is given here"),)
            yield _warning(hp.path, message, "invalid-value", on_key=True, related=related)
            continue
        if matrix.kind == "mapping":
            yield from _mapping_values(io, hp, op)
            continue
        yield from _matrix_kind(op, io, hp)
        yield from _matrix_values(io, hp)
    if matrix.resource is not None and matrix.resource[0] not in inputs:
        name, where = matrix.resource
        message = (
            f"The matrix's resource `{name}` is not an input of {_who(op)}: the budget it sets reaches "
            f"no input.{_suggestion(name, names)}"
        )
        yield _warning(where, message, "unknown-key")


# ---------------------------------------------------------------------- the document


def _checks(op: ScopedOperation) -> Iterator[Finding]:
    if op.role == "file":
        yield from _file_refs(op)
    if not op.resolved:
        return
    if op.is_operation:
        yield from _required(op)
    yield from _param_values(op)
    yield from _undeclared(op)
    yield from _to_init(op)
    yield from _matrix(op)


def params_findings(value: Any) -> Iterator[Finding]:
    """Every params and matrix finding of the document, operation by operation."""
    try:
        found = [finding for op in operations(value) if op.composed for finding in _checks(op)]
    except RecursionError:
        return
    yield from found

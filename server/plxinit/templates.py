"""`{{ ... }}` and `{% ... %}` templates, checked statically the way Polyaxon 2.18 renders them.

Polyaxon renders each string of the sections it resolves with an unsandboxed
`jinja2.Environment()` and the default `Undefined` (`_polyaxonfile/specs/libs/engine.py`),
when the agent compiles a run (`_compiler/resolver`), never at `polyaxon check`. What it does,
probed with the oracle at the resolve level (tests/test_templates.py):

* Rendered: an operation's inputs and outputs (every field; `argFormat` apart, with only its
  own input in scope), its param values, the sections of `Sections.PARSING_SECTIONS` (queue,
  namespace, presets, cost, isApproved, termination, plugins, schedule, matrix, ...) and then
  `run` (with `runPatch` and the root shortcuts patched in), keys included. Not rendered at
  that point: name, description, tags, hooks, events, joins, build. A DAG's own sections are
  never rendered: each node is compiled later as its own run, in its own scope (D18, D21),
  and a matrix run's `run` is rendered per trial, with the matrix params given.
* A syntax error, an unknown filter or test, or a loader tag (`include`, `import`,
  `extends`) fails the rendering: an error.
* An undefined name renders as "" (a warning, it is surely a mistake) but fails as soon as it
  is used: an attribute, a subscript, a call, arithmetic, an ordering comparison, or a filter
  or test that needs a value (`int`, `round`, `even`, ...): an error.
* `params` holds the operation's inputs, outputs and params (each a dict: value, as_str,
  as_arg, connection, type) and `as_args`; `globals` a fixed set of keys. There is no
  `inputs` or `outputs` namespace.

Jinja2 itself parses (the grammar and the error messages are exactly Polyaxon's), imported
only when a document holds a template. Jinja's nodes carry line numbers only, so a small
tokenizer of the template text finds each name's character span.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Severity
from .findings import Finding
from .scope import GLOBAL_KEYS, PARAM_TEMPLATE, ScopedOperation, field_of, lax_bool, operations
from .template_lex import Token, lex

# ---------------------------------------------------------------------- what Polyaxon renders

#: `Sections.PARSING_SECTIONS`, as the compiled operation's fields (aliases and field names).
OPERATION_SECTIONS = (
    "isApproved",
    "is_approved",
    "matrix",
    "presets",
    "cost",
    "queue",
    "cache",
    "connections",
    "plugins",
    "namespace",
    "termination",
    "schedule",
    "dependencies",
    "trigger",
    "conditions",
    "mount",
    "skipOnUpstreamSkip",
    "skip_on_upstream_skip",
)
#: Keys patched into `run` before it is rendered: runPatch and the root shortcuts (`apply_shortcuts`).
RUN_SECTIONS = ("run", "runPatch", "run_patch", "container", "cmd", "env", "ports", "resources")
#: What `params.<name>` holds (`ParamSpec.to_parsed_param`).
PARAM_FIELDS = ("value", "as_str", "as_arg", "connection", "type")

#: What a printed `{{ params.x }}` does, in its message.
WHOLE_PARAM = "prints the whole param"

#: How a printed param renders: its dict's repr (the fields' values do not matter to the schema).
PARAM_REPR = "{'connection': None, 'value': None, 'type': None, 'as_str': None, 'as_arg': None}"
#: Names `jinja2.Environment()` defines for every template.
JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace"})
#: Filters and tests that raise on an undefined value when called without arguments (probed).
FILTERS_NEEDING_A_VALUE = frozenset(
    {"abs", "dictsort", "filesizeformat", "float", "indent", "int", "round", "tojson", "wordwrap", "xmlattr"}
)
TESTS_NEEDING_A_VALUE = frozenset({"even", "odd"})
#: Attributes of a dict: `params.x.items` is a method, not an undefined field.
DICT_ATTRIBUTES = frozenset(name for name in dir(dict) if not name.startswith("_"))
ISSUE_1540 = "polyaxon/polyaxon#1540"
_MAX_DEPTH = 200
_MAX_TEMPLATE = 100_000  # longer strings are checked for syntax only if at all: see _template_text


@dataclass(frozen=True)
class Scope:
    """The names a template sees where it is rendered.

    `names` are the bare names (inputs, outputs, params, join and, in `run`, matrix params);
    `params` the keys of `params` (None where `params` is not defined, in `argFormat`);
    `globals_keys` those of `globals` (None where it is not defined); `runtime` whether
    `connections` and `init` are defined (in `run` only). `where` names the place for messages.
    """

    names: frozenset[str]
    params: frozenset[str] | None
    globals_keys: frozenset[str] | None
    runtime: bool
    where: str = ""

    def defines(self, name: str) -> bool:
        if name in self.names or name in JINJA_GLOBALS:
            return True
        if name == "params":
            return self.params is not None
        if name == "globals":
            return self.globals_keys is not None
        return self.runtime and name in ("connections", "init")

    def defines_as_name(self, name: str) -> bool:
        """Whether the operation itself declares `name` (an input called `params` shadows the namespace)."""
        return name in self.names


@dataclass(frozen=True)
class Problem:
    """One finding inside a template: offsets in the template text, or None for the whole string."""

    span: tuple[int, int] | None
    message: str
    code: str
    severity: Severity
    renders_as: str | None = None  # what the block holding it renders as, when that is known


# ---------------------------------------------------------------------- the document's templates


def template_findings(value: Any) -> Iterator[Finding]:
    """Every template problem of a loaded document, at the offending name inside its string."""
    if not isinstance(value, dict) or not _holds_template(value):
        return
    jinja = _jinja()
    if jinja is None:
        return
    seen: set[tuple[Any, ...]] = set()
    for path, text, on_key, scope in _rendered_strings(value):
        for problem in check_template(text, scope):
            key = (tuple(map(str, path)), on_key, problem.span, problem.message)
            if key in seen:
                continue
            seen.add(key)
            yield Finding(
                path,
                problem.message,
                problem.code,
                problem.severity,
                on_key=on_key,
                span=problem.span,
                renders_as=problem.renders_as,
            )


def _holds_template(value: Any) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "{{" in item or "{%" in item:
                return True
        elif depth < _MAX_DEPTH and isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item if isinstance(k, str))
            stack.extend((v, depth + 1) for v in item.values())
        elif depth < _MAX_DEPTH and isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def statically_scoped(document: dict[str, Any]) -> bool:
    """Whether the file's own operation is composed as written (not a preset or compiled op)."""
    if document.get("kind") == "compiled_operation":
        return False
    if lax_bool(field_of(document, "isPreset", "is_preset")[1]):
        return False
    if "kind" in document:
        return True
    run = document.get("run")
    return (isinstance(run, dict) and "kind" in run) or isinstance(document.get("component"), dict)


def _rendered_strings(document: dict[str, Any]) -> Iterator[tuple[list[Any], str, bool, Scope | None]]:
    """(path, text, is a key, scope) of every string Polyaxon renders; scope None when unknown."""
    known = statically_scoped(document)
    for operation in operations(document):
        if operation.run_kind == "dag" and operation.resolved:
            continue  # a pipeline renders nothing itself; its nodes are runs of their own
        scopes = _scopes(operation) if known and operation.resolved else None
        for layer_path, layer in operation.layers:
            yield from _layer_strings(layer_path, layer, operation, scopes)


def _layer_strings(
    path: list[Any], layer: dict[str, Any], operation: ScopedOperation, scopes: tuple[Scope, Scope] | None
) -> Iterator[tuple[list[Any], str, bool, Scope | None]]:
    sections, run = scopes if scopes is not None else (None, None)
    for section in ("inputs", "outputs"):
        ios = layer.get(section)
        for index, io in enumerate(ios if isinstance(ios, list) else []):
            if isinstance(io, dict):
                yield from _io_strings([*path, section, index], io, sections, scopes is None)
    if layer is operation.layers[-1][1] and operation.is_operation:
        params = layer.get("params")
        for name, param in params.items() if isinstance(params, dict) else []:
            if isinstance(param, dict) and "ref" in param:
                continue
            value = param.get("value") if isinstance(param, dict) else param
            if operation.role == "dag-node" and isinstance(value, str) and PARAM_TEMPLATE.search(value):
                continue  # a template ref (`{{ ops.a.outputs.x }}`): the pipeline resolves it, not Jinja
            yield from _strings([*path, "params", name], param, sections)
    for key in OPERATION_SECTIONS:
        # A pipeline reads its nodes' dependencies as written (dag_rules.py reports a template there).
        if key == "dependencies" and operation.role == "dag-node":
            continue
        if key in layer:
            yield from _strings([*path, key], layer[key], sections)
    for key in RUN_SECTIONS:
        if key in layer:
            yield from _strings([*path, key], layer[key], run)


def _io_strings(
    path: list[Any], io: dict[str, Any], scope: Scope | None, unknown: bool
) -> Iterator[tuple[list[Any], str, bool, Scope | None]]:
    for key, item in io.items():
        if key in ("argFormat", "arg_format"):
            own = io.get("name")
            if isinstance(item, str) and isinstance(own, str):
                yield [*path, key], item, False, None if unknown else _arg_format_scope(own)
        elif isinstance(item, str):  # most fields are scalars: spared a walk of their own
            if "{{" in item or "{%" in item:
                yield [*path, key], item, False, scope
        elif isinstance(item, (dict, list)):
            yield from _strings([*path, key], item, scope)


def _strings(path: list[Any], value: Any, scope: Scope | None) -> Iterator[tuple[list[Any], str, bool, Scope | None]]:
    """The strings of a value that hold a template, keys included, depth-first (iteratively: any
    nesting is safe). Most strings hold none (check_template has nothing to say of them), so a
    string's path is built only when it does: the walk keeps each one as a trail (parent trail, key)."""
    stack: list[tuple[Any, Any, int]] = [(None, value, 0)]
    while stack:
        trail, item, depth = stack.pop()
        if isinstance(item, str):
            if "{{" in item or "{%" in item:
                yield _path(path, trail), item, False, scope
        elif depth >= _MAX_DEPTH:
            continue
        elif isinstance(item, dict):
            for name in reversed(list(item)):
                if isinstance(name, str):
                    stack.append(((trail, name), item[name], depth + 1))
            for name in item:
                if isinstance(name, str) and ("{{" in name or "{%" in name):
                    yield _path(path, (trail, name)), name, True, scope
        elif isinstance(item, list):
            stack.extend(((trail, index), item[index], depth + 1) for index in reversed(range(len(item))))


def _path(base: list[Any], trail: Any) -> list[Any]:
    """`base` followed by the keys of a trail of (parent trail, key) pairs, outermost first."""
    keys = []
    while trail is not None:
        trail, key = trail
        keys.append(key)
    return [*base, *reversed(keys)]


# ---------------------------------------------------------------------- scopes


def _in_param_spec(operation: ScopedOperation) -> frozenset[str]:
    """The names `validate_params` turns into param specs: what a template sees outside `run`.

    An input covered only by the matrix gets no spec (each trial gives it as a param); an
    output with `delayValidation: false` and no param gets none either.
    """
    given = set(operation.params) | set(operation.join_params)
    matrix = set(operation.matrix.params) if operation.matrix is not None else set()
    names = set(given)
    for io in operation.io_list:
        if io.name in given:
            continue
        if io.section == "inputs" and io.name in matrix:
            continue
        if io.section == "outputs" and io.delay_validation is False:
            continue
        names.add(io.name)
    return frozenset(names)


def _scopes(operation: ScopedOperation) -> tuple[Scope, Scope]:
    """The scope of the operation sections, and that of `run` (matrix params given, runtime namespaces)."""
    names = _in_param_spec(operation)
    globals_keys = operation.globals_keys()
    sections = Scope(names, names, frozenset(GLOBAL_KEYS), False)
    matrix = frozenset(operation.matrix.params) if operation.matrix is not None else frozenset()
    run = Scope(names | matrix, names | matrix, globals_keys, True)
    return sections, run


def _arg_format_scope(own: str) -> Scope:
    """`ParamSpec.as_arg` renders `argFormat` with `{name: value}` only."""
    return Scope(frozenset({own}), None, None, False, where=f"`argFormat` of `{own}`")


# ---------------------------------------------------------------------- one template


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover - a dependency; without it templates are not checked
        return None
    return jinja2


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """Polyaxon's engine: a default Environment with its one extra filter (`get_engine`)."""
    jinja2 = _jinja()
    environment = jinja2.Environment()
    environment.filters["map_format"] = lambda value, pattern, variable_name=None: value
    return environment


@dataclass(frozen=True)
class _Parsed:
    """A template read by Jinja: its tree and the names it reads from the context, or its error."""

    tree: Any = None
    context_names: frozenset[str] = frozenset()
    error: tuple[str, int] | None = None  # (Jinja's message, its 1-based line)


#: Nodes whose code generation Jinja checks beyond names (duplicate blocks, `caller`, loop targets).
_CODEGEN_CHECKED = ("Block", "Extends", "Macro", "CallBlock", "For", "Filter", "Test", "FilterBlock")


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> _Parsed:
    jinja2 = _jinja()
    environment = _environment()
    try:
        tree = environment.parse(text)
        if _needs_codegen(tree, environment):
            environment.compile(tree, raw=True)
        from jinja2 import meta

        return _Parsed(tree, frozenset(meta.find_undeclared_variables(tree)))
    except jinja2.TemplateSyntaxError as error:  # TemplateAssertionError included
        return _Parsed(error=(str(error.message or error), error.lineno or 1))
    except (RecursionError, MemoryError):
        return _Parsed(error=("the template is nested too deeply to render", 1))
    except Exception:  # any other failure of Jinja itself: say nothing rather than guess
        return _Parsed()


def _needs_codegen(tree: Any, environment: Any) -> bool:
    from jinja2 import nodes

    for node in tree.find_all(tuple(getattr(nodes, name) for name in _CODEGEN_CHECKED)):
        if isinstance(node, nodes.Filter) and node.name in environment.filters:
            continue
        if isinstance(node, nodes.Test) and node.name in environment.tests:
            continue
        return True
    return False


def check_template(text: str, scope: Scope | None) -> tuple[Problem, ...]:
    """The problems of one string Polyaxon renders; scope None checks only what needs no names."""
    if "{{" not in text and "{%" not in text:
        return ()  # render_template returns such strings untouched
    try:
        return _check(text, scope)
    except (RecursionError, MemoryError):
        return ()


@functools.lru_cache(maxsize=8192)
def _check(text: str, scope: Scope | None) -> tuple[Problem, ...]:
    parsed = _parse(text)
    tokens = _Tokens(text)
    if parsed.error is not None:
        return (_syntax_problem(parsed.error, tokens),)
    if parsed.tree is None:
        return ()
    return tuple(_Walker(parsed, scope, tokens).run())


def _syntax_problem(error: tuple[str, int], tokens: _Tokens) -> Problem:
    message, line = error
    filter_name = re.match(r"No (filter|test) named '([^']*)'\.", message)
    if filter_name is not None:
        kind, name = filter_name.groups()
        known = _environment().filters if kind == "filter" else _environment().tests
        text = f"Unknown template {kind} `{name}`: Polyaxon fails to render this template.{_did_you_mean(name, known)}"
        span = tokens.filter_span(name, line, kind) or tokens.block_span(line)
        return Problem(span, text, "template-syntax", Severity.ERROR)
    # Jinja quotes tokens the Python way ('}'); messages here quote with backticks.
    quoted = re.sub(r"'([^']*)'", r"`\1`", message.rstrip("."))
    text = f"Template syntax error: {quoted}. Polyaxon fails to render this template."
    return Problem(tokens.block_span(line), text, "template-syntax", Severity.ERROR)


def _did_you_mean(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, sorted(str(c) for c in candidates), n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


# ---------------------------------------------------------------------- the tree walk

#: What a parent does with a child's value when that fails on an undefined one, for messages.
_STRICT_BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/", "floordiv": "//", "mod": "%", "pow": "**"}
_STRICT_COMPARE = {"lt": "<", "lteq": "<=", "gt": ">", "gteq": ">="}


class _Walker:
    """Walks one template's tree in source order, with what each node's parent does with its value."""

    def __init__(self, parsed: _Parsed, scope: Scope | None, tokens: _Tokens) -> None:
        from jinja2 import nodes

        self.nodes = nodes
        self.parsed = parsed
        self.scope = scope
        self.tokens = tokens
        self.occurrence: dict[int, int] = {}
        self.parent_attr: dict[int, str] = {}  # a node read as `node.attr`: attr, for messages
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        counts: dict[tuple[int, str], int] = {}
        order = list(self._source_order(self.parsed.tree))
        for node, _, _ in order:
            if isinstance(node, self.nodes.Name):
                key = (node.lineno, node.name)
                self.occurrence[id(node)] = counts.get(key, 0)
                counts[key] = counts.get(key, 0) + 1
        skipped: set[int] = set()
        for node, use, soft in order:
            if id(node) in skipped:
                continue
            if self._judge(node, use, soft):
                skipped.update(id(child) for child in node.find_all(self.nodes.Node))
        return self.problems

    def _source_order(self, tree: Any) -> Iterator[tuple[Any, str | None, bool]]:
        """(node, what its parent does with it, whether inside an if/else), pre-order, in source order."""
        stack: list[tuple[Any, str | None, bool]] = [(tree, None, False)]
        while stack:
            node, use, soft = stack.pop()
            yield node, use, soft
            children = list(self._children(node, soft))
            stack.extend(reversed(children))

    def _children(self, node: Any, soft: bool) -> Iterator[tuple[Any, str | None, bool]]:
        n = self.nodes
        if isinstance(node, n.CondExpr):
            yield from ((child, None, True) for child in (node.expr1, node.test, node.expr2) if child is not None)
        elif isinstance(node, n.If):
            for child in node.iter_child_nodes():
                yield child, None, True
        elif isinstance(node, n.For):
            for child in (node.target, node.iter, node.test, *node.body, *node.else_):
                if child is not None:
                    yield child, None, False
        elif isinstance(node, n.Getattr):
            self.parent_attr[id(node.node)] = node.attr
            yield node.node, "dunder" if _is_dunder(node.attr) else f"reading `.{node.attr}` from it", soft
        elif isinstance(node, n.Getitem):
            yield node.node, "subscripting it", soft
            yield node.arg, None, soft
        elif isinstance(node, n.Call):
            yield node.node, "calling it", soft
            for child in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
                if child is not None:
                    yield child, None, soft
        elif isinstance(node, n.BinExpr) and node.operator in _STRICT_BINARY.values():
            yield node.left, f"`{node.operator}` on it", soft
            yield node.right, f"`{node.operator}` on it", soft
        elif isinstance(node, n.UnaryExpr) and node.operator in ("+", "-"):
            yield node.node, f"unary `{node.operator}` on it", soft
        elif isinstance(node, n.Compare):
            first = node.ops[0].op if node.ops else None
            yield node.expr, f"`{_STRICT_COMPARE[first]}` on it" if first in _STRICT_COMPARE else None, soft
            for index, operand in enumerate(node.ops):
                strict = index == 0 and operand.op in _STRICT_COMPARE
                yield operand.expr, f"`{_STRICT_COMPARE[operand.op]}` on it" if strict else None, soft
        elif isinstance(node, (n.Filter, n.Test)):
            table = FILTERS_NEEDING_A_VALUE if isinstance(node, n.Filter) else TESTS_NEEDING_A_VALUE
            bare = not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
            kind = "filter" if isinstance(node, n.Filter) else "test"
            if node.node is not None:
                yield node.node, f"the `{node.name}` {kind} on it" if bare and node.name in table else None, soft
            for child in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
                if child is not None:
                    yield child, None, soft
        else:
            for child in node.iter_child_nodes():
                yield child, None, soft

    # -- judging one node

    def _judge(self, node: Any, use: str | None, soft: bool) -> bool:
        """Record the node's problems; True when its subtree is explained (not walked further)."""
        n = self.nodes
        if isinstance(node, n.Getattr) and _is_dunder(node.attr):
            if not _has_dunder(node.node, n):
                self._unsafe(node.attr, self._attr_span(node))
            return False
        if isinstance(node, (n.Filter, n.Test)) and not self._known(node):
            kind = "filter" if isinstance(node, n.Filter) else "test"
            known = _environment().filters if kind == "filter" else _environment().tests
            self._add(
                self.tokens.filter_span(node.name, node.lineno, kind),
                f"Unknown template {kind} `{node.name}`: Polyaxon fails to render this template when this "
                f"branch is rendered.{_did_you_mean(node.name, known)}",
                "template-syntax",
                Severity.WARNING,
            )
            return False
        if isinstance(node, (n.Include, n.Import, n.FromImport, n.Extends)):
            self._add(
                self.tokens.block_span(node.lineno),
                "Templates cannot include, import or extend other templates: Polyaxon renders each string on "
                "its own, without a template loader, and fails (no loader for this environment specified).",
                "template-syntax",
                Severity.WARNING if soft else Severity.ERROR,
            )
            return True
        if self.scope is None:
            return False
        if isinstance(node, n.Output):
            for printed in node.nodes:
                self._judge_printed_param(printed)
        return self._judge_name(node, use)

    def _known(self, node: Any) -> bool:
        table = _environment().filters if isinstance(node, self.nodes.Filter) else _environment().tests
        return node.name in table

    def _judge_name(self, node: Any, use: str | None) -> bool:
        n = self.nodes
        scope = self.scope
        assert scope is not None
        strict = use is not None and use != "dunder"
        if isinstance(node, n.Name) and node.ctx == "load" and node.name in self.parsed.context_names:
            if not scope.defines(node.name):
                self._undeclared(node, use if strict else None)
            return False
        head = node.node if isinstance(node, (n.Getattr, n.Getitem)) else None
        attr = _attribute(node, n)
        if attr is None or not isinstance(head, n.Name) or head.name not in self.parsed.context_names:
            return self._judge_param_field(node, use if strict else None)
        if attr in DICT_ATTRIBUTES or scope.defines_as_name(head.name):
            return False
        if head.name == "params" and scope.params is not None and attr not in scope.params and attr != "as_args":
            self._param(node, attr, use if strict else None)
            return True
        if head.name == "globals" and scope.globals_keys is not None and attr not in scope.globals_keys:
            self._global(node, attr, use if strict else None)
            return True
        return False

    def _judge_printed_param(self, node: Any) -> None:
        """`{{ params.x }}` printed as it is: the param's dict, not its value (probed: the args
        of a resolved run get "{'connection': None, 'value': 1000, 'type': 'int', ...}")."""
        n = self.nodes
        scope = self.scope
        assert scope is not None
        head = node.node if isinstance(node, (n.Getattr, n.Getitem)) else None
        attr = _attribute(node, n)
        if not isinstance(head, n.Name) or head.name != "params" or attr is None or scope.params is None:
            return
        if "params" not in self.parsed.context_names or scope.defines_as_name("params") or attr not in scope.params:
            return
        self._add(
            self._attr_span(node),
            f"`{{{{ params.{attr} }}}}` {WHOLE_PARAM}, a dict (`{{'value': ..., 'as_str': ...}}`), not its value: "
            f"write `params.{attr}.value`, or `{attr}`.",
            "template-name",
            Severity.WARNING,
            PARAM_REPR,
        )

    def _judge_param_field(self, node: Any, use: str | None) -> bool:
        """`params.x.nope`: a declared param's dict has only PARAM_FIELDS."""
        n = self.nodes
        scope = self.scope
        assert scope is not None
        field = _attribute(node, n)
        inner = node.node if isinstance(node, (n.Getattr, n.Getitem)) else None
        name = _attribute(inner, n) if inner is not None else None
        if inner is None or field is None or name is None or scope.params is None or scope.defines_as_name("params"):
            return False
        top = inner.node
        if not (isinstance(top, n.Name) and top.name == "params" and "params" in self.parsed.context_names):
            return False
        if name not in scope.params or field in PARAM_FIELDS or field in DICT_ATTRIBUTES or _is_dunder(field):
            return False
        fields = ", ".join(f"`{f}`" for f in PARAM_FIELDS)
        tail = self._consequence(f"`params.{name}.{field}`", use)
        self._add(
            self._attr_span(node),
            f"`params.{name}` has no field `{field}` (its fields are {fields}), so {tail}"
            f"{_did_you_mean(field, PARAM_FIELDS)}",
            "template-name",
            Severity.ERROR if use else Severity.WARNING,
            None if use else "",
        )
        return True

    # -- the problems

    def _consequence(self, what: str, use: str | None) -> str:
        if use is None:
            return f"{what} renders as an empty string."
        return f"{use} fails when Polyaxon renders the template."

    def _undeclared(self, node: Any, use: str | None) -> None:
        scope = self.scope
        assert scope is not None
        span = self.tokens.name_span(node.name, node.lineno, self.occurrence.get(id(node), 0))
        if scope.where:
            message = (
                f"In the {scope.where}, a template sees only that input: `{node.name}` is undefined there, "
                f"so {self._consequence(f'`{node.name}`', use)}"
            )
        elif node.name in ("inputs", "outputs"):
            io = self.parent_attr.get(id(node), "x")
            message = (
                f"`{node.name}` is not a template namespace in Polyaxon: write `{{{{ {io} }}}}` or "
                f"`{{{{ params.{io}.value }}}}`; {self._consequence(f'`{node.name}`', use)}"
            )
        else:
            message = (
                f"`{node.name}` is not declared: no input, output or param of this operation has that name, so "
                f"{self._consequence(f'`{node.name}`', use)}{_did_you_mean(node.name, scope.names)}"
            )
        self._name_problem(span, message, use)

    def _param(self, node: Any, attr: str, use: str | None) -> None:
        scope = self.scope
        assert scope is not None and scope.params is not None
        message = (
            f"`params.{attr}` is not declared: `params` holds only this operation's inputs, outputs and params, "
            f"so {self._consequence(f'`params.{attr}`', use)}{_did_you_mean(attr, scope.params)}"
        )
        self._name_problem(self._attr_span(node), message, use)

    def _global(self, node: Any, attr: str, use: str | None) -> None:
        scope = self.scope
        assert scope is not None and scope.globals_keys is not None
        message = (
            f"`globals.{attr}` is not a key of `globals`, so {self._consequence(f'`globals.{attr}`', use)}"
            f"{_did_you_mean(attr, scope.globals_keys)}"
        )
        self._name_problem(self._attr_span(node), message, use)

    def _unsafe(self, attr: str, span: tuple[int, int] | None) -> None:
        self._add(
            span,
            f"`{attr}` reaches Python internals: Polyaxon renders templates with an unsandboxed Jinja2 "
            f"({ISSUE_1540}), so such a template can run code where it is rendered.",
            "template-unsafe",
            Severity.WARNING,
        )

    def _name_problem(self, span: tuple[int, int] | None, message: str, use: str | None) -> None:
        """A name that is not there: an error where its value is used, else it renders as ""."""
        if not use:
            self._add(span, message, "template-name", Severity.WARNING, renders_as="")
        else:
            self._add(span, message, "template-name", Severity.ERROR)

    def _add(
        self, span: tuple[int, int] | None, message: str, code: str, severity: Severity, renders_as: str | None = None
    ) -> None:
        self.problems.append(Problem(span, message, code, severity, renders_as))

    def _attr_span(self, node: Any) -> tuple[int, int] | None:
        """The span of the last attribute of a `name.a.b` or `name['a']` chain."""
        n = self.nodes
        chain: list[str] = []
        head = node
        while isinstance(head, (n.Getattr, n.Getitem)):
            attr = _attribute(head, n)
            if attr is None:
                return None
            chain.append(attr)
            head = head.node
        if not isinstance(head, n.Name):
            return self.tokens.attribute_after(chain[0], node.lineno) if chain else None
        return self.tokens.chain_span(head.name, head.lineno, self.occurrence.get(id(head), 0), chain[::-1])


def _is_dunder(attr: str) -> bool:
    return len(attr) > 4 and attr.startswith("__") and attr.endswith("__")


def _has_dunder(node: Any, n: Any) -> bool:
    while isinstance(node, (n.Getattr, n.Getitem)):
        if isinstance(node, n.Getattr) and _is_dunder(node.attr):
            return True
        node = node.node
    return False


def _attribute(node: Any, n: Any) -> str | None:
    """The attribute a Getattr reads, or a Getitem with a constant string key; else None."""
    if isinstance(node, n.Getattr):
        return str(node.attr)
    if isinstance(node, n.Getitem) and isinstance(node.arg, n.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


# ---------------------------------------------------------------------- where names are in the text

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Tokens:
    """The tokens of a template's `{{ }}` and `{% %}` blocks, with their offsets in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.tokens: list[Token] = []  # template_lex's, without closing delimiters and comments
        self.lines: list[int] = []  # each token's line, 1-based as Jinja counts
        self.blocks: list[tuple[int, int]] = []
        # Best effort: a failure only loses positions (the whole scalar is reported), never the verdict.
        with contextlib.suppress(Exception):
            self._scan()

    def _line(self, offset: int) -> int:
        """The 1-based line of `offset`: how many lines start at or before it."""
        return bisect.bisect_right(self.line_starts, offset)

    def _scan(self) -> None:
        """template_lex's tokens of the blocks (its closing delimiters and comments left out: only
        a block's opening and what it holds are looked at), with their lines."""
        lexed = lex(self.text, roles=False)
        self.tokens = [token for token in lexed.tokens if token.kind not in ("close", "comment")]
        self.lines = [self._line(token.start) for token in self.tokens]
        self.blocks = lexed.blocks

    def _is_reference(self, index: int) -> bool:
        """Whether a name token is a looked-up name: not an attribute, filter, test, tag or keyword argument."""
        previous = self.tokens[index - 1] if index else None
        if previous is None or previous.kind == "open":
            return previous is None or previous.text.startswith("{{")
        if previous.text in (".", "|") or (previous.kind == "name" and previous.text in ("is", "not")):
            return previous.text == "not" and not self._after_is(index - 1)
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        after = self.tokens[index + 2] if index + 2 < len(self.tokens) else None
        return not (following is not None and following.text == "=" and (after is None or after.text != "="))

    def _after_is(self, index: int) -> bool:
        return index > 0 and self.tokens[index - 1].text == "is"

    def name_span(self, name: str, line: int, occurrence: int) -> tuple[int, int] | None:
        index = self._name_index(name, line, occurrence)
        return None if index is None else (self.tokens[index].start, self.tokens[index].end)

    def _name_index(self, name: str, line: int, occurrence: int) -> int | None:
        found = [
            i
            for i, token in enumerate(self.tokens)
            if token.kind == "name" and token.text == name and self.lines[i] == line and self._is_reference(i)
        ]
        if not found:
            return None
        return found[min(occurrence, len(found) - 1)]

    def chain_span(self, head: str, line: int, occurrence: int, chain: list[str]) -> tuple[int, int] | None:
        """The span of the last of `chain`'s attributes after the name `head` (`.a` or `['a']`)."""
        index = self._name_index(head, line, occurrence)
        if index is None:
            return None
        span = None
        for attr in chain:
            index, span = self._step(index, attr)
            if index is None:
                return None
        return span

    def _step(self, index: int, attr: str) -> tuple[int | None, tuple[int, int] | None]:
        tokens = self.tokens
        if index + 2 < len(tokens) and tokens[index + 1].text == "." and tokens[index + 2].text == attr:
            return index + 2, (tokens[index + 2].start, tokens[index + 2].end)
        if index + 3 < len(tokens) and tokens[index + 1].text == "[" and tokens[index + 2].kind == "string":
            return index + 3, (tokens[index + 2].start, tokens[index + 2].end)
        return None, None

    def attribute_after(self, attr: str, line: int) -> tuple[int, int] | None:
        for i, token in enumerate(self.tokens):
            if self.lines[i] == line and token.text == attr and i and self.tokens[i - 1].text == ".":
                return token.start, token.end
        return None

    def filter_span(self, name: str, line: int, kind: str) -> tuple[int, int] | None:
        marker = "|" if kind == "filter" else "is"
        for i, token in enumerate(self.tokens):
            if token.kind != "name" or token.text != name or not i:
                continue
            previous = self.tokens[i - 1]
            if self.lines[i] != line:
                continue
            negated_test = kind == "test" and previous.text == "not" and self._after_is(i - 1)
            filter_tag = kind == "filter" and previous.kind == "name" and previous.text == "filter"
            if previous.text == marker or negated_test or filter_tag:
                return token.start, token.end
        return None

    def block_span(self, line: int) -> tuple[int, int] | None:
        """The `{{ }}` or `{% %}` block on the template's `line` (the first one), else None."""
        for start, end in self.blocks:
            if self._line(start) <= line <= self._line(max(start, end - 1)):
                return start, end
        return None

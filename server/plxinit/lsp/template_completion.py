"""Completion inside `{{ }}` / `{% %}`: the names in scope there, their fields, and the filters.

After a keystroke the text usually does not parse the way it did (or at all), and a full
reading of a large file costs tens of milliseconds; so the cursor's place is read tolerantly
(`Document.cursor_context`, a few lines) and the scope comes from the last reading the
document already has (`Document.base`, kept across edits), or the last one that could be
read. Its operations (`scope.operations`) are computed once per reading.

- a bare name: the operation's inputs, outputs, params, join and matrix params, and the
  namespaces `params`, `globals`, `connections`, `init` (`ops` and `dag` in a DAG node);
- `params.`: the names `params` holds, and `as_args`; `params.<x>.`: value, as_str, as_arg,
  connection, type;
- `globals.`: the keys of `globals` (a service's too);
- `ops.`: the DAG's operations; `ops.<a>.`: inputs, outputs; `ops.<a>.outputs.`: a's outputs;
  `dag.inputs.`: the DAG's inputs;
- after `|`: Jinja's filters (Polyaxon's environment: the default ones and `map_format`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as lsp

from ..scope import IODecl, ScopedOperation, operations
from ..templates import PARAM_FIELDS
from .documents import Document
from .names import Symbol
from .navigation import symbol_markdown

_FILTER = re.compile(r"\|\s*([^\W\d]\w*)?$")
_CHAIN = re.compile(r"((?:[^\W\d]\w*\s*\.\s*)*)([^\W\d]\w*)?$")
_PARAM_FIELD_DOCS = {
    "value": "The param's value, as given (or the input's default).",
    "as_str": "The value as a string.",
    "as_arg": "The value as a command-line argument (`--name=value`, or the input's `argFormat`).",
    "connection": "The connection the param's value comes from, if any.",
    "type": "The input's or output's type.",
}


@dataclass(frozen=True)
class TemplateCursor:
    """The expression being typed: the names before the last `.`, the word, and where it starts."""

    chain: tuple[str, ...]
    word: str
    start: int  # code-point column where the word starts
    filter: bool  # the word follows a `|`


def template_cursor(line: str, column: int) -> TemplateCursor | None:
    """The template expression at `column`, when it is inside an open `{{` or `{%` of `line`."""
    before = line[:column]
    opened = max(before.rfind("{{"), before.rfind("{%"))
    if opened < 0:
        return None
    closer = "}}" if before.startswith("{{", opened) else "%}"
    if before.find(closer, opened + 2) >= 0:
        return None
    expression = before[opened + 2 :]
    filtered = _FILTER.search(expression)
    if filtered is not None:
        word = filtered.group(1) or ""
        return TemplateCursor((), word, column - len(word), True)
    match = _CHAIN.search(expression)
    if match is None:  # pragma: no cover - the pattern matches an empty tail
        return None
    head = expression[: match.start()]
    if head.endswith((".", "]", ")")) or (head and (head[-1].isalnum() or head[-1] == "_")):
        return None  # an attribute of something not a plain name chain (`x[0].`, `f().`)
    chain = tuple(part.strip() for part in match.group(1).split(".") if part.strip())
    word = match.group(2) or ""
    return TemplateCursor(chain, word, column - len(word), False)


# ---------------------------------------------------------------------- the scope at the cursor


class _Reading:
    """The operations of one loaded value, and which operation owns each layer path."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.ops = operations(value)
        self.by_path = {tuple(op.path): op for op in self.ops}
        self.layer_owner: dict[tuple[Any, ...], ScopedOperation] = {}
        for op in self.ops:
            for layer_path, _ in op.layers:
                self.layer_owner.setdefault(tuple(layer_path), op)

    def operation_at(self, path: list[Any]) -> ScopedOperation | None:
        for length in range(len(path), -1, -1):
            op = self.layer_owner.get(tuple(path[:length]))
            if op is not None:
                return op
        return None


_last: list[_Reading] = []


def _reading(value: Any) -> _Reading:
    """One reading is kept: consecutive keystrokes complete against the same one."""
    if _last and _last[0].value is value:
        return _last[0]
    reading = _Reading(value)
    _last[:] = [reading]
    return reading


def known_value(document: Document, last_good: dict[str, Any]) -> Any:
    """The loaded value of the document's last reading that could be read (reads it only if none)."""
    base = document.base
    if base is not None and base.parsed.root is not None:
        value = base.parsed.root.value
        last_good[document.uri] = value
        return value
    if document.uri in last_good:
        return last_good[document.uri]
    root = document.parsed.root
    value = root.value if root is not None else None
    if value is not None:
        last_good[document.uri] = value
    return value


# ---------------------------------------------------------------------- items


@functools.lru_cache(maxsize=1)
def _filters() -> tuple[str, ...]:
    import jinja2

    return tuple(sorted({*jinja2.Environment().filters, "map_format"}))


def _io_documentation(io: IODecl, owner: str) -> lsp.MarkupContent:
    symbol = Symbol((), io.section[:-1], io.name, io.path, None, io, owner)
    return lsp.MarkupContent(lsp.MarkupKind.Markdown, symbol_markdown(symbol))


def _item(
    label: str,
    kind: lsp.CompletionItemKind,
    detail: str,
    edit_range: lsp.Range,
    order: int,
    documentation: lsp.MarkupContent | str | None = None,
) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        documentation=documentation,
        sort_text=f"{order:04d}",
        filter_text=label,
        text_edit=lsp.TextEdit(edit_range, label),
    )


def _owner(op: ScopedOperation) -> str:
    if op.role == "dag-node":
        return f"operation `{op.name}`" if isinstance(op.name, str) else "a DAG operation"
    return "this operation" if op.is_operation else "this component"


def _declared_items(op: ScopedOperation, edit_range: lsp.Range, with_params: bool = True) -> list[lsp.CompletionItem]:
    items: list[lsp.CompletionItem] = []
    seen: set[str] = set()
    owner = _owner(op)
    for io in op.io_list:
        if io.name in seen:
            continue
        seen.add(io.name)
        type_ = io.type if isinstance(io.type, str) else "any"
        items.append(
            _item(
                io.name,
                lsp.CompletionItemKind.Variable,
                f"{io.section[:-1]}: {type_}",
                edit_range,
                len(items),
                _io_documentation(io, owner),
            )
        )
    sources: list[tuple[str, list[str]]] = [
        ("param", list(op.params) if with_params else []),
        ("join param", list(op.join_params)),
        ("matrix param", list(op.matrix.params) if op.matrix is not None else []),
    ]
    for what, names in sources:
        for name in names:
            if name not in seen:
                seen.add(name)
                items.append(_item(name, lsp.CompletionItemKind.Variable, what, edit_range, len(items)))
    return items


def complete_template(
    document: Document,
    line: int,
    column: int,
    encoding: str,
    last_good: dict[str, Any],
) -> list[lsp.CompletionItem] | None:
    """Items inside a template at (line, code-point column); None when the cursor is not in one."""
    cursor = template_cursor(document.line(line), column)
    if cursor is None:
        return None
    edit_range = lsp.Range(
        lsp.Position(line, document.units(line, cursor.start, encoding)),
        lsp.Position(line, document.units(line, column, encoding)),
    )
    if cursor.filter:
        return [
            _item(name, lsp.CompletionItemKind.Function, "filter", edit_range, order)
            for order, name in enumerate(_filters())
        ]
    context = document.cursor_context(line, column)
    value = known_value(document, last_good)
    if context is None or not isinstance(value, dict):
        return []
    reading = _reading(value)
    op = reading.operation_at(context.path)
    if op is None:
        return []
    return _chain_items(cursor.chain, op, reading, edit_range)


def _chain_items(
    chain: tuple[str, ...], op: ScopedOperation, reading: _Reading, edit_range: lsp.Range
) -> list[lsp.CompletionItem]:
    module = lsp.CompletionItemKind.Module
    field = lsp.CompletionItemKind.Field
    if not chain:
        items = _declared_items(op, edit_range)
        namespaces = ["params", "globals", "connections", "init"]
        if op.dag is not None:
            namespaces += ["ops", "dag"]
        for name in namespaces:
            items.append(_item(name, module, "namespace", edit_range, len(items)))
        return items
    head = chain[0]
    if chain == ("params",):
        items = _declared_items(op, edit_range)
        items.append(_item("as_args", field, "every param as command-line arguments", edit_range, len(items)))
        return items
    if head == "params" and len(chain) == 2:
        return [
            _item(name, field, f"params.{chain[1]}.{name}", edit_range, order, _PARAM_FIELD_DOCS[name])
            for order, name in enumerate(PARAM_FIELDS)
        ]
    if chain == ("globals",):
        return [
            _item(name, field, "globals", edit_range, order) for order, name in enumerate(sorted(op.globals_keys()))
        ]
    dag = op.dag
    if dag is None:
        return []
    if chain == ("ops",):
        return [
            _item(name, lsp.CompletionItemKind.Module, "operation", edit_range, order)
            for order, name in enumerate(dag.operations)
        ]
    if head == "ops" and len(chain) == 2 and chain[1] in dag.operations:
        return [
            _item(name, field, f"of `{chain[1]}`", edit_range, order)
            for order, name in enumerate(("outputs", "inputs"))
        ]
    if head == "ops" and len(chain) == 3 and chain[1] in dag.operations and chain[2] in ("inputs", "outputs"):
        target = reading.by_path.get(tuple(dag.operations[chain[1]]))
        if target is None:
            return []
        owner = _owner(target)
        return [
            _item(
                io.name,
                lsp.CompletionItemKind.Variable,
                f"{io.section[:-1]} of `{chain[1]}`",
                edit_range,
                order,
                _io_documentation(io, owner),
            )
            for order, io in enumerate(target.ios(chain[2]).values())
        ]
    if chain == ("dag",):
        return [_item("inputs", field, "the DAG's inputs", edit_range, 0)]
    if chain == ("dag", "inputs"):
        return [
            _item(io.name, lsp.CompletionItemKind.Variable, "input of the DAG", edit_range, order)
            for order, io in enumerate(dag.inputs.values())
        ]
    return []

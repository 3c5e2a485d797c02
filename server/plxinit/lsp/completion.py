"""Completion items from the schema, at a cursor read tolerantly (works in broken files).

Keys of the mapping under the cursor (aliases and keys already present left out, one
built-in handler per init entry), handler skeletons from `defaultSnippets`, and values
(enums, booleans) after `key: `. Every item, once applied, leaves YAML that parses there:
inside a flow collection the text is written in flow style (`git: {url: ...}`), after
`key:` a space is put first, and where a list item is expected (a blank line under
`init:`, a bare `-`) the item is written as one (`- git:`).

In the other sections the common shapes come first as snippets (`snippets.Shape`): an input or
output in `inputs`/`outputs`, a param in `params`, a matrix parameter in `matrix.params`, an
operation in a DAG's `operations`, a cron or interval schedule inside `schedule:` and, after the
`schedule` key's own item, `schedule:` with either as its value. They are found from the schema
at the cursor (the `$ref` of a list's `items` or a map's `additionalProperties`), so a keystroke
costs a few lookups in the navigator's per-path caches, whatever the schema's size.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types as lsp

from . import markdown
from .context import CursorContext
from .documents import Document
from .navigator import Navigator, accepts_boolean, enum_description, enum_values
from .snippets import (
    CRON,
    INPUT,
    INTERVAL,
    OPERATION,
    OUTPUT,
    PARAM,
    Shape,
    keyed_shape,
    matrix_parameter,
    render_shape,
)


def complete(
    document: Document, line: int, column: int, encoding: str, snippets: bool = True
) -> list[lsp.CompletionItem]:
    """Items for the cursor at (line, code-point column); plain text when `snippets` is False."""
    context = document.cursor_context(line, column)
    if context is None:
        return []
    navigator = Navigator(context.facts)
    edit_range = lsp.Range(
        lsp.Position(line, document.units(line, context.start_column, encoding)),
        lsp.Position(line, document.units(line, column, encoding)),
    )
    if context.kind == "key":
        _as_list_item(context, navigator)
        items = _key_and_shape_items(context, navigator, edit_range, snippets)
    else:
        items = _value_items(context, navigator, edit_range)
        if not items and _as_flow_item_mapping(context, navigator):
            items = _key_and_shape_items(context, navigator, edit_range, snippets)
    for item in items:
        _surround(item, context)
    if not snippets:
        for item in items:
            _as_plain_text(item)
    return items


_TABSTOP = re.compile(r"\$\{\d+:((?:[^\\}]|\\.)*)\}|\$\{\d+\|[^|]*\|\}|\$\d+")


def _as_plain_text(item: lsp.CompletionItem) -> None:
    """For clients without snippet support: placeholders become empty values.

    Their default texts are examples (a sample URL, an image name), which a client that
    cannot select them would leave in the file as if they were the user's. A quoted
    placeholder leaves `""`, an empty string.
    """
    if item.insert_text_format != lsp.InsertTextFormat.Snippet or item.text_edit is None:
        return
    assert isinstance(item.text_edit, lsp.TextEdit)
    item.text_edit.new_text = _without_placeholders(item.text_edit.new_text)
    item.insert_text_format = lsp.InsertTextFormat.PlainText


_PLAIN_PARTS = re.compile(r'"(?:[^"\\]|\\.)*"|\$\{\d+:(?:[^\\}]|\\.)*\}|\$\{\d+\|[^|]*\|\}|\$\d+|[\[\]{}]')


def _without_placeholders(snippet: str) -> str:
    """Snippet text with every placeholder emptied; in a flow sequence an item becomes `""`
    (`[, -c]` is not YAML)."""
    brackets: list[str] = []

    def part(match: re.Match[str]) -> str:
        found = match.group(0)
        if found[0] == '"':
            return _TABSTOP.sub("", found)
        if found in "[{":
            brackets.append(found)
            return found
        if found in "]}":
            if brackets:
                brackets.pop()
            return found
        return '""' if brackets and brackets[-1] == "[" else ""

    return re.sub(r"\\([\\$}])", r"\1", _PLAIN_PARTS.sub(part, snippet))


def _as_list_item(context: CursorContext, navigator: Navigator) -> None:
    """Keys asked where a list is (a blank line under `init:`): complete its item, written `- key`."""
    if context.flow or navigator.properties(context.path):
        return
    if not navigator.properties([*context.path, 0]):
        return
    context.path = [*context.path, 0]
    context.present = []
    context.lead = "- " + context.lead
    context.key_column += 2


def _as_flow_item_mapping(context: CursorContext, navigator: Navigator) -> bool:
    """An item of a flow list of mappings (`init: [` or `[{...}, `): its keys, written `{key: ...}`."""
    if not context.flow or context.prefix or not context.path or not isinstance(context.path[-1], int):
        return False
    if not navigator.properties(context.path):
        return False
    context.kind = "key"
    context.lead += "{"
    context.trail = "}" + context.trail
    return True


def _surround(item: lsp.CompletionItem, context: CursorContext) -> None:
    """Put the context's lead (`- `, a space after `:`) and trail (`, ` in flow) around the text."""
    if item.text_edit is None or not (context.lead or context.trail):
        return
    assert isinstance(item.text_edit, lsp.TextEdit)
    item.text_edit.new_text = context.lead + item.text_edit.new_text + context.trail
    if context.lead and item.filter_text is None:
        item.filter_text = item.label


def _aliases(properties: dict[str, Any]) -> dict[str, str]:
    return {name: str(sub["x-plx-alias-of"]) for name, sub in properties.items() if "x-plx-alias-of" in sub}


def _key_items(context: CursorContext, navigator: Navigator, edit_range: lsp.Range) -> list[lsp.CompletionItem]:
    properties = navigator.properties(context.path)
    if not properties:
        return []
    aliases = _aliases(properties)
    spelled = {canonical: alias for alias, canonical in aliases.items()}
    present = {aliases.get(key, key) for key in context.present}
    handlers = set(navigator.attribute(context.path, "x-plx-handlers") or [])
    if handlers & present:
        present |= handlers
    snippets = {
        snippet["label"]: snippet
        for snippet in navigator.attribute(context.path, "defaultSnippets") or []
        if isinstance(snippet, dict) and isinstance(snippet.get("body"), dict)
    }
    items: list[lsp.CompletionItem] = []
    for order, (name, schema) in enumerate(properties.items()):
        if name in aliases or name in present:
            continue
        documentation = lsp.MarkupContent(lsp.MarkupKind.Markdown, markdown.key_markdown(name, schema))
        detail = markdown.type_phrase(schema) or None
        snippet = snippets.get(name)
        if snippet is not None and set(snippet["body"]) == {name}:
            text = _render_snippet(snippet["body"], context, navigator)
            kind = lsp.CompletionItemKind.Snippet
            label_details = lsp.CompletionItemLabelDetails(description=snippet.get("description"))
        else:
            text = _key_text(name, schema, context.key_column, context.flow)
            kind = lsp.CompletionItemKind.Property
            label_details = None
        items.append(
            lsp.CompletionItem(
                label=name,
                kind=kind,
                detail=detail,
                label_details=label_details,
                documentation=documentation,
                sort_text=f"{order:03d}",
                # a snake_case prefix (`lineage_`) keeps the camelCase item its alias names
                filter_text=spelled[name] if "_" in context.prefix and name in spelled else name,
                insert_text_format=lsp.InsertTextFormat.Snippet,
                insert_text_mode=lsp.InsertTextMode.AsIs,
                text_edit=lsp.TextEdit(edit_range, text),
            )
        )
    return items


def _container_ref(navigator: Navigator, path: list[Any], keyword: str) -> str | None:
    """The `$ref` of the `items` / `additionalProperties` of the collection at `path` (e.g. `#/$defs/V1IO`)."""
    for schema in navigator.schemas_at(path):
        sub = schema.get(keyword)
        if isinstance(sub, dict) and isinstance(sub.get("$ref"), str):
            return str(sub["$ref"])
    return None


def _shapes(context: CursorContext, navigator: Navigator) -> list[tuple[Shape, str | None]]:
    """The common shapes that fit at the cursor: (shape, None) for the value written here,
    (shape, key) for `key:` with the shape as its value."""
    path = context.path
    present = set(context.present)
    found: list[tuple[Shape, str | None]] = []
    if len(path) >= 2 and isinstance(path[-1], int) and not present:  # a new list item
        ref = _container_ref(navigator, path[:-1], "items")
        if ref == "#/$defs/V1IO":
            found.append((OUTPUT if path[-2] == "outputs" else INPUT, None))
        elif ref == "#/$defs/polyaxonfile-body" and path[-2] == "operations":
            found.append((OPERATION, None))
    ref = _container_ref(navigator, path, "additionalProperties")
    if ref == "#/$defs/polyaxon-param-value":
        found.append((PARAM, None))
    elif ref == "#/$defs/union-hp":
        hp_kinds = enum_values(navigator.schemas_at([*path, "\0", "kind"]))
        found.append((matrix_parameter([str(kind) for kind in hp_kinds]), None))
    union = navigator.attribute(path, "x-plx-union") or []
    if "cron" in union and "interval" in union and not present:  # inside `schedule:`
        found.extend([(CRON, None), (INTERVAL, None)])
    properties = navigator.properties(path)
    schedule = properties.get("schedule")
    if schedule is not None and "schedule" not in present and _refers(schedule, "#/$defs/union-schedule"):
        found.extend([(CRON, "schedule"), (INTERVAL, "schedule")])
    return found


def _key_and_shape_items(
    context: CursorContext, navigator: Navigator, edit_range: lsp.Range, snippets: bool
) -> list[lsp.CompletionItem]:
    return _merged(_shape_items(context, navigator, edit_range, snippets), _key_items(context, navigator, edit_range))


def _merged(shapes: list[lsp.CompletionItem], keys: list[lsp.CompletionItem]) -> list[lsp.CompletionItem]:
    """The shape snippets first, except a `key: shape` one, which goes right after its key's item."""
    keyed = [item for item in shapes if "~" in (item.sort_text or "")]
    merged = [item for item in shapes if item not in keyed]
    for item in keys:
        merged.append(item)
        merged.extend(shape for shape in keyed if shape.filter_text == item.label)
    return merged


def _refers(schema: dict[str, Any], ref: str) -> bool:
    """`schema` is `ref`, or a union with a `ref` branch (`anyOf: [{$ref: ...}, {type: null}]`)."""
    branches = [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]
    return any(isinstance(branch, dict) and branch.get("$ref") == ref for branch in branches)


def _shape_items(
    context: CursorContext, navigator: Navigator, edit_range: lsp.Range, snippets: bool
) -> list[lsp.CompletionItem]:
    """Snippets for the common shapes of the sections (an input, a param, a schedule, ...).

    Without snippet support a named shape (`${1:name}:`) is offered only once a name is typed:
    an empty placeholder would leave a key-less `:`.
    """
    items: list[lsp.CompletionItem] = []
    name = context.prefix if context.prefix and "\n" not in context.prefix else ""
    for order, (shape, key) in enumerate(_shapes(context, navigator)):
        if shape.named and not name and not snippets:
            continue
        sort_text = f"!{order:02d}"  # the shapes first, a `key: shape` right after its key
        if key is not None:
            text = keyed_shape(key, shape, context.key_column, context.flow)
            label, filter_text = f"{key}: {shape.label}", key
            sort_text = f"{list(navigator.properties(context.path)).index(key):03d}~{order:02d}"
        else:
            text = render_shape(shape, context.key_column, context.flow, name if shape.named else "")
            label = shape.label
            filter_text = name if shape.named and name else label
        items.append(
            lsp.CompletionItem(
                label=label,
                kind=lsp.CompletionItemKind.Snippet,
                detail="snippet",
                label_details=lsp.CompletionItemLabelDetails(description=shape.description),
                sort_text=sort_text,
                filter_text=filter_text,
                insert_text_format=lsp.InsertTextFormat.Snippet,
                insert_text_mode=lsp.InsertTextMode.AsIs,
                text_edit=lsp.TextEdit(edit_range, text),
            )
        )
    return items


def _key_text(name: str, schema: dict[str, Any], column: int, flow: bool = False) -> str:
    types = markdown.structural_types(schema)
    if flow:
        if types == {"object"}:
            return f"{name}: {{$0}}"
        if types == {"array"}:
            return f"{name}: [$0]"
        return f"{name}: $0"
    pad = " " * column
    if types == {"object"}:
        return f"{name}:\n{pad}  $0"
    if types == {"array"}:
        return f"{name}:\n{pad}  - $0"
    return f"{name}: $0"


def _render_snippet(body: dict[str, Any], context: CursorContext, navigator: Navigator) -> str:
    from .snippets import render, render_flow

    if context.flow:
        return render_flow(body)

    def block(path: list[str]) -> bool:
        schema = navigator.property_schema([*context.path, *path])
        examples = (schema or {}).get("examples") or []
        return any(isinstance(example, str) and "\n" in example for example in examples)

    return render(body, context.key_column, block)


def _value_items(context: CursorContext, navigator: Navigator, edit_range: lsp.Range) -> list[lsp.CompletionItem]:
    schemas = navigator.schemas_at(context.path)
    declared = navigator.property_schema(context.path)
    key = str(context.path[-1])
    items: list[lsp.CompletionItem] = []
    values = enum_values(schemas)
    if accepts_boolean(schemas):  # `0`/`1` spellings of booleans are not worth offering
        values = [value for value in values if isinstance(value, str)]
    for order, value in enumerate(values):
        description = enum_description(schemas, value)
        items.append(
            lsp.CompletionItem(
                label=str(value),
                kind=lsp.CompletionItemKind.EnumMember,
                detail=f"{key} value",
                documentation=lsp.MarkupContent(
                    lsp.MarkupKind.Markdown, markdown.value_markdown(key, value, description, declared)
                ),
                sort_text=f"{order:03d}",
                text_edit=lsp.TextEdit(edit_range, str(value)),
            )
        )
    if accepts_boolean(schemas):
        for value in ("true", "false"):
            items.append(
                lsp.CompletionItem(
                    label=value,
                    kind=lsp.CompletionItemKind.Value,
                    detail="boolean",
                    documentation=lsp.MarkupContent(
                        lsp.MarkupKind.Markdown, markdown.value_markdown(key, value, None, declared)
                    ),
                    text_edit=lsp.TextEdit(edit_range, value),
                )
            )
    return items

"""Completion items from the schema, at a cursor read tolerantly (works in broken files).

Keys of the mapping under the cursor (aliases and keys already present left out, one
built-in handler per init entry), handler skeletons from `defaultSnippets`, and values
(enums, booleans) after `key: `.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types as lsp

from . import markdown
from .context import CursorContext
from .documents import Document
from .navigator import Navigator, accepts_boolean, enum_description, enum_values


def complete(
    document: Document, line: int, column: int, encoding: str, snippets: bool = True
) -> list[lsp.CompletionItem]:
    """Items for the cursor at (line, code-point column); plain text when `snippets` is False."""
    context = document.cursor_context(line, column)
    if context is None:
        return []
    navigator = Navigator(context.outline.facts)
    edit_range = lsp.Range(
        lsp.Position(line, document.units(line, context.start_column, encoding)),
        lsp.Position(line, document.units(line, column, encoding)),
    )
    if context.kind == "key":
        items = _key_items(context, navigator, edit_range)
    else:
        items = _value_items(context, navigator, edit_range)
    if not snippets:
        for item in items:
            _as_plain_text(item)
    return items


_TABSTOP = re.compile(r"\$\{\d+:((?:[^\\}]|\\.)*)\}|\$\d+")


def _as_plain_text(item: lsp.CompletionItem) -> None:
    """For clients without snippet support: placeholders become their default text."""
    if item.insert_text_format != lsp.InsertTextFormat.Snippet or item.text_edit is None:
        return
    assert isinstance(item.text_edit, lsp.TextEdit)

    def plain(match: re.Match[str]) -> str:
        return re.sub(r"\\(.)", r"\1", match.group(1) or "")

    item.text_edit.new_text = _TABSTOP.sub(plain, item.text_edit.new_text)
    item.insert_text_format = lsp.InsertTextFormat.PlainText


def _aliases(properties: dict[str, Any]) -> dict[str, str]:
    return {name: str(sub["x-plx-alias-of"]) for name, sub in properties.items() if "x-plx-alias-of" in sub}


def _key_items(context: CursorContext, navigator: Navigator, edit_range: lsp.Range) -> list[lsp.CompletionItem]:
    properties = navigator.properties(context.path)
    if not properties:
        return []
    aliases = _aliases(properties)
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
            text = _key_text(name, schema, context.key_column)
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
                filter_text=name,
                insert_text_format=lsp.InsertTextFormat.Snippet,
                insert_text_mode=lsp.InsertTextMode.AsIs,
                text_edit=lsp.TextEdit(edit_range, text),
            )
        )
    return items


def _key_text(name: str, schema: dict[str, Any], column: int) -> str:
    types = markdown.structural_types(schema)
    pad = " " * column
    if types == {"object"}:
        return f"{name}:\n{pad}  $0"
    if types == {"array"}:
        return f"{name}:\n{pad}  - $0"
    return f"{name}: $0"


def _render_snippet(body: dict[str, Any], context: CursorContext, navigator: Navigator) -> str:
    from .snippets import render

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

"""Completion items from the schema, at a cursor read tolerantly (works in broken files).

Keys of the mapping under the cursor (aliases and keys already present left out, one
built-in handler per init entry), handler skeletons from `defaultSnippets`, and values
(enums, booleans) after `key: `. Every item, once applied, leaves YAML that parses there:
inside a flow collection the text is written in flow style (`git: {url: ...}`), after
`key:` a space is put first, and where a list item is expected (a blank line under
`init:`, a bare `-`) the item is written as one (`- git:`).
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
    navigator = Navigator(context.facts)
    edit_range = lsp.Range(
        lsp.Position(line, document.units(line, context.start_column, encoding)),
        lsp.Position(line, document.units(line, column, encoding)),
    )
    if context.kind == "key":
        _as_list_item(context, navigator)
        items = _key_items(context, navigator, edit_range)
    else:
        items = _value_items(context, navigator, edit_range)
        if not items and _as_flow_item_mapping(context, navigator):
            items = _key_items(context, navigator, edit_range)
    for item in items:
        _surround(item, context)
    if not snippets:
        for item in items:
            _as_plain_text(item)
    return items


_TABSTOP = re.compile(r"\$\{\d+:((?:[^\\}]|\\.)*)\}|\$\d+")


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


_PLAIN_PARTS = re.compile(r'"(?:[^"\\]|\\.)*"|\$\{\d+:(?:[^\\}]|\\.)*\}|\$\d+|[\[\]{}]')


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

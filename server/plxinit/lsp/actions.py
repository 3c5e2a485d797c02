"""Quick fixes for our diagnostics, and the snake_case -> camelCase rename refactoring.

- one-handler: split the entry into two entries (the second handler moves to a new entry;
  `connection`/`path`/`container` stay with the first), indentation and comments kept.
- unknown-key with a did-you-mean: replace the key.
- type with `quote`: quote the scalar YAML read as a number/boolean.
- a snake_case alias key (`x-plx-alias-of`): rename it to the canonical key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lsprotocol import types as lsp

from ..yamldoc import MappingNode, Node, ScalarNode
from .context import hover_target
from .convert import core_position
from .documents import Document
from .entries import init_lists, last_content_line
from .navigator import Navigator

SPLIT_TITLE = "Split into separate init entries"


def code_actions(
    document: Document, params: lsp.CodeActionParams, encoding: str, ours: list[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    diagnostics = [d for d in params.context.diagnostics if d.source in (None, "plx")]
    if not diagnostics:
        diagnostics = [d for d in ours if _overlaps(d.range, params.range)]
    if _wanted(only, lsp.CodeActionKind.QuickFix):
        for diagnostic in diagnostics:
            action = _fix(document, diagnostic, encoding)
            if action is not None:
                actions.append(action)
    rename = _alias_rename(document, params, encoding, diagnostics)
    if rename is not None and _wanted(only, rename.kind or ""):
        actions.append(rename)
    return actions


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    return not only or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)


def _data(diagnostic: lsp.Diagnostic) -> dict[str, Any]:
    data = diagnostic.data
    return data if isinstance(data, dict) else {}


def _edit(document: Document, range_: lsp.Range, text: str) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={document.uri: [lsp.TextEdit(range_, text)]})


def _preferred_fix(title: str, diagnostic: lsp.Diagnostic, edit: lsp.WorkspaceEdit) -> lsp.CodeAction:
    """The one obvious fix for `diagnostic`."""
    return lsp.CodeAction(
        title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=True, edit=edit
    )


def _fix(document: Document, diagnostic: lsp.Diagnostic, encoding: str) -> lsp.CodeAction | None:
    code = diagnostic.code
    data = _data(diagnostic)
    if code == "unknown-key" and data.get("suggestion"):
        suggestion = str(data["suggestion"])
        return _preferred_fix(f"Replace with `{suggestion}`", diagnostic, _edit(document, diagnostic.range, suggestion))
    if code == "type" and data.get("quote"):
        start = core_position(document, diagnostic.range.start, encoding)
        end = core_position(document, diagnostic.range.end, encoding)
        if start.line != end.line:
            return None
        source = document.line(start.line)[start.column : end.column]
        if not source or source[0] in "\"'":
            return None
        quoted = json.dumps(source, ensure_ascii=False)
        return _preferred_fix(f"Quote as {quoted}", diagnostic, _edit(document, diagnostic.range, quoted))
    if code == "one-handler" and isinstance(data.get("handlers"), list) and len(data["handlers"]) == 2:
        return _split(document, diagnostic, [str(h) for h in data["handlers"]], encoding)
    return None


# ---------------------------------------------------------------------- split
def _find_entry(document: Document, line: int, column: int, moved: str) -> MappingNode | None:
    for found in init_lists(document.parsed.root):
        for item in found.node.items:
            if not isinstance(item, MappingNode):
                continue
            pair = item.get(moved)
            if pair is not None and pair[0].start.line == line and pair[0].start.column == column:
                return item
    return None


def _split(document: Document, diagnostic: lsp.Diagnostic, handlers: list[str], encoding: str) -> lsp.CodeAction | None:
    start = core_position(document, diagnostic.range.start, encoding)
    moved_name = handlers[1]
    entry = _find_entry(document, start.line, start.column, moved_name)
    if entry is None or entry.flow:
        return None
    new_lines = split_entry_lines(document, entry, moved_name)
    if new_lines is None:
        return None
    first, last, replacement = new_lines
    eol = "\r\n" if "\r\n" in document.text else "\n"
    edit_range = lsp.Range(
        lsp.Position(first, 0), lsp.Position(last, document.units(last, len(document.line(last)), encoding))
    )
    return lsp.CodeAction(
        title=SPLIT_TITLE,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        edit=_edit(document, edit_range, eol.join(replacement)),
    )


def _content_end(document: Document, entry: MappingNode, key_column: int) -> int:
    """Last line of the entry, trailing blank lines and outdented comments left out."""
    last = last_content_line(document.lines, entry)
    while last > entry.start.line:
        text = document.line(last)
        stripped = text.strip()
        indent = len(text) - len(text.lstrip())
        if stripped and not (stripped.startswith("#") and indent < key_column):
            break
        last -= 1
    return last


def split_entry_lines(document: Document, entry: MappingNode, moved_name: str) -> tuple[int, int, list[str]] | None:
    """(first line, last line, new lines) for moving `moved_name` out of `entry`."""
    keys: list[Node] = [key for key, _ in entry.pairs]
    if any(not isinstance(key, ScalarNode) for key in keys):
        return None
    key_column = entry.start.column
    lines_of_keys = [key.start.line for key in keys]
    if len(set(lines_of_keys)) != len(lines_of_keys) or any(key.start.column != key_column for key in keys):
        return None  # pairs sharing a line, or misaligned: leave it to the user
    first = entry.start.line
    dash_line = document.line(first)
    prefix = dash_line[:key_column]
    if "-" not in prefix:
        return None
    last = _content_end(document, entry, key_column)
    index = next(i for i, key in enumerate(keys) if key.value == moved_name)
    if index == 0:
        return None
    bounds = [*lines_of_keys, last + 1]
    for i in range(1, len(keys)):  # comment lines right above a key belong to it
        while bounds[i] - 1 > lines_of_keys[i - 1] and document.line(bounds[i] - 1).strip().startswith("#"):
            bounds[i] -= 1
    moved_start, moved_end = bounds[index], bounds[index + 1]
    kept = [document.line(n) for n in range(first, last + 1) if not moved_start <= n < moved_end]
    moved = [document.line(n) for n in range(moved_start, moved_end)]
    # trailing blank lines of the moved block stay where they were
    while moved and not moved[-1].strip():
        kept.append(moved.pop())
    comments: list[str] = []
    while moved and moved[0].strip().startswith("#"):
        comment = moved.pop(0)
        comments.append(" " * prefix.index("-") + comment.lstrip())
    moved = [*comments, prefix + moved[0][key_column:], *moved[1:]]
    return first, last, kept + moved


# ---------------------------------------------------------------------- rename
def _alias_rename(
    document: Document, params: lsp.CodeActionParams, encoding: str, diagnostics: list[lsp.Diagnostic]
) -> lsp.CodeAction | None:
    position = core_position(document, params.range.start, encoding)
    outline = document.outline()
    target = hover_target(document.lines, position.line, position.column, outline)
    if target is None or target.kind != "key":
        return None
    schema = Navigator(outline.facts).property_schema(target.path)
    canonical = (schema or {}).get("x-plx-alias-of")
    if not canonical:
        return None
    key_range = lsp.Range(
        lsp.Position(target.line, document.units(target.line, target.start, encoding)),
        lsp.Position(target.line, document.units(target.line, target.end, encoding)),
    )
    related = [d for d in diagnostics if _overlaps(d.range, key_range)]
    return lsp.CodeAction(
        title=f"Rename `{target.text}` to `{canonical}`",
        kind=lsp.CodeActionKind.QuickFix if related else lsp.CodeActionKind.RefactorRewrite,
        diagnostics=related or None,
        edit=_edit(document, key_range, str(canonical)),
    )

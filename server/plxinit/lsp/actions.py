"""Quick fixes for our diagnostics, and the snake_case -> camelCase rename refactoring.

- one-handler: split the entry in two (see `split.py` for the rule), block or flow style.
- unknown-key with a did-you-mean: replace the key, unless the suggested key is already set there.
- type with `quote`: quote the plain scalar YAML read as a number/boolean (never an alias,
  an anchored or a tagged one: quoting those would change what they mean).
- a snake_case alias key (`x-plx-alias-of`): rename it to the canonical key, unless that key
  is set beside it (the rename would only make a duplicate key).

Each fix edits exactly the text it targets, so the result parses and the diagnostic is gone;
tests/lsp/test_actions.py re-validates every offered fix with the core.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml
from lsprotocol import types as lsp

from ..diagnostics import Position
from ..yamldoc import MappingNode, Node, ScalarNode, SequenceNode
from .context import hover_target
from .convert import core_position
from .documents import Document
from .navigator import MISSING_VALUE, Navigator
from .split import split_entry

SPLIT_TITLE = "Split into separate init entries"

PathPart = str | int

#: A plain scalar cannot start with these: quoting would drop quotes, an alias, an anchor, a tag or a block.
_NOT_PLAIN_START = "\"'*&!|>"


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


def _lsp_range(document: Document, start: Position, end: Position, encoding: str) -> lsp.Range:
    return lsp.Range(
        lsp.Position(start.line, document.units(start.line, start.column, encoding)),
        lsp.Position(end.line, document.units(end.line, end.column, encoding)),
    )


def _preferred_fix(title: str, diagnostic: lsp.Diagnostic, edit: lsp.WorkspaceEdit) -> lsp.CodeAction:
    """The one obvious fix for `diagnostic`."""
    return lsp.CodeAction(
        title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=True, edit=edit
    )


def _fix(document: Document, diagnostic: lsp.Diagnostic, encoding: str) -> lsp.CodeAction | None:
    code = diagnostic.code
    data = _data(diagnostic)
    if code == "unknown-key" and data.get("suggestion"):
        return _replace_key(document, diagnostic, str(data["suggestion"]), encoding)
    if code in ("template-name", "unknown-key", "required"):
        fix = _name_fix(document, diagnostic, encoding)
        if fix is not None:
            return fix
    if code == "type" and data.get("quote"):
        return _quote(document, diagnostic, encoding)
    if code == "one-handler" and isinstance(data.get("handlers"), list) and len(data["handlers"]) == 2:
        start = core_position(document, diagnostic.range.start, encoding)
        replacement = split_entry(document, start, str(data["handlers"][1]))
        if replacement is None:
            return None
        edit_range = _lsp_range(document, replacement.start, replacement.end, encoding)
        return _preferred_fix(SPLIT_TITLE, diagnostic, _edit(document, edit_range, replacement.text))
    return None


def _name_fix(document: Document, diagnostic: lsp.Diagnostic, encoding: str) -> lsp.CodeAction | None:
    """Name fixes (name_fixes.py): the did-you-mean, declare the input, add the required param."""
    from . import name_fixes

    message = diagnostic.message
    start = core_position(document, diagnostic.range.start, encoding)
    end = core_position(document, diagnostic.range.end, encoding)
    written = document.line(start.line)[start.column : end.column] if start.line == end.line else ""
    suggestion = name_fixes.DID_YOU_MEAN.search(message)
    undeclared_param = name_fixes.UNDECLARED_PARAM.match(message)
    if suggestion is not None and (
        diagnostic.code == "template-name" or (undeclared_param is not None and undeclared_param.group(1) == written)
    ):
        return _preferred_fix(
            f"Replace with `{suggestion.group(1)}`", diagnostic, _edit(document, diagnostic.range, suggestion.group(1))
        )
    root = document.parsed.root
    if root is None:
        return None
    undeclared = name_fixes.UNDECLARED_NAME.match(message) if diagnostic.code == "template-name" else None
    if undeclared is not None:
        insertion = name_fixes.declare_input(root, document.lines, start, undeclared.group(1))
        title = f"Declare the input `{undeclared.group(1)}`"
    else:
        required = name_fixes.REQUIRED_INPUT.match(message) if diagnostic.code == "required" else None
        if required is None:
            return None
        insertion = name_fixes.add_param(root, document.lines, start, required.group(1))
        title = f"Add the param `{required.group(1)}`"
    if insertion is None:
        return None
    at = _lsp_range(document, insertion.at, insertion.at, encoding)
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=_edit(document, at, insertion.text),
    )


def _replace_key(
    document: Document, diagnostic: lsp.Diagnostic, suggestion: str, encoding: str
) -> lsp.CodeAction | None:
    """`Replace with `suggestion``, unless the mapping already has that key (a duplicate would drop a value)."""
    found = _key_at(document.parsed.root, core_position(document, diagnostic.range.start, encoding))
    if found is not None and found[1].get(suggestion) is not None:
        return None
    return _preferred_fix(f"Replace with `{suggestion}`", diagnostic, _edit(document, diagnostic.range, suggestion))


def _quote(document: Document, diagnostic: lsp.Diagnostic, encoding: str) -> lsp.CodeAction | None:
    """`Quote as "0755"` on a one-line plain scalar, when the quoted text reads back as the same string."""
    start = core_position(document, diagnostic.range.start, encoding)
    end = core_position(document, diagnostic.range.end, encoding)
    if start.line != end.line:
        return None
    line = document.line(start.line)
    source = line[start.column : end.column]
    if not source or source[0] in _NOT_PLAIN_START:
        return None
    before = line[: start.column].split()
    if before and before[-1][0] in "&!":  # `&anchor 0755`, `!!int 0755`: the range left the property out
        return None
    quoted = json.dumps(source, ensure_ascii=False)
    try:
        if yaml.safe_load(quoted) != source:
            return None
    except yaml.YAMLError:
        return None
    return _preferred_fix(f"Quote as {quoted}", diagnostic, _edit(document, diagnostic.range, quoted))


# ---------------------------------------------------------------------- the parsed tree
def _key_at(root: Node | None, position: Position) -> tuple[list[PathPart], MappingNode, ScalarNode] | None:
    """The key under `position` in the parsed tree: its path, its mapping and its node.

    Walks down only through the nodes that contain `position`; values that are aliases
    (their node sits at the anchor, elsewhere) are not followed.
    """
    node, path = root, []  # type: tuple[Node | None, list[PathPart]]
    while node is not None:
        child: Node | None = None
        if isinstance(node, MappingNode):
            for key, _ in node.pairs:  # keys first: a block value ends where the next key starts
                if isinstance(key, ScalarNode) and key.start <= position <= key.end:
                    return ([*path, key.value], node, key) if isinstance(key.value, str) else None
            for key, value in node.pairs:
                if key.end <= value.start <= position < value.end and isinstance(key.value, (str, int)):
                    child, path = value, [*path, key.value]
                    break
        elif isinstance(node, SequenceNode):
            floor = node.start
            for index, item in enumerate(node.items):
                if item.start < floor:
                    continue  # an alias
                floor = item.start
                if item.start <= position < item.end:
                    child, path = item, [*path, index]
                    break
        node = child
    return None


def _tree_facts(root: Node | None) -> Any:
    """Navigator facts from the parsed tree: the scalars of the mapping at a path."""

    def facts(path: Sequence[PathPart]) -> dict[str, Any]:
        node = root
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                pair = node.get(part)
                node = pair[1] if pair is not None else None
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.items):
                node = node.items[part]
            else:
                return {}
        if not isinstance(node, MappingNode):
            return {}
        return {
            key.value: value.value if isinstance(value, ScalarNode) else MISSING_VALUE
            for key, value in node.pairs
            if isinstance(key, ScalarNode) and isinstance(key.value, str)
        }

    return facts


# ---------------------------------------------------------------------- rename
def _alias_rename(
    document: Document, params: lsp.CodeActionParams, encoding: str, diagnostics: list[lsp.Diagnostic]
) -> lsp.CodeAction | None:
    position = core_position(document, params.range.start, encoding)
    parsed = document.parsed
    found = _key_at(parsed.root, position) if not parsed.fatal else None
    if found is not None:  # the exact reading: block and flow style alike
        path, _, key = found
        if key.start.line != key.end.line:
            return None
        facts = _tree_facts(parsed.root)
        text, line, start, end = str(key.value), key.start.line, key.start.column, key.end.column
        siblings = set(facts(path[:-1]))
    else:  # the file does not parse right now: the tolerant reading
        target = hover_target(document.lines, position.line, position.column)
        if target is None or target.kind != "key":
            return None
        path = target.path
        facts = target.facts
        text, line, start, end = target.text, target.line, target.start, target.end
        siblings = set(facts(path[:-1]))
    schema = Navigator(facts).property_schema(path)
    canonical = (schema or {}).get("x-plx-alias-of")
    if not canonical or canonical in siblings:
        return None
    key_range = _lsp_range(document, Position(line, start), Position(line, end), encoding)
    related = [d for d in diagnostics if _overlaps(d.range, key_range)]
    return lsp.CodeAction(
        title=f"Rename `{text}` to `{canonical}`",
        kind=lsp.CodeActionKind.QuickFix if related else lsp.CodeActionKind.RefactorRewrite,
        diagnostics=related or None,
        edit=_edit(document, key_range, str(canonical)),
    )

"""Go to definition, find references, rename and name hovers, from the name index (names.py).

Each function takes the document and a core position (line, code-point column) and answers
in LSP types, in the client's position encoding. The index is built once per version.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types as lsp

from ..diagnostics import Position
from .convert import lsp_range
from .documents import Document
from .names import Key, NameIndex, Occurrence, Symbol, build

#: A name a template reaches as `{{ x }}` / `params.x` (inputs, outputs, params).
TEMPLATE_NAME = re.compile(r"^[^\W\d]\w*$")
#: An operation or component name: referenced by `dependencies`, `ops.<name>` and `dagRef`.
OPERATION_NAME = re.compile(r"^[^\W\d][\w-]*$")


def index_of(document: Document) -> NameIndex:
    """The name index of the document's current version (built once per version)."""
    cached = document.cache.get("names")
    if cached is None:
        cached = build(document.parsed)
        document.cache["names"] = cached
    return cached


def _target(document: Document, position: Position) -> tuple[NameIndex, Occurrence, Symbol] | None:
    index = index_of(document)
    occurrence = index.at(position)
    if occurrence is None:
        return None
    return index, occurrence, index.symbols[occurrence.key]


def _location(document: Document, range_: Any, encoding: str) -> lsp.Location:
    return lsp.Location(uri=document.uri, range=lsp_range(document, range_, encoding))


def definition(document: Document, position: Position, encoding: str) -> list[lsp.Location] | None:
    found = _target(document, position)
    if found is None or (found[1].declaration and found[2].kind == "param"):
        # not a name of this file, or a param no input here declares: maybe one of a pathRef'd file
        from .pathref_navigation import path_ref_definition

        elsewhere = path_ref_definition(document, position, encoding)
        if elsewhere or found is None:
            return elsewhere
    if found[2].range is None:
        return None
    return [_location(document, found[2].range, encoding)]


def references(
    document: Document, position: Position, encoding: str, include_declaration: bool
) -> list[lsp.Location] | None:
    found = _target(document, position)
    if found is None:
        return None
    index, occurrence, symbol = found
    here = [
        _location(document, place.range, encoding)
        for place in index.of(occurrence.key)
        if include_declaration or not place.declaration
    ]
    elsewhere = _in_path_ref(document, symbol)
    if elsewhere is None:
        return here
    other, other_index, key = elsewhere
    there = [
        _location(other, place.range, encoding)
        for place in other_index.of(key)
        if include_declaration or not place.declaration
    ]
    return there[:1] + here + there[1:]  # the declaration first


def _in_path_ref(document: Document, symbol: Symbol) -> tuple[Document, NameIndex, Key] | None:
    """A param that no input of this file declares, of an operation whose component a pathRef reads:
    the input or output it names there (its file, that file's index, its key)."""
    if symbol.kind != "param" or symbol.range is None:
        return None
    from .pathref_navigation import path_ref_declaration

    return path_ref_declaration(document, symbol.range.start)


def prepare_rename(document: Document, position: Position, encoding: str) -> lsp.PrepareRenamePlaceholder | None:
    """The name under the cursor and its range; None where no name is (the client says it cannot rename)."""
    found = _target(document, position)
    if found is None or found[2].range is None:
        return None
    _, occurrence, symbol = found
    return lsp.PrepareRenamePlaceholder(range=lsp_range(document, occurrence.range, encoding), placeholder=symbol.name)


def rename_problem(document: Document, position: Position, new_name: str) -> str | None:
    """Why `new_name` cannot replace the name under the cursor (None when it can, or no name is there)."""
    found = _target(document, position)
    if found is None:
        return None
    index, occurrence, symbol = found
    pattern = OPERATION_NAME if symbol.kind in ("operation", "component") else TEMPLATE_NAME
    what = _a(_KIND_WORDS.get(symbol.kind, symbol.kind))
    if not pattern.match(new_name):
        return f"`{new_name}` cannot be the name of {what}: templates and references could not name it."
    other = index.clash(occurrence.key, new_name) if new_name != symbol.name else None
    elsewhere = _in_path_ref(document, symbol) if other is None and new_name != symbol.name else None
    if elsewhere is not None:
        other = elsewhere[1].clash(elsewhere[2], new_name)
    if other is not None:
        kind = _a(_KIND_WORDS.get(other.kind, other.kind))
        return f"`{new_name}` is already the name of {kind}{_owner_suffix(other)}: the rename would merge the two."
    return None


def rename(document: Document, position: Position, new_name: str, encoding: str) -> lsp.WorkspaceEdit | None:
    found = _target(document, position)
    if found is None or rename_problem(document, position, new_name) is not None:
        return None
    index, occurrence, symbol = found
    changes = {
        document.uri: [
            lsp.TextEdit(lsp_range(document, place.range, encoding), new_name) for place in index.of(occurrence.key)
        ]
    }
    elsewhere = _in_path_ref(document, symbol)
    if elsewhere is not None:
        other, other_index, key = elsewhere
        changes[other.uri] = [
            lsp.TextEdit(lsp_range(other, place.range, encoding), new_name) for place in other_index.of(key)
        ]
    return lsp.WorkspaceEdit(changes=changes)


# ---------------------------------------------------------------------- hover

_KIND_WORDS = {
    "input": "input",
    "output": "output",
    "param": "param",
    "join-param": "join param",
    "matrix-param": "matrix param",
    "operation": "operation",
    "component": "component",
}


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _code(value: Any) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return "`" + text.replace("`", "'") + "`"


def symbol_markdown(symbol: Symbol) -> str:
    """The declaration of a name, as a hover shows it: kind, type, default, optional, description."""
    lines = [f"**{_KIND_WORDS.get(symbol.kind, symbol.kind)}** `{symbol.name}`" + _owner_suffix(symbol)]
    decl = symbol.decl
    io = getattr(decl, "io", None)
    if isinstance(io, dict):
        facts = []
        if io.get("type") is not None:
            facts.append(f"type {_code(io['type'])}")
        if io.get("value") is not None:
            facts.append(f"default {_code(io['value'])}")
        facts.append("optional" if decl.is_optional else "required")
        if decl.is_list:
            facts.append("a list")
        lines.append("- " + "\n- ".join(facts))
        description = io.get("description")
        if isinstance(description, str) and description.strip():
            lines.append(description.strip())
    elif symbol.kind in ("param", "join-param", "matrix-param"):
        lines.append("- " + "\n- ".join(_value_facts(decl)))
        if symbol.kind != "matrix-param":
            lines.append("Declared by no input or output: a context value for templates.")
    return "\n\n".join(lines)


def _value_facts(decl: Any) -> list[str]:
    """What a param (`ref`, `value`, `contextOnly`) or a hyperparameter (`kind`, `value`) sets."""
    if not isinstance(decl, dict) or not {"value", "ref", "kind"} & set(decl):
        return [f"value {_code(decl)}"]
    facts = [f"{key} {_code(decl[key])}" for key in ("kind", "ref", "value") if key in decl]
    context_only = decl.get("contextOnly", decl.get("context_only"))
    if context_only is not None:
        facts.append(f"contextOnly {_code(context_only)}")
    return facts


def _owner_suffix(symbol: Symbol) -> str:
    return f" of {symbol.owner}" if symbol.owner else ""


#: Keys on the path of every place a name is written (a param key, a dependency, a ref, `name:`).
_NAME_PLACES = frozenset({"params", "dependencies", "name", "ref", "value", "dagRef", "matrix", "joins", "events"})


def may_be_a_name(document: Document, position: Position) -> bool:
    """Whether a name can be under the cursor, read from the lines around it (no full reading).

    A hover right after a keystroke must not wait for a reading of the whole file where no name
    can be (the schema's hover needs only the lines around the cursor).
    """
    if "names" in document.cache or "{{" in document.line(position.line):
        return True
    from .context import hover_target

    target = hover_target(document.lines, position.line, position.column)
    return target is not None and any(part in _NAME_PLACES for part in target.path)


def name_hover(document: Document, position: Position, encoding: str) -> lsp.Hover | None:
    """The declaration of the name under the cursor (a template name, a param key, a reference)."""
    if not may_be_a_name(document, position):
        return None
    found = _target(document, position)
    if found is None:
        return None
    _, occurrence, symbol = found
    return lsp.Hover(
        lsp.MarkupContent(lsp.MarkupKind.Markdown, symbol_markdown(symbol)),
        lsp_range(document, occurrence.range, encoding),
    )

"""Validate a polyaxonfile: read it, check it against the canonical schema, map the errors.

This is the one entry point the CLI and the language server share. Two validators read
the same canonical schema: jsonschema-rs (compiled, ~100x faster) answers "is it valid?"
for JSON-compatible documents, and python-jsonschema, whose errors carry the paths our
error mapper needs, runs only when something is wrong, and then only on the init
entries that jsonschema-rs could not accept (list indices are mapped back).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Position, Range, Severity
from .schema import load_schema
from .yamldoc import MappingNode, ParsedDocument, parse_document


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    """A Draft 2020-12 validator for the canonical schema, built once per process."""
    from jsonschema import Draft202012Validator
    from jsonschema._types import draft202012_type_checker

    # YAML distinguishes 6006 from 6006.0 and Polyaxon's strict ints reject the float,
    # so "integer" means a YAML int here; bools are never numbers.
    def is_integer(_checker: Any, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def is_number(_checker: Any, value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    checker = draft202012_type_checker.redefine_many({"integer": is_integer, "number": is_number})
    from jsonschema.validators import extend

    validator_cls = extend(Draft202012Validator, type_checker=checker)
    return validator_cls(load_schema())


@dataclass(frozen=True)
class _FastCheck:
    """jsonschema-rs validators for the whole document and for a single init entry."""

    document: Any
    entry: Any


@functools.lru_cache(maxsize=1)
def _fast_check() -> _FastCheck | None:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional accelerator
        return None
    schema = load_schema()
    entry_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/init-entry"}
    return _FastCheck(jsonschema_rs.validator_for(schema), jsonschema_rs.validator_for(entry_schema))


def _fast_is_valid(validator: Any, value: Any) -> bool:
    """jsonschema-rs's verdict; False (so: ask python-jsonschema) if it cannot take the value."""
    try:
        return bool(validator.is_valid(value))
    except (ValueError, TypeError, OverflowError):
        return False


PathKey = tuple[str | int, ...]


@dataclass
class _ToExplain:
    """What python-jsonschema must walk, and how its list indices map back to the document.

    Init entries that jsonschema-rs accepts are dropped (nothing to say about them), so a
    10,000-line file with one mistake costs one entry's validation, not thousands.
    """

    instance: Any
    kept: dict[PathKey, list[int]]  # path of an init list -> document index of each kept entry

    def document_path(self, path: list[Any]) -> list[Any]:
        """Translate a path in `instance` to the same place in the document."""
        if not self.kept:
            return path
        translated = list(path)
        for depth in range(1, len(path)):
            kept = self.kept.get(tuple(path[:depth]))
            if kept is not None and isinstance(path[depth], int) and path[depth] < len(kept):
                translated[depth] = kept[path[depth]]
        return translated


def _without_valid_entries(value: Any, fast: _FastCheck, path: PathKey, kept: dict[PathKey, list[int]]) -> Any:
    """A copy of `value` whose init lists keep only the entries jsonschema-rs rejects."""
    if isinstance(value, dict):
        copy: dict[Any, Any] = {}
        for key, item in value.items():
            if key == "init" and isinstance(item, list):
                indices = [
                    index
                    for index, entry in enumerate(item)
                    if not (isinstance(entry, dict) and _fast_is_valid(fast.entry, entry))
                ]
                list_path = (*path, key)
                kept[list_path] = indices
                copy[key] = [item[index] for index in indices]
            else:
                copy[key] = _without_valid_entries(item, fast, (*path, key), kept)
        return copy
    if isinstance(value, list):
        return [_without_valid_entries(item, fast, (*path, index), kept) for index, item in enumerate(value)]
    return value


def _to_explain(document: ParsedDocument, value: Any) -> _ToExplain | None:
    """What python-jsonschema must walk: None when the document is valid as it is."""
    fast = _fast_check() if document.json_compatible else None
    if fast is None:
        return _ToExplain(value, {})
    if _fast_is_valid(fast.document, value):
        return None
    kept: dict[PathKey, list[int]] = {}
    return _ToExplain(_without_valid_entries(value, fast, (), kept), kept)


def _not_polyaxonfile(message: str) -> Diagnostic:
    return Diagnostic(Range(Position(0, 0), Position(0, 1)), Severity.ERROR, "not-polyaxonfile", message)


def validate_document(document: ParsedDocument) -> list[Diagnostic]:
    """All diagnostics for a parsed document, in document order."""
    diagnostics = list(document.diagnostics)
    root = document.root
    if root is None:
        if not diagnostics:
            diagnostics.append(
                _not_polyaxonfile("The file is empty: a polyaxonfile must be a mapping (with `kind`, `run`, ...).")
            )
    elif not isinstance(root, MappingNode):
        diagnostics.append(
            Diagnostic(
                Range(root.start, Position(root.start.line, root.start.column + 1)),
                Severity.ERROR,
                "not-polyaxonfile",
                "A polyaxonfile must be a mapping (with `kind`, `run`, ...), not a list or a scalar.",
            )
        )
    else:
        explain = _to_explain(document, root.value)
        if explain is not None:
            from .errormap import ErrorMapper  # needs jsonschema: only load it when explaining errors

            mapper = ErrorMapper(root, explain.document_path)
            mapper.add_errors(_validator().iter_errors(explain.instance))
            diagnostics.extend(mapper.finish())
    return sorted(diagnostics, key=lambda d: d.sort_key)


def validate_text(text: str) -> list[Diagnostic]:
    """All diagnostics for a polyaxonfile's text; never raises on bad input."""
    return validate_document(parse_document(text))

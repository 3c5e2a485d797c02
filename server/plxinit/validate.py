"""Validate a polyaxonfile: read it, check it against the canonical schema, map the errors.

This is the one entry point the CLI and the language server share.
"""

from __future__ import annotations

import functools
from typing import Any

from .diagnostics import Diagnostic, Position, Range, Severity
from .errormap import ErrorMapper
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


def _not_polyaxonfile(message: str) -> Diagnostic:
    return Diagnostic(Range(Position(0, 0), Position(0, 1)), Severity.ERROR, "not-polyaxonfile", message)


def validate_document(document: ParsedDocument) -> list[Diagnostic]:
    """All diagnostics for a parsed document, in document order."""
    diagnostics = list(document.diagnostics)
    root = document.root
    if root is None:
        if not diagnostics:
            diagnostics.append(_not_polyaxonfile("The file is empty: a polyaxonfile must be a mapping (with `kind`, `run`, ...)."))
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
        mapper = ErrorMapper(root)
        mapper.add_errors(_validator().iter_errors(root.value))
        diagnostics.extend(mapper.finish())
    return sorted(diagnostics, key=lambda d: d.sort_key)


def validate_text(text: str) -> list[Diagnostic]:
    """All diagnostics for a polyaxonfile's text; never raises on bad input."""
    return validate_document(parse_document(text))

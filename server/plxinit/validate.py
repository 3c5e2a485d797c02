"""Validate a polyaxonfile: read it, check it against the canonical schema, map the errors.

This is the one entry point the CLI and the language server share. Two validators read
the same canonical schema: jsonschema-rs (compiled, ~100x faster) answers "is it valid?"
for JSON-compatible documents, and python-jsonschema, whose errors carry the paths our
error mapper needs, runs only when something is wrong, and then only on the init
entries that jsonschema-rs could not accept (list indices are mapped back).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Position, Range, Related, Severity
from .messages import clip_message
from .overflow import Overflow
from .printable import printable
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


class _FastCheck:
    """jsonschema-rs validators for the whole document and (compiled on first use, since only
    a rejected document needs it) for a single init entry."""

    def __init__(self, compile_schema: Callable[[Any], Any]) -> None:
        self._compile = compile_schema
        self.document = compile_schema(load_schema())

    @functools.cached_property
    def entry(self) -> Any:
        schema = load_schema()
        return self._compile({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/init-entry"})


@functools.lru_cache(maxsize=1)
def _fast_check() -> _FastCheck | None:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional accelerator
        return None
    return _FastCheck(jsonschema_rs.validator_for)


def _fast_is_valid(validator: Any, value: Any) -> bool:
    """jsonschema-rs's verdict; False (so: ask python-jsonschema) if it cannot take the value."""
    try:
        return bool(validator.is_valid(value))
    except (ValueError, TypeError, OverflowError):
        return False


PathKey = tuple[str | int, ...]

#: At most this many rejected init entries are explained per document. python-jsonschema holds
#: every error of an init list at once (its `anyOf` collects them), about 1 ms and 5 KB each:
#: 200,000 bad entries would take minutes and gigabytes. The rest get one diagnostic.
MAX_EXPLAINED_ENTRIES = 500

#: At most this many diagnostics per document; the others are counted in one more diagnostic.
MAX_DIAGNOSTICS = 1000


@dataclass
class _ToExplain:
    """What python-jsonschema must walk, and how its list indices map back to the document.

    Init entries that jsonschema-rs accepts are dropped (nothing to say about them), so a
    10,000-line file with one mistake costs one entry's validation, not thousands.
    """

    instance: Any
    kept: dict[PathKey, list[int]]  # path of an init list -> document index of each kept entry
    left_out: dict[PathKey, list[int]] = dataclasses.field(default_factory=dict)  # rejected, not explained

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


def _without_valid_entries(value: Any, fast: _FastCheck, path: PathKey, explain: _ToExplain) -> Any:
    """A copy of `value` whose init lists keep only the entries jsonschema-rs rejects (the first
    MAX_EXPLAINED_ENTRIES of them in the document; the others are recorded as left out)."""
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
                room = max(0, MAX_EXPLAINED_ENTRIES - sum(len(kept) for kept in explain.kept.values()))
                if len(indices) > room:
                    explain.left_out[list_path] = indices[room:]
                    indices = indices[:room]
                explain.kept[list_path] = indices
                copy[key] = [item[index] for index in indices]
            else:
                copy[key] = _without_valid_entries(item, fast, (*path, key), explain)
        return copy
    if isinstance(value, list):
        return [_without_valid_entries(item, fast, (*path, index), explain) for index, item in enumerate(value)]
    return value


def _to_explain(document: ParsedDocument, value: Any) -> _ToExplain | None:
    """What python-jsonschema must walk: None when the document is valid as it is."""
    fast = _fast_check() if document.json_compatible else None
    if fast is None:
        return _ToExplain(value, {})
    if _fast_is_valid(fast.document, value):
        return None
    explain = _ToExplain(None, {})
    explain.instance = _without_valid_entries(value, fast, (), explain)
    return explain


def _left_out(root: MappingNode, explain: _ToExplain) -> list[Diagnostic]:
    """One diagnostic per init list whose rejected entries were not all explained, at the first left out."""
    from .locate import locate
    from .messages import label

    diagnostics = []
    for list_path, indices in explain.left_out.items():
        first = [*list_path, indices[0]]
        node = locate(root, first).value or root
        message = (
            f"{label(first)} and {len(indices) - 1:,} later entries of this list are invalid too; "
            f"only the first {MAX_EXPLAINED_ENTRIES:,} invalid init entries of a file are explained."
        )
        where = Range(node.start, Position(node.start.line, node.start.column + 1))
        diagnostics.append(Diagnostic(where, Severity.ERROR, "too-complex", message))
    return diagnostics


def _schema_accepts(schema: Any, value: Any) -> bool:
    """Whether the sub-schema `schema` (a part of the canonical one) accepts `value`."""
    try:
        return bool(_validator().evolve(schema=schema).is_valid(value))
    except Exception:  # advice only: when in doubt, advise nothing
        return False


def _not_polyaxonfile(message: str) -> Diagnostic:
    return Diagnostic(Range(Position(0, 0), Position(0, 1)), Severity.ERROR, "not-polyaxonfile", message)


def validate_document(document: ParsedDocument) -> list[Diagnostic]:
    """All diagnostics for a parsed document (at most MAX_DIAGNOSTICS and one saying how many
    more there are), in document order."""
    overflow = Overflow()
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

            mapper = ErrorMapper(root, explain.document_path, _schema_accepts, limit=MAX_DIAGNOSTICS)
            mapper.add_errors(_validator().iter_errors(printable(explain.instance)))
            diagnostics.extend(mapper.finish())
            diagnostics.extend(_left_out(root, explain))
            overflow = mapper.overflow
        from .rules import rule_diagnostics

        diagnostics.extend(rule_diagnostics(root, root.value, diagnostics))
    if len(diagnostics) > MAX_DIAGNOSTICS:
        # errors first: a thousand duplicate-key warnings must not hide the one error
        diagnostics.sort(key=lambda d: (d.severity is not Severity.ERROR, d.sort_key))
        for dropped in diagnostics[MAX_DIAGNOSTICS:]:
            overflow.add(dropped.range, dropped.severity)
        del diagnostics[MAX_DIAGNOSTICS:]
    summary = overflow.diagnostic(MAX_DIAGNOSTICS)
    if summary is not None:
        diagnostics.append(summary)
    return sorted((_shown(d) for d in diagnostics), key=lambda d: d.sort_key)


def _shown(diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its messages as every client shows them: one line, long values clipped.

    The reader quotes the user's text as written (a duplicate key of 400 KB, a key over several
    lines); the CLI and the language server both get the clipped form from here.
    """
    message = clip_message(diagnostic.message)
    related = tuple(Related(r.range, clip_message(r.message)) for r in diagnostic.related)
    if message == diagnostic.message and related == diagnostic.related:
        return diagnostic
    return dataclasses.replace(diagnostic, message=message, related=related)


def validate_text(text: str) -> list[Diagnostic]:
    """All diagnostics for a polyaxonfile's text; never raises on bad input."""
    return validate_document(parse_document(text))

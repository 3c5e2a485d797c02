"""Validate a polyaxonfile: read it, check it against the canonical schema, map the errors.

This is the one entry point the CLI and the language server share. Two validators read
the same canonical schema: jsonschema-rs (compiled, ~100x faster) answers "is it valid?"
for JSON-compatible documents, and python-jsonschema, whose errors carry the paths our
error mapper needs, runs only when something is wrong, and then only on what jsonschema-rs
could not accept: rejected init entries (list indices are mapped back), and of any other
list, the elements jsonschema-rs rejects (the others are skipped where they are, so the
rules on the list itself still see all of it).

Compiling the whole schema takes jsonschema-rs ~35 ms; the first documents of a process
are checked against the part of it they reach (fastpath.py), a few milliseconds.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Position, Range, Related, Severity
from .fastpath import Unsupported, narrowed_schema
from .messages import clip_message
from .overflow import Overflow
from .printable import printable
from .schema import load_schema
from .yamldoc import MappingNode, ParsedDocument, parse_document

if TYPE_CHECKING:
    from .refs import RuleContext


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

    every_item = Draft202012Validator.VALIDATORS["items"]

    def items(validator: Any, items: Any, instance: Any, schema: Any) -> Iterator[Any]:
        """`items`, skipping the elements jsonschema-rs accepts: they yield no error anyway."""
        accepted = _accepted_now.get()
        start = len(schema.get("prefixItems", ()))
        skip = accepted.elements(items, instance, start) if accepted is not None else frozenset()
        if not skip:
            yield from every_item(validator, items, instance, schema)
            return
        for index in range(start, len(instance)):
            if index not in skip:
                yield from validator.descend(instance=instance[index], schema=items, path=index)

    validator_cls = extend(Draft202012Validator, validators={"items": items}, type_checker=checker)
    return validator_cls(load_schema())


#: Work (about: subschema-instance pairs visited) a process spends on narrowing the document
#: schema before it compiles the whole one, about what that compile costs, counting each
#: narrowed compile as NARROWING_OVERHEAD more (a small file is ~1,000, a 2,000-line DAG
#: ~100,000). So a run of `plx-validate` on a few files narrows, the language server, validating
#: again and again, soon has the whole schema.
NARROWING_BUDGET = 150_000
NARROWING_OVERHEAD = 30_000

#: Work allowed for narrowing a part of the schema to the values at hand (init entries, list
#: elements), while explaining a rejected document: beyond it, the part is compiled whole.
PART_BUDGET = 2_000_000

#: Narrowings of one part a process makes before it compiles that part whole: the language
#: server explains the same part on every keystroke, and a whole part, compiled once, is then
#: cheaper than a narrowing per validation (a 200-node DAG: 46-55 ms a validation against 70-100).
PART_NARROWINGS = 3

_INIT_ENTRY = {"$ref": "#/$defs/init-entry"}


class _FastCheck:
    """jsonschema-rs validators: for the whole document and (only a rejected document needs
    them) for a single init entry and for the elements of other lists.

    A schema narrowed to the values at hand (fastpath.py) is compiled, exact for those values:
    a few milliseconds, where the whole schema takes ~35 ms, and so does any part of it, as
    jsonschema-rs reads the whole of `$defs` each time.
    """

    def __init__(self, compile_schema: Callable[[Any], Any]) -> None:
        self._compile = compile_schema
        self._budget_left = NARROWING_BUDGET
        self._whole_document: Any = None
        self._whole_parts: dict[int, tuple[Any, Any]] = {}  # id(node) -> (node, its compiled validator)
        self._part_narrowings: dict[int, int] = {}  # id(node) -> narrowings made of it

    def for_document(self, value: Any) -> Any:
        """A validator that judges the document `value` as the canonical schema does: narrowed to
        it while the process has budget left, else the whole schema (compiled once)."""
        canonical = load_schema()
        if self._whole_document is None and self._budget_left > 0:
            narrowed = self._narrowed(canonical, [value], self._budget_left)
            if narrowed is not None:
                return narrowed
            self._budget_left = 0  # too big to be worth it: from now on, the whole schema
        if self._whole_document is None:
            self._whole_document = self._compile(canonical)
        return self._whole_document

    def for_part(self, node: Any, values: list[Any]) -> Any:
        """A validator that judges each of `values` as the part `node` of the canonical schema does."""
        known = self._whole_parts.get(id(node))
        narrowings = self._part_narrowings.get(id(node), 0)
        if known is None and narrowings < PART_NARROWINGS:
            self._part_narrowings[id(node)] = narrowings + 1
            narrowed = self._narrowed(node, values, PART_BUDGET)
            if narrowed is not None:
                return narrowed
        if known is None:
            canonical = load_schema()
            whole = {"$schema": canonical["$schema"], "$defs": canonical["$defs"], "allOf": [node]}
            known = self._whole_parts[id(node)] = (node, self._compile(whole))  # node kept: its id stays its own
        return known[1]

    def _narrowed(self, node: Any, values: list[Any], budget: int) -> Any:
        """The compiled narrowing of `node` to `values`; None when it is unsupported or over `budget`."""
        try:
            schema, work = narrowed_schema(load_schema(), node, values, budget)
        except (Unsupported, RecursionError):
            return None
        if node is load_schema():
            self._budget_left -= work + NARROWING_OVERHEAD
        try:
            return self._compile(schema)
        except ValueError:  # jsonschema-rs refusing a narrowing would be our bug: use the whole schema
            return None


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


def _exact_types(value: Any) -> Any:
    """`value` with `printable`'s str and int subclasses turned back into str and int, which
    jsonschema-rs refuses ("Unsupported type")."""
    if isinstance(value, dict):
        return {_exact_types(key): _exact_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact_types(item) for item in value]
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if isinstance(value, int) and type(value) not in (int, bool):
        return int.__int__(value)
    return value


class _AcceptedElements:
    """Which list elements jsonschema-rs accepts, asked while python-jsonschema explains a
    rejected document: those are skipped. One narrowed compile per list and item schema,
    done only for lists with at least MIN_ELEMENTS containers (a few scalars cost nothing)."""

    MIN_ELEMENTS = 2

    def __init__(self, fast: _FastCheck, settled: set[int]) -> None:
        self._fast = fast
        self._settled = settled  # ids of lists already reduced to what jsonschema-rs rejects
        self.wrapped = True  # whether the instance explained may hold `printable`'s wrappers
        self._known: dict[tuple[int, int], frozenset[int]] = {}
        self._kept: list[Any] = []  # what the keys of _known are ids of, kept alive

    def elements(self, items: Any, instance: Any, start: int) -> frozenset[int]:
        """Indices (from `start`) of the elements of `instance` that `items` accepts."""
        if isinstance(items, bool) or not isinstance(instance, list) or id(instance) in self._settled:
            return frozenset()
        key = (id(items), id(instance))
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._accepted(items, instance, start)
            self._kept.append((items, instance))
        return known

    def _accepted(self, items: Any, instance: list[Any], start: int) -> frozenset[int]:
        containers = [index for index in range(start, len(instance)) if isinstance(instance[index], (dict, list))]
        if len(containers) < self.MIN_ELEMENTS:
            return frozenset()
        values = [_exact_types(instance[index]) if self.wrapped else instance[index] for index in containers]
        validator = self._fast.for_part(items, values)
        return frozenset(
            index for index, value in zip(containers, values, strict=True) if _fast_is_valid(validator, value)
        )


#: The accepted elements of the document being explained in this thread (None: skip nothing).
_accepted_now: contextvars.ContextVar[_AcceptedElements | None] = contextvars.ContextVar(
    "plx_accepted_elements", default=None
)


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
    accepted: _AcceptedElements | None = None  # what python-jsonschema may skip in `instance`
    settled: set[int] = dataclasses.field(default_factory=set)  # ids of the reduced init lists

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


def _init_lists(value: Any) -> Iterator[list[Any]]:
    """The init lists `_without_valid_entries` reduces, in the same walk."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "init" and isinstance(item, list):
                yield item
            else:
                yield from _init_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _init_lists(item)


def _without_valid_entries(value: Any, entry: Any, path: PathKey, explain: _ToExplain) -> Any:
    """A copy of `value` whose init lists keep only the entries jsonschema-rs (`entry`) rejects
    (the first MAX_EXPLAINED_ENTRIES of them in the document; the others are recorded as left out)."""
    if isinstance(value, dict):
        copy: dict[Any, Any] = {}
        for key, item in value.items():
            if key == "init" and isinstance(item, list):
                indices = [
                    index
                    for index, init_entry in enumerate(item)
                    if not (isinstance(init_entry, dict) and _fast_is_valid(entry, init_entry))
                ]
                list_path = (*path, key)
                room = max(0, MAX_EXPLAINED_ENTRIES - sum(len(kept) for kept in explain.kept.values()))
                if len(indices) > room:
                    explain.left_out[list_path] = indices[room:]
                    indices = indices[:room]
                explain.kept[list_path] = indices
                copy[key] = reduced = [item[index] for index in indices]
                explain.settled.add(id(reduced))
            else:
                copy[key] = _without_valid_entries(item, entry, (*path, key), explain)
        return copy
    if isinstance(value, list):
        return [_without_valid_entries(item, entry, (*path, index), explain) for index, item in enumerate(value)]
    return value


def _to_explain(document: ParsedDocument, value: Any) -> _ToExplain | None:
    """What python-jsonschema must walk: None when the document is valid as it is."""
    fast = _fast_check() if document.json_compatible else None
    if fast is None:
        return _ToExplain(value, {})
    if _fast_is_valid(fast.for_document(value), value):
        return None
    entries = [entry for entries in _init_lists(value) for entry in entries if isinstance(entry, dict)]
    entry = fast.for_part(_INIT_ENTRY, entries) if entries else None
    explain = _ToExplain(None, {})
    explain.instance = _without_valid_entries(value, entry, (), explain)
    explain.accepted = _AcceptedElements(fast, explain.settled)
    return explain


def document_accepted(value: Any) -> bool:
    """Whether the canonical schema accepts a loaded document (the rule pass asks it of variants)."""
    fast = _fast_check()
    if fast is not None:
        exact = _exact_types(value)
        if _fast_is_valid(fast.for_document(exact), exact):
            return True
    return bool(_validator().is_valid(printable(value)))


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


def validate_document(document: ParsedDocument, context: RuleContext | None = None) -> list[Diagnostic]:
    """All diagnostics for a parsed document (at most MAX_DIAGNOSTICS and one saying how many
    more there are), in document order.

    `context` tells the rule pass where the document is (its pathRefs are followed) and gives
    the user's catalog (refs.py); without one, neither is checked.
    """
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
            instance = printable(explain.instance)
            if explain.accepted is not None:
                explain.accepted.wrapped = instance is not explain.instance
            skipping = _accepted_now.set(explain.accepted)
            try:
                mapper.add_errors(_validator().iter_errors(instance))
            finally:
                _accepted_now.reset(skipping)
            diagnostics.extend(mapper.finish())
            diagnostics.extend(_left_out(root, explain))
            overflow = mapper.overflow
        from .rules import rule_diagnostics

        diagnostics.extend(rule_diagnostics(root, root.value, diagnostics, context))
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


def validate_text(text: str, context: RuleContext | None = None) -> list[Diagnostic]:
    """All diagnostics for a polyaxonfile's text; never raises on bad input."""
    return validate_document(parse_document(text), context)

"""Polyaxon's rules that JSON Schema cannot say, as one pass over the loaded document.

Each finder in FINDERS walks the loaded value and yields `Finding`s (findings.py: a path into
the document, a message, a code, related places): the matrix's number comparisons
(matrix_rules.py), IO values against their types and validations (io_values.py), and the DAG
of the composed file (dag_rules.py). `rule_diagnostics` places them in the document and drops
any that sit inside a value the schema already reported on (one message per root cause).

Given a `RuleContext` (refs.py: the document's path, the user's catalog), the pass first follows
the document's pathRefs and runs the finders on the composed value, each referenced component in
place of its `pathRef`, as Polyaxon composes it; the catalog's finder runs there too.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Position, Range, Related, Severity
from .findings import Finding
from .lazy_finders import dag_findings, io_value_findings, params_findings, rendered_template_findings
from .locate import locate
from .matrix_rules import matrix_rule_findings
from .yamldoc import Node, ScalarNode

if TYPE_CHECKING:
    from .refs import RuleContext

#: Every finder of the pass, in the order their findings are reported.
FINDERS: tuple[Callable[[Any], Iterator[Finding]], ...] = (
    matrix_rule_findings,
    dag_findings,
    io_value_findings,
    params_findings,
    rendered_template_findings,
)


def _range_of(root: Node, path: list[Any], on_key: bool, span: tuple[int, int] | None = None) -> Range | None:
    located = locate(root, path)
    node = located.key if on_key and located.key is not None else located.value
    if node is None:
        return None
    inside = span_range(node, span) if span is not None else None
    return node.range if inside is None else inside


#: Characters a double-quoted escape takes in the source, by the letter after the backslash.
_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def span_range(node: Node, span: tuple[int, int]) -> Range | None:
    """Where characters `span` of a string scalar's value are in the source; None when not exact.

    Exact for single-line plain and quoted scalars (escapes and `''` counted) and for block
    scalars whose lines appear whole in the value; anything else is reported on the scalar.
    """
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
        return None
    start, end = span
    if not 0 <= start < end <= len(node.value):
        return None
    places = _value_places(node)
    if places is None or places[start] is None or places[end - 1] is None:
        return None
    first, last = places[start], places[end - 1]
    assert first is not None and last is not None
    return Range(Position(first[0], first[1]), Position(last[0], last[2]))


def _value_places(node: ScalarNode) -> list[tuple[int, int, int] | None] | None:
    """For each character of the value: (line, start column, end column) in the document."""
    source, value, origin = node.source, node.value, node.start
    if node.style in ("|", ">"):
        return _block_places(source, value, origin.line)
    if "\n" in source or "\r" in source:
        return None
    if node.style is None:
        if source != value:
            return None
        return [(origin.line, origin.column + i, origin.column + i + 1) for i in range(len(value))]
    if node.style not in ("'", '"') or len(source) < 2 or source[0] != node.style or source[-1] != node.style:
        return None
    places: list[tuple[int, int, int] | None] = []
    i = 1
    while i < len(source) - 1:
        width = 1
        if node.style == "'" and source.startswith("''", i):
            width = 2
        elif node.style == '"' and source[i] == "\\":
            width = _ESCAPE_LENGTHS.get(source[i + 1 : i + 2], 2)
        places.append((origin.line, origin.column + i, origin.column + i + width))
        i += width
    return places if len(places) == len(value) else None


def _block_places(source: str, value: str, first_line: int) -> list[tuple[int, int, int] | None] | None:
    lines = source.split("\n")
    body = [line for line in lines[1:] if line.strip()]
    if not body:
        return None
    indent = min(len(line) - len(line.lstrip(" ")) for line in body)
    places: list[tuple[int, int, int] | None] = [None] * len(value)
    cursor = 0
    for number, line in enumerate(lines[1:], start=1):
        content = line[indent:].rstrip("\r")
        if not content.strip():
            continue
        found = value.find(content, cursor)
        if found < 0 or value[cursor:found].strip():
            return None
        for j in range(len(content)):
            places[found + j] = (first_line + number, indent + j, indent + j + 1)
        cursor = found + len(content)
    return places


class _Reported:
    """The ranges the schema reported errors on, to ask whether a place overlaps one: sorted by
    start with a running maximum of ends, so each question is two bisections, not a scan (a file
    with 800 DAG nodes and 500 errors spent 55 ms here)."""

    def __init__(self, ranges: list[Range]) -> None:
        ordered = sorted(ranges, key=lambda r: r.start)
        self.starts = [r.start for r in ordered]
        self.max_end: list[Position] = []
        for r in ordered:
            self.max_end.append(r.end if not self.max_end or r.end > self.max_end[-1] else self.max_end[-1])

    def overlaps(self, where: Range) -> bool:
        """Whether a reported range holds `where`, or starts inside it."""
        before = bisect.bisect_right(self.starts, where.start)
        if before and self.max_end[before - 1] >= where.end:
            return True
        first = bisect.bisect_left(self.starts, where.start)
        return first < len(self.starts) and self.starts[first] < where.end


def _findings(value: Any, context: RuleContext | None) -> Iterator[Finding]:
    """The references' findings, then every finder's on the composed value (refs.py), placed here.

    Without a context the document is checked on its own: no reference is followed or named.
    """
    if context is None:
        for finder in FINDERS:
            yield from finder(value)
        return
    from .refs import resolve_references

    resolution = resolve_references(value, context)
    yield from resolution.findings
    if context.references_only:
        return
    finders = list(FINDERS)
    if context.catalog is not None:
        from .catalog import catalog_findings

        catalog = context.catalog
        finders.append(lambda composed: catalog_findings(composed, catalog))
    for finder in finders:
        for finding in finder(resolution.value):
            placed = resolution.local(finding)
            if placed is not None:
                yield placed


def rule_diagnostics(
    root: Node, value: Any, already: list[Diagnostic], context: RuleContext | None = None
) -> list[Diagnostic]:
    """The pass's diagnostics, leaving out any inside a value the schema already reported on.

    `context` (refs.py) gives the document's path, for its pathRefs, and the user's catalog.
    """
    reported = _Reported([d.range for d in already if d.severity is Severity.ERROR])
    found = []
    for finding in _findings(value, context):
        where = _range_of(root, finding.path, finding.on_key, finding.span)
        if where is None or reported.overlaps(where):
            continue
        related = []
        for path, message in finding.related:
            other = _range_of(root, path, False)
            if other is not None:
                related.append(Related(other, message))
        found.append(Diagnostic(where, finding.severity, finding.code, finding.message, related=tuple(related)))
    # a warning inside the value another finder's error is about says nothing more (one message per
    # root cause): `{{ n }}` undeclared in an input value that is already wrong for its type
    errors = _Reported([d.range for d in found if d.severity is Severity.ERROR])
    return [d for d in found if d.severity is Severity.ERROR or not errors.overlaps(d.range)]

"""Polyaxon's rules that JSON Schema cannot say, as a pass over the loaded document.

Each finder in FINDERS walks the loaded value and yields `Finding`s (a path into the document,
a message, a code, optional related places); `rule_diagnostics` turns them into diagnostics
and drops any that sit inside a value the schema already reported on (one message per root
cause).

Two matrix rules compare numbers inside one value: a range's `stop` must be greater than its
`start` (`BaseRange.validate_range`: range, linspace, logspace, geomspace, daterange and
datetimerange, in the object, list and `"a:b:c"` string forms), and the probabilities of a
`pchoice` must not add up to more than 1 (`V1HpPChoice.validate_value`). The schema checks the
shapes; this pass judges only values whose shape it could read, and says nothing otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Range, Related, Severity
from .locate import locate
from .yamldoc import Node

#: The hyperparameter kinds whose value is an ordered interval.
ORDERED_KINDS = frozenset({"range", "daterange", "datetimerange", "linspace", "logspace", "geomspace"})

Found = tuple[list[Any], str]


@dataclass(frozen=True)
class Finding:
    """One rule violation: where (a path into the loaded document), what, and related places.

    `on_key` reports at the key of `path` rather than at its value (a duplicated name is
    shown on the value, a misplaced section on its key). `related` holds (path, message)
    pairs, e.g. the first declaration of a duplicated name or the other nodes of a cycle.
    """

    path: list[Any]
    message: str
    code: str = "invalid-value"
    severity: Severity = Severity.ERROR
    on_key: bool = False
    related: tuple[tuple[list[Any], str], ...] = ()


def _comparable(value: Any, kind: str) -> Any:
    """The bound as Polyaxon compares it (a date, a naive datetime or a float); raises if unreadable."""
    if kind == "daterange":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        return datetime.date.fromisoformat(value.strip()) if isinstance(value, str) else None
    if kind == "datetimerange":
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        return datetime.datetime.fromisoformat(value.strip()) if isinstance(value, str) else None
    if isinstance(value, (bool, int, float)):
        return float(value)
    if isinstance(value, str):
        return float(value.replace("_", ""))
    return None


def _bounds(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, dict) and "start" in value and "stop" in value:
        return value["start"], value["stop"]
    if isinstance(value, list) and len(value) >= 3:
        return value[0], value[1]
    if isinstance(value, str) and "{{" not in value and value.count(":") >= 2:
        start, stop = value.split(":")[:2]
        return start, stop
    return None


def _hyperparameter(name: str, hp: Any) -> Iterator[Found]:
    if not isinstance(hp, dict):
        return
    kind, value = hp.get("kind"), hp.get("value")
    if not isinstance(kind, str):
        return
    if kind in ORDERED_KINDS:
        bounds = _bounds(value)
        if bounds is None:
            return
        try:
            start, stop = _comparable(bounds[0], kind), _comparable(bounds[1], kind)
            ordered = start is None or stop is None or start < stop
        except (ValueError, TypeError, OverflowError):  # not readable: the schema's to judge
            return
        if not ordered:
            yield (
                ["value"],
                f"`{name}`: a `{kind}` needs `stop` greater than `start`; "
                f"it has start {bounds[0]} and stop {bounds[1]}.",
            )
    elif kind == "pchoice" and isinstance(value, list):
        # Left to right, as Python 3.11's sum() adds (3.12 made sum() compensated, which would
        # change verdicts such as 0.1 + 0.2 + 0.7).
        total = 0.0
        for item in value:
            if isinstance(item, list) and len(item) == 2 and isinstance(item[1], float) and item[1]:
                total = total + item[1]
        if total > 1:
            yield ["value"], f"`{name}`: the `pchoice` probabilities add up to {total:g}, more than 1."


def matrix_findings(value: Any, path: list[Any] | None = None) -> Iterator[Found]:
    """(path, message) for every matrix (the root's, DAG operations', components'), recursively."""
    path = path or []
    if isinstance(value, dict):
        matrix = value.get("matrix")
        if isinstance(matrix, dict) and isinstance(matrix.get("params"), dict):
            for name, hp in matrix["params"].items():
                for sub, message in _hyperparameter(str(name), hp):
                    yield [*path, "matrix", "params", name, *sub], message
        for key, item in value.items():
            if key != "matrix":
                yield from matrix_findings(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from matrix_findings(item, [*path, index])


def matrix_rule_findings(value: Any) -> Iterator[Finding]:
    """The range-order and pchoice-sum rules of every matrix in the document."""
    for path, message in matrix_findings(value):
        yield Finding(path, message)


#: Every finder of the pass, in the order their findings are reported.
FINDERS: tuple[Callable[[Any], Iterator[Finding]], ...] = (matrix_rule_findings,)


def _range_of(root: Node, path: list[Any], on_key: bool) -> Range | None:
    located = locate(root, path)
    node = located.key if on_key and located.key is not None else located.value
    return None if node is None else node.range


def _overlaps(where: Range, reported: list[Range]) -> bool:
    return any((r.start <= where.start and where.end <= r.end) or where.start <= r.start < where.end for r in reported)


def rule_diagnostics(root: Node, value: Any, already: list[Diagnostic]) -> list[Diagnostic]:
    """The pass's diagnostics, leaving out any inside a value the schema already reported on."""
    reported = [d.range for d in already if d.severity is Severity.ERROR]
    found = []
    for finder in FINDERS:
        for finding in finder(value):
            where = _range_of(root, finding.path, finding.on_key)
            if where is None or _overlaps(where, reported):
                continue
            related = []
            for path, message in finding.related:
                other = _range_of(root, path, False)
                if other is not None:
                    related.append(Related(other, message))
            found.append(Diagnostic(where, finding.severity, finding.code, finding.message, related=tuple(related)))
    return found

"""The matrix rules JSON Schema cannot say: numbers compared inside one value.

A range's `stop` must be greater than its `start` (`BaseRange.validate_range`: range, linspace,
logspace, geomspace, daterange and datetimerange, in the object, list and `"a:b:c"` string
forms), and the probabilities of a `pchoice` must not add up to more than 1
(`V1HpPChoice.validate_value`). The schema checks the shapes; this pass judges only values whose
shape it could read, and says nothing otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from .findings import Finding

#: The hyperparameter kinds whose value is an ordered interval.
ORDERED_KINDS = frozenset({"range", "daterange", "datetimerange", "linspace", "logspace", "geomspace"})

Found = tuple[list[Any], str]


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

"""What a rule pass yields: one violation, as a path into the loaded document and a message.

The finders (matrix_rules, io_values, dag_rules) build these; rules.py places them in the
document and turns them into diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .diagnostics import Severity


@dataclass(frozen=True)
class Finding:
    """One rule violation: where (a path into the loaded document), what, and related places.

    `on_key` reports at the key of `path` rather than at its value (a duplicated name is
    shown on the value, a misplaced section on its key). `related` holds (path, message)
    pairs, e.g. the first declaration of a duplicated name or the other nodes of a cycle.
    `span` narrows the place to characters of the scalar's value (start, end offsets), e.g.
    an undeclared name inside a template string; rules.py maps them into the source.
    `renders_as` is what the `{{ }}` block holding the finding renders as, when that is known
    (an undeclared name: ""), for rendered.py to judge the rendered value.
    """

    path: list[Any]
    message: str
    code: str = "invalid-value"
    severity: Severity = Severity.ERROR
    on_key: bool = False
    related: tuple[tuple[list[Any], str], ...] = ()
    span: tuple[int, int] | None = None
    renders_as: str | None = None

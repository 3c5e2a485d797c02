"""Result objects of a validation: positions, ranges, severities and diagnostics.

Positions are 0-based lines and 0-based columns counted in Unicode code points;
reporters convert them (1-based for the CLI, UTF-16 for LSP clients).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Severity(str, enum.Enum):
    """How bad a finding is: `error` means Polyaxon rejects the file."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Position(NamedTuple):
    """A place in a document: 0-based line and 0-based code-point column."""

    line: int
    column: int


class Range(NamedTuple):
    """A half-open span of a document, `end` excluded."""

    start: Position
    end: Position


@dataclass(frozen=True)
class Related:
    """Another place that explains a diagnostic (an alias's anchor, where a quote opened)."""

    range: Range
    message: str


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, how bad, which rule, what to tell the user.

    `data` carries machine-readable facts for quick fixes, e.g.
    `{"suggestion": "filename"}` for an unknown key with a did-you-mean. `related` lists
    other places in the same document that explain it (reporters print them as notes, the
    language server as relatedInformation).
    """

    range: Range
    severity: Severity
    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    related: tuple[Related, ...] = field(default=(), compare=False)

    @property
    def sort_key(self) -> tuple[int, int, int, int, str]:
        """Order by position, then code, so every reporter prints the same order."""
        start, end = self.range.start, self.range.end
        return (start.line, start.column, end.line, end.column, self.code)

"""Problems found past a file's limit of diagnostics: counted, then told in one diagnostic.

A file with 300,000 unknown keys or 100,000 duplicate keys would take minutes to word and
tens of megabytes to print; past the limit, the validator only counts (see validate.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Range, Severity


@dataclass
class Overflow:
    """Problems found past the limit: how many, where the first is, whether one is an error."""

    count: int = 0
    first: Range | None = None
    error: bool = False

    def add(self, where: Range, severity: Severity) -> None:
        self.count += 1
        self.first = where if self.first is None or where.start < self.first.start else self.first
        self.error = self.error or severity is Severity.ERROR

    def diagnostic(self, limit: int) -> Diagnostic | None:
        """The one diagnostic that stands for them (None when there are none)."""
        if self.first is None:
            return None
        if self.count == 1:
            more = "1 more problem (this one) is"
        else:
            more = f"{self.count:,} more problems (the first one here) are"
        message = f"{more} not reported: a file gets at most {limit:,} diagnostics, errors first."
        severity = Severity.ERROR if self.error else Severity.WARNING
        return Diagnostic(Range(self.first.start, self.first.start), severity, "too-complex", message)

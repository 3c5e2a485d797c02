"""Polyaxon's rules that JSON Schema cannot say, as one pass over the loaded document.

Each finder in FINDERS walks the loaded value and yields `Finding`s (findings.py: a path into
the document, a message, a code, related places): the matrix's number comparisons
(matrix_rules.py), IO values against their types and validations (io_values.py), and the DAG
of the composed file (dag_rules.py). `rule_diagnostics` places them in the document and drops
any that sit inside a value the schema already reported on (one message per root cause).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .dag_rules import dag_findings
from .diagnostics import Diagnostic, Range, Related, Severity
from .findings import Finding
from .io_values import io_value_findings
from .locate import locate
from .matrix_rules import matrix_rule_findings
from .yamldoc import Node

#: Every finder of the pass, in the order their findings are reported.
FINDERS: tuple[Callable[[Any], Iterator[Finding]], ...] = (matrix_rule_findings, dag_findings, io_value_findings)


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

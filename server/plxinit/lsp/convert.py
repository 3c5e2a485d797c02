"""Pure converters from the core's results to LSP objects (ranges in the client's encoding)."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..diagnostics import Diagnostic, Position, Range, Severity
from .documents import Document

SOURCE = "plx"

_SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def lsp_position(document: Document, position: Position, encoding: str) -> lsp.Position:
    line = max(0, min(position.line, len(document.lines) - 1))
    if position.line > line:  # past the end: the end of the last line
        return lsp.Position(line, document.units(line, len(document.line(line)), encoding))
    return lsp.Position(line, document.units(line, position.column, encoding))


def lsp_range(document: Document, range_: Range, encoding: str) -> lsp.Range:
    return lsp.Range(lsp_position(document, range_.start, encoding), lsp_position(document, range_.end, encoding))


def core_position(document: Document, position: lsp.Position, encoding: str) -> Position:
    """A client position as the core's (line, code-point column), clamped to the text."""
    line = max(0, min(position.line, len(document.lines) - 1))
    return Position(line, document.column(line, position.character, encoding))


def lsp_related(document: Document, diagnostic: Diagnostic, encoding: str) -> list[lsp.DiagnosticRelatedInformation]:
    """The diagnostic's explaining places, all in the same document."""
    return [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=document.uri, range=lsp_range(document, related.range, encoding)),
            message=related.message,
        )
        for related in diagnostic.related
    ]


def lsp_diagnostic(
    document: Document, diagnostic: Diagnostic, encoding: str, related_information: bool = False
) -> lsp.Diagnostic:
    """`related_information`: the client declared relatedInformation support (else the field is left out)."""
    return lsp.Diagnostic(
        range=lsp_range(document, diagnostic.range, encoding),
        message=diagnostic.message,
        severity=_SEVERITIES.get(diagnostic.severity, lsp.DiagnosticSeverity.Error),
        code=diagnostic.code,
        source=SOURCE,
        data={"code": diagnostic.code, **diagnostic.data} if diagnostic.data else {"code": diagnostic.code},
        related_information=(lsp_related(document, diagnostic, encoding) or None) if related_information else None,
    )


def lsp_diagnostics(
    document: Document, diagnostics: list[Diagnostic], encoding: str, related_information: bool = False
) -> list[lsp.Diagnostic]:
    return [lsp_diagnostic(document, d, encoding, related_information) for d in diagnostics]

"""Render validation results: text (with source snippets), JSON, GitHub annotations, SARIF.

Lines and columns are 1-based and count Unicode code points; `endColumn` is exclusive
(the column just after the last character), as in SARIF.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .codes import CODES
from .diagnostics import Diagnostic, Severity


@dataclass
class FileResult:
    """What was found in one file, or why it could not be checked."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None
    problem: str | None = None


def _count(results: Sequence[FileResult], severity: Severity) -> int:
    return sum(1 for r in results for d in r.diagnostics if d.severity is severity)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _underline(line: str, start: int, end: int) -> str:
    """`^~~~` under code points [start, end) of `line`, keeping tabs so it aligns."""
    end = max(start + 1, min(end, len(line))) if start < len(line) else start + 1
    pad = "".join("\t" if ch == "\t" else " " * _display_width(ch) for ch in line[:start])
    width = max(1, _display_width(line[start:end]))
    return pad + "^" + "~" * (width - 1)


def render_text(results: Sequence[FileResult], color: bool = False) -> str:
    """actionlint-style: `file:line:col: severity: message [code]`, the line, an underline."""
    styles = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
    out: list[str] = []
    for result in results:
        if result.problem:
            out.append(f"{result.path}: error: {result.problem}")
            continue
        lines = (result.text or "").splitlines()
        for diag in result.diagnostics:
            start, end = diag.range.start, diag.range.end
            label = diag.severity.value
            if color:
                label = f"{styles[diag.severity]}{label}\033[0m"
            out.append(f"{result.path}:{start.line + 1}:{start.column + 1}: {label}: {diag.message} [{diag.code}]")
            if start.line < len(lines):
                source_line = lines[start.line]
                stop = end.column if end.line == start.line else len(source_line)
                gutter = str(start.line + 1)
                out.append(f"{' ' * len(gutter)} |")
                out.append(f"{gutter} | {source_line}")
                out.append(f"{' ' * len(gutter)} | {_underline(source_line, start.column, stop)}")
    errors, warnings = _count(results, Severity.ERROR), _count(results, Severity.WARNING)
    unreadable = sum(1 for r in results if r.problem)
    checked = len(results) - unreadable
    if errors or warnings:
        summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(checked, 'file')}"
    else:
        summary = f"No problems found in {_plural(checked, 'file')}"
    if unreadable:
        summary += f"; {_plural(unreadable, 'file')} could not be read"
    out.append(summary + ".")
    return "\n".join(out) + "\n"


def _diagnostic_json(diag: Diagnostic) -> dict[str, Any]:
    start, end = diag.range.start, diag.range.end
    return {
        "severity": diag.severity.value,
        "code": diag.code,
        "message": diag.message,
        "line": start.line + 1,
        "column": start.column + 1,
        "endLine": end.line + 1,
        "endColumn": end.column + 1,
    }


def render_json(results: Sequence[FileResult]) -> str:
    """`{"files": [{"path", "diagnostics": [...]}]}`; unreadable files carry an `error`."""
    files = []
    for result in results:
        entry: dict[str, Any] = {
            "path": result.path,
            "diagnostics": [_diagnostic_json(d) for d in result.diagnostics],
        }
        if result.problem:
            entry["error"] = result.problem
        files.append(entry)
    return json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(results: Sequence[FileResult]) -> str:
    """GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding."""
    out = []
    for result in results:
        path = _escape_property(result.path)
        if result.problem:
            out.append(f"::error file={path},title=plx-validate::{_escape_data(result.problem)}")
            continue
        for diag in result.diagnostics:
            level = (
                "error"
                if diag.severity is Severity.ERROR
                else "warning"
                if diag.severity is Severity.WARNING
                else "notice"
            )
            start, end = diag.range.start, diag.range.end
            props = (
                f"file={path},line={start.line + 1},col={start.column + 1},"
                f"endLine={end.line + 1},endColumn={end.column + 1},"
                f"title={_escape_property(f'plx-validate ({diag.code})')}"
            )
            out.append(f"::{level} {props}::{_escape_data(diag.message)}")
    return "\n".join(out) + ("\n" if out else "")


def render_sarif(results: Sequence[FileResult]) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it."""
    rule_ids = list(CODES)
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary},
        }
        for code, summary in CODES.items()
    ]
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    sarif_results = []
    notifications = []
    for result in results:
        uri = result.path.replace("\\", "/").removeprefix("./")
        if result.problem:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{result.path}: {result.problem}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
            continue
        for diag in result.diagnostics:
            start, end = diag.range.start, diag.range.end
            sarif_results.append(
                {
                    "ruleId": diag.code,
                    "ruleIndex": rule_ids.index(diag.code) if diag.code in rule_ids else 0,
                    "level": levels[diag.severity],
                    "message": {"text": diag.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {
                                    "startLine": start.line + 1,
                                    "startColumn": start.column + 1,
                                    "endLine": end.line + 1,
                                    "endColumn": end.column + 1,
                                },
                            }
                        }
                    ],
                }
            )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "plx-validate",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://plx-init-tools.dev",
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"json": render_json, "github": render_github, "sarif": render_sarif}

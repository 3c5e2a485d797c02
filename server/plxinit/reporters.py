"""Render validation results: text (with source snippets), JSON, GitHub annotations, SARIF.

Lines and columns are 1-based and count Unicode code points; `endColumn` is exclusive
(the column just after the last character), as in SARIF. Output stays bounded whatever the
input: a snippet shows at most SNIPPET_WIDTH columns of its line, and long quoted values in
messages are clipped, so a huge string repeated through aliases prints kilobytes.
"""

from __future__ import annotations

import json
import os
import posixpath
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import quote

from . import __version__
from .codes import CODES
from .diagnostics import Diagnostic, Range, Severity
from .messages import clip_message, one_line
from .sources import STDIN

SNIPPET_WIDTH = 200
_SNIPPET_CONTEXT = 40  # columns kept before the range when a long line is cut
_CLIP = "…"
SARIF_ROOT = "%SRCROOT%"
STDIN_URI = "stdin"


@dataclass
class FileResult:
    """What was found in one file, or why it could not be checked."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None
    problem: str | None = None
    internal_error: bool = False  # `problem` is a bug of plx-validate, not of the file
    is_directory: bool = False  # `problem` is a directory's that a scan could not list
    is_stdin: bool = False


def _count(results: Sequence[FileResult], severity: Severity) -> int:
    return sum(1 for r in results for d in r.diagnostics if d.severity is severity)


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def _char_width(ch: str) -> int:
    """Terminal columns of one code point: 2 for wide ones, 0 for combining marks and format
    characters (an accent written as `e` + U+0301, a zero-width space), 1 otherwise."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1


def _display_width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _underline(line: str, start: int, end: int) -> str:
    """`^~~~` under code points [start, end) of `line`, keeping tabs so it aligns."""
    end = max(start + 1, min(end, len(line))) if start < len(line) else start + 1
    pad = "".join("\t" if ch == "\t" else " " * _display_width(ch) for ch in line[:start])
    width = max(1, _display_width(line[start:end]))
    return pad + "^" + "~" * (width - 1)


def _window(line: str, start: int, end: int) -> tuple[str, int, int]:
    """At most SNIPPET_WIDTH columns of `line` around [start, end), `…` where it is cut."""
    if len(line) <= SNIPPET_WIDTH:
        return line, start, end
    begin = max(0, min(start - _SNIPPET_CONTEXT, len(line) - SNIPPET_WIDTH))
    stop = begin + SNIPPET_WIDTH
    shown = (_CLIP if begin else "") + line[begin:stop] + (_CLIP if stop < len(line) else "")
    shift = begin - (1 if begin else 0)  # the leading mark takes one column
    return shown, start - shift, min(end, stop) - shift


def _snippet(lines: Sequence[str], where: Range) -> list[str]:
    """The `  |` / `N | line` / `  | ^~~` lines under a diagnostic (none past the end of the text)."""
    start, end = where.start, where.end
    if start.line >= len(lines):
        return []
    source_line = lines[start.line]
    stop = end.column if end.line == start.line else len(source_line)
    shown, column, stop = _window(source_line, start.column, stop)
    gutter = str(start.line + 1)
    return [
        f"{' ' * len(gutter)} |",
        f"{gutter} | {shown}",
        f"{' ' * len(gutter)} | {_underline(shown, column, stop)}",
    ]


def _summary(results: Sequence[FileResult]) -> str:
    """`3 errors, 0 warnings in 2 files`, `No problems found in 1 file`, `1 file could not be read`..."""
    errors, warnings = _count(results, Severity.ERROR), _count(results, Severity.WARNING)
    internal = sum(1 for r in results if r.problem and r.internal_error)
    unlistable = sum(1 for r in results if r.problem and r.is_directory)
    unreadable = sum(1 for r in results if r.problem and not r.internal_error) - unlistable
    checked = len(results) - internal - unreadable - unlistable
    parts = []
    if errors or warnings:
        parts.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(checked, 'file')}")
    elif checked:
        parts.append(f"No problems found in {_plural(checked, 'file')}")
    if unreadable:
        parts.append(f"{_plural(unreadable, 'file')} could not be read")
    if unlistable:
        parts.append(f"{_plural(unlistable, 'directory', 'directories')} could not be listed")
    if internal:
        parts.append(f"{_plural(internal, 'file')} could not be checked (internal error)")
    return ("; ".join(parts) if parts else "No polyaxonfiles found") + "."


def render_text(results: Sequence[FileResult], color: bool = False) -> str:
    """actionlint-style: `file:line:col: severity: message [code]`, the line, an underline, notes."""
    styles = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
    out: list[str] = []
    for result in results:
        path = one_line(result.path)  # a file name may hold a line break: the output stays one line each
        if result.problem:
            out.append(f"{path}: error: {clip_message(result.problem)}")
            continue
        lines = (result.text or "").splitlines()
        for diag in result.diagnostics:
            start = diag.range.start
            label = diag.severity.value
            if color:
                label = f"{styles[diag.severity]}{label}\033[0m"
            message = clip_message(diag.message)
            out.append(f"{path}:{start.line + 1}:{start.column + 1}: {label}: {message} [{diag.code}]")
            out.extend(_snippet(lines, diag.range))
            for related in diag.related:
                where = related.range.start
                out.append(f"{path}:{where.line + 1}:{where.column + 1}: note: {clip_message(related.message)}")
    out.append(_summary(results))
    return "\n".join(out) + "\n"


def _region_json(where: Range) -> dict[str, int]:
    start, end = where.start, where.end
    return {"line": start.line + 1, "column": start.column + 1, "endLine": end.line + 1, "endColumn": end.column + 1}


def _diagnostic_json(diag: Diagnostic) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "severity": diag.severity.value,
        "code": diag.code,
        "message": clip_message(diag.message),
        **_region_json(diag.range),
    }
    if diag.related:
        entry["related"] = [
            {**_region_json(related.range), "message": clip_message(related.message)} for related in diag.related
        ]
    return entry


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
            out.append(f"::error file={path},title=plx-validate::{_escape_data(clip_message(result.problem))}")
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
            out.append(f"::{level} {props}::{_escape_data(clip_message(diag.message))}")
    return "\n".join(out) + ("\n" if out else "")


WINDOWS = os.name == "nt"


def _encoded(path: str) -> str:
    """A `/`-separated path percent-encoded: every byte a file name may hold (not UTF-8 ones too)."""
    return quote(os.fsencode(path), safe="/")


def file_uri(path: str, windows: bool = WINDOWS) -> str:
    """The `file://` URI of an absolute path of this system (Windows: drive or UNC paths)."""
    if windows:
        return PureWindowsPath(path).as_uri()
    # POSIX keeps a leading `//`, which a URI would read as a host name
    return "file://" + _encoded("/" + posixpath.normpath(path).lstrip("/"))


def artifact_location(result: FileResult, windows: bool = WINDOWS) -> dict[str, str]:
    """A SARIF `artifactLocation`: a valid URI reference for any path a user can give.

    Relative paths stay relative to `%SRCROOT%` (the working directory, declared in
    `originalUriBaseIds`), absolute ones become `file://` URIs; both percent-encoded. Paths
    are read as this system reads them: a `\\` separates folders on Windows only (on POSIX it
    is part of a name). Standard input is the fixed relative URI `stdin` unless
    `--stdin-filename` named it.
    """
    if result.is_stdin and result.path == STDIN:
        return {"uri": STDIN_URI}
    path = result.path
    if PureWindowsPath(path).is_absolute() if windows else path.startswith("/"):
        return {"uri": file_uri(path, windows)}
    relative = posixpath.normpath(path.replace("\\", "/") if windows else path)
    return {"uri": _encoded(relative), "uriBaseId": SARIF_ROOT}


def _sarif_region(where: Range) -> dict[str, int]:
    start, end = where.start, where.end
    return {
        "startLine": start.line + 1,
        "startColumn": start.column + 1,
        "endLine": end.line + 1,
        "endColumn": end.column + 1,
    }


def _sarif_result(diag: Diagnostic, location: dict[str, str], rule_ids: list[str]) -> dict[str, Any]:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    entry: dict[str, Any] = {
        "ruleId": diag.code,
        "ruleIndex": rule_ids.index(diag.code) if diag.code in rule_ids else 0,
        "level": levels[diag.severity],
        "message": {"text": clip_message(diag.message)},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": _sarif_region(diag.range)}}],
    }
    if diag.related:
        entry["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {"artifactLocation": location, "region": _sarif_region(related.range)},
                "message": {"text": clip_message(related.message)},
            }
            for index, related in enumerate(diag.related)
        ]
    return entry


def render_sarif(results: Sequence[FileResult], root: str | None = None) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it; relative URIs are based on `root` (default: cwd)."""
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
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    relative_used = False
    for result in results:
        location = artifact_location(result)
        relative_used = relative_used or "uriBaseId" in location
        if result.problem:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{result.path}: {result.problem}"},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
            continue
        sarif_results.extend(_sarif_result(diag, location, rule_ids) for diag in result.diagnostics)
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
    if relative_used:
        base = file_uri(os.path.abspath(root or os.getcwd())).rstrip("/") + "/"
        run["originalUriBaseIds"] = {SARIF_ROOT: {"uri": base}}
    run["invocations"] = [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"json": render_json, "github": render_github, "sarif": render_sarif}

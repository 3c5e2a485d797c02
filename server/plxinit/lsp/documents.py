"""Open documents: text, version, incremental edits, and per-version caches.

The store keeps its own copy of every open document (not pygls' workspace) so that
stale versions, unknown URIs and out-of-range edits are handled in one place.

An edit costs what it touches, not the file's length: the line table is spliced (a new list
each version, so a reader holding the old one keeps a consistent snapshot) and the table of
line offsets is kept only up to the edited line, its tail recomputed when asked for. Texts
with a `\r` (CR or CRLF breaks) are re-split whole on each edit, since a `\r` next to the
edit can join or split line breaks.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import positions

if TYPE_CHECKING:
    from ..yamldoc import ParsedDocument
    from .context import CursorContext
    from .incremental import Base

log = logging.getLogger(__name__)

#: The line breaks of `positions.split_lines` (LSP's: CRLF, CR, LF).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Document:
    """One open document; `version` only grows."""

    uri: str
    text: str
    version: int
    language_id: str = "yaml"
    _lines: list[str] | None = field(default=None, repr=False)
    _offsets: list[int] | None = field(default=None, repr=False)
    _parsed: ParsedDocument | None = field(default=None, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _has_cr: bool = field(default=False, repr=False)
    #: The last version whose reading is known, from which `parsed` may re-read only the edited
    #: init entry (incremental.py); `incremental` says whether the current reading came that way.
    base: Base | None = field(default=None, repr=False)
    incremental: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._has_cr = "\r" in self.text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = positions.split_lines(self.text)
        return self._lines

    @property
    def offsets(self) -> list[int]:
        """Offset (in code points) where each line starts."""
        return self._offsets_upto(len(self.lines) - 1)

    def _offsets_upto(self, line: int) -> list[int]:
        """The offset table, valid at least up to `line` (only the missing tail is computed)."""
        offsets = self._offsets
        if offsets is None:
            offsets = self._offsets = [0]
        if len(offsets) <= line:
            breaks = _LINE_BREAK.finditer(self.text, offsets[-1])
            offsets.extend(match.end() for match in itertools.islice(breaks, line + 1 - len(offsets)))
        return offsets

    @property
    def parsed(self) -> ParsedDocument:
        """The core's reading of the current text (parsed once per version; from `base` when sure)."""
        if self._parsed is None:
            from . import incremental

            parsed = None
            if self.base is not None and self.base.version != self.version:
                parsed = incremental.reread(self.base, self.text, self.lines)
            self.incremental = parsed is not None
            if parsed is None:
                from ..yamldoc import parse_document

                parsed = parse_document(self.text)
                self.base = incremental.base_of(self.version, self.lines, parsed)
            else:
                self.base = incremental.Base(self.version, self.lines, parsed, plain=True)
            self._parsed = parsed
        return self._parsed

    def snapshot(self) -> Document:
        """A copy of this version for another thread (its reading starts from the same base)."""
        copy = Document(self.uri, self.text, self.version, self.language_id)
        copy._lines = self._lines
        copy.base = self.base
        return copy

    def adopt_parsed(self, snapshot: Document) -> None:
        """Take the core's reading (and base) from a snapshot of this very version (parsed elsewhere)."""
        if snapshot.version == self.version and snapshot.text == self.text:
            if self._parsed is None:
                self._parsed = snapshot._parsed
                self.incremental = snapshot.incremental
            self.base = snapshot.base
        elif snapshot.base is not None and (self.base is None or self.base.version < snapshot.base.version):
            self.base = snapshot.base  # a newer known reading: later edits are re-read from it

    def set_full_reading(self, snapshot: Document) -> None:
        """A full reading of this version (the background check): the base from now on."""
        if snapshot.version == self.version and snapshot.text == self.text:
            self._parsed = snapshot._parsed
            self.incremental = False
            self.base = snapshot.base

    # ------------------------------------------------------------------ per-version caches
    def cursor_context(self, line: int, column: int) -> CursorContext | None:
        """`context.cursor_context` of this version at (line, code-point column); the last one is kept."""
        cached = self.cache.get("cursor")
        if cached is not None and cached[0] == (line, column):
            return cached[1]
        from .context import cursor_context

        context = cursor_context(self.lines, line, column)
        self.cache["cursor"] = ((line, column), context)
        return context

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number] if 0 <= number < len(lines) else ""

    def offset(self, line: int, column: int) -> int:
        """Code-point offset of a (line, code-point column), clamped to the text."""
        if line < 0:
            return 0
        if line >= len(self.lines):
            return len(self.text)
        return self._offsets_upto(line)[line] + max(0, min(column, len(self.lines[line])))

    def column(self, line: int, units: int, encoding: str) -> int:
        """Code-point column of a client position's `character`."""
        return positions.from_units(self.line(line), units, encoding)

    def units(self, line: int, column: int, encoding: str) -> int:
        """Client units of a code-point column."""
        return positions.to_units(self.line(line), column, encoding)

    def replace(self, text: str, version: int) -> None:
        self.text = text
        self.version = version
        self._invalidate()

    def edit(self, start: tuple[int, int], end: tuple[int, int], new_text: str, encoding: str) -> None:
        """Apply one incremental change whose range is in client units."""
        lines = self.lines
        first, last = self._clamp(start, encoding), self._clamp(end, encoding)
        if last < first:
            first, last = last, first
        start_offset = self.offset(*first)
        end_offset = self.offset(*last)
        self.text = self.text[:start_offset] + new_text + self.text[end_offset:]
        self._parsed = None
        self.cache.clear()
        if self._has_cr or "\r" in new_text:
            self._has_cr = True
            self._lines = None
            self._offsets = None
            return
        (first_line, first_column), (last_line, last_column) = first, last
        middle = lines[first_line][:first_column] + new_text + lines[last_line][last_column:]
        self._lines = [*lines[:first_line], *middle.split("\n"), *lines[last_line + 1 :]]
        if self._offsets is not None:
            del self._offsets[first_line + 1 :]  # lines after the edit moved: recomputed when asked

    def _clamp(self, position: tuple[int, int], encoding: str) -> tuple[int, int]:
        """A client position as a (line, code-point column) inside the text; past the end: the end."""
        lines = self.lines
        line = max(0, position[0])
        if line >= len(lines):
            return len(lines) - 1, len(lines[-1])
        return line, self.column(line, position[1], encoding)

    def _invalidate(self) -> None:
        self.base = None  # a whole-text change: nothing to re-read from
        self._lines = None
        self._offsets = None
        self._parsed = None
        self._has_cr = "\r" in self.text
        self.cache.clear()


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}

    def open(self, uri: str, text: str, version: int, language_id: str = "yaml") -> Document:
        document = Document(uri, text, version, language_id)
        self._documents[uri] = document
        return document

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def close(self, uri: str) -> Document | None:
        return self._documents.pop(uri, None)

    def uris(self) -> list[str]:
        return list(self._documents)

    def __contains__(self, uri: object) -> bool:
        return uri in self._documents

    def __len__(self) -> int:
        return len(self._documents)

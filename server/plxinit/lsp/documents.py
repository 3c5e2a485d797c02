"""Open documents: text, version, incremental edits, and per-version caches.

The store keeps its own copy of every open document (not pygls' workspace) so that
stale versions, unknown URIs and out-of-range edits are handled in one place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import positions

if TYPE_CHECKING:
    from ..yamldoc import ParsedDocument
    from .context import CursorContext, Outline, TextLines

log = logging.getLogger(__name__)


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

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = positions.split_lines(self.text)
        return self._lines

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:
            self._offsets = positions.line_offsets(self.text)
        return self._offsets

    @property
    def parsed(self) -> ParsedDocument:
        """The core's reading of the current text (parsed once per version)."""
        if self._parsed is None:
            from ..yamldoc import parse_document

            self._parsed = parse_document(self.text)
        return self._parsed

    # ------------------------------------------------------------------ per-version caches
    def text_lines(self) -> TextLines:
        """Tokens and indentation of each line (computed lazily, once per version)."""
        cached = self.cache.get("text_lines")
        if cached is None:
            from .context import TextLines

            cached = self.cache["text_lines"] = TextLines(self.lines)
        return cached

    def outline(self) -> Outline:
        """The tolerant outline of the whole text (built once per version)."""
        cached = self.cache.get("outline")
        if cached is None:
            from .context import Outline

            cached = self.cache["outline"] = Outline(self.lines, text_lines=self.text_lines())
        return cached

    def cursor_context(self, line: int, column: int) -> CursorContext | None:
        """`context.cursor_context` of this version at (line, code-point column); the last one is kept."""
        cached = self.cache.get("cursor")
        if cached is not None and cached[0] == (line, column):
            return cached[1]
        from .context import cursor_context

        context = cursor_context(self.lines, line, column, self.text_lines())
        self.cache["cursor"] = ((line, column), context)
        return context

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number] if 0 <= number < len(lines) else ""

    def offset(self, line: int, column: int) -> int:
        """Code-point offset of a (line, code-point column), clamped to the text."""
        offsets = self.offsets
        if line < 0:
            return 0
        if line >= len(offsets):
            return len(self.text)
        return offsets[line] + max(0, min(column, len(self.lines[line])))

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
        start_offset = self.offset(start[0], self.column(start[0], start[1], encoding))
        end_offset = self.offset(end[0], self.column(end[0], end[1], encoding))
        if end_offset < start_offset:
            start_offset, end_offset = end_offset, start_offset
        self.text = self.text[:start_offset] + new_text + self.text[end_offset:]
        self._invalidate()

    def _invalidate(self) -> None:
        self._lines = None
        self._offsets = None
        self._parsed = None
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

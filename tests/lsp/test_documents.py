"""Document: incremental edits give exactly the text, lines and offsets of a fresh document."""

from __future__ import annotations

import random

import pytest

from plxinit.lsp import positions
from plxinit.lsp.documents import Document
from samples import TWO_HANDLERS

PIECES = ["", "a", "é", "😀", "\n", "  - git:\n", "x\ny\n\nz", "\r\n", "\r", "kind: job\n"]


def fresh(text: str) -> Document:
    return Document("file:///w/polyaxonfile.yaml", text, 1)


def assert_consistent(document: Document) -> None:
    expected = fresh(document.text)
    assert document.lines == expected.lines
    assert document.offsets == expected.offsets
    assert document.lines == positions.split_lines(document.text)


def utf16_units(document: Document, line: int, column: int) -> tuple[int, int]:
    return line, document.units(line, column, positions.UTF16)


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_match_a_fresh_document(seed: int) -> None:
    rng = random.Random(seed)
    text = TWO_HANDLERS if seed % 2 else TWO_HANDLERS.replace("\n", "\r\n")
    document = fresh(text)
    for _ in range(60):
        lines = document.lines
        a_line = rng.randrange(len(lines) + 2)  # sometimes past the end: clamped
        b_line = rng.randrange(len(lines) + 2)
        a = (a_line, rng.randrange(len(lines[a_line]) + 3) if a_line < len(lines) else 0)
        b = (b_line, rng.randrange(len(lines[b_line]) + 3) if b_line < len(lines) else 0)
        new = rng.choice(PIECES if seed % 4 < 2 else [p for p in PIECES if "\r" not in p])
        # the expected text, computed independently with code-point offsets
        ordered = sorted([a, b])
        start, end = (document.offset(*ordered[0]), document.offset(*ordered[1]))
        expected = document.text[:start] + new + document.text[end:]
        document.edit(utf16_units(document, *a), utf16_units(document, *b), new, positions.UTF16)
        assert document.text == expected
        if rng.random() < 0.3:
            document.offset(rng.randrange(len(document.lines)), 0)  # a partly rebuilt offset table
        assert_consistent(document)


def test_an_edit_makes_a_new_line_list() -> None:
    """A reader holding the lines of one version keeps them (the store never mutates them)."""
    document = fresh(TWO_HANDLERS)
    before = document.lines
    copy = list(before)
    document.edit((4, 6), (4, 6), "x", positions.UTF16)
    assert before == copy
    assert document.lines is not before
    assert document.lines[4] == "    - xartifacts:"


def test_utf16_edit_after_an_emoji() -> None:
    document = fresh("a: 😀b\n")
    document.edit((0, 5), (0, 6), "c", positions.UTF16)  # 😀 is two UTF-16 units
    assert document.text == "a: 😀c\n"
    assert_consistent(document)

"""The tolerant tree behind a broken file's outline: the exact outline on real files, bounded on hostile ones."""

from __future__ import annotations

import tracemalloc

import pytest

from conftest import require_corpus
from plxinit.lsp.block import MAX_DEPTH
from plxinit.lsp.documents import Document
from plxinit.lsp.symbols import document_symbols, folding_ranges
from plxinit.lsp.tokens import strip_comment
from plxinit.lsp.tolerant_tree import tolerant_root
from plxinit.yamldoc import MappingNode, Node, SequenceNode


def outline(text: str) -> tuple[list[tuple], list[tuple[int, int]]]:
    """Names and selection ranges of init lists and entries, entry starts, folds (UTF-16)."""
    document = Document("file:///work/polyaxonfile.yaml", text, 1)
    rows: list[tuple] = []
    for symbol in document_symbols(document, "utf-16"):
        rows.append((symbol.name, symbol.detail, symbol.selection_range))
        rows.extend((child.name, child.selection_range, child.range.start) for child in symbol.children or [])
    return rows, [(fold.start_line, fold.end_line) for fold in folding_ranges(document)]


def test_real_files_broken_at_the_end_keep_their_outline() -> None:
    """Each real polyaxonfile with an outline, then with an unclosed `{` and quote appended: the same outline."""
    corpus = require_corpus()
    compared = 0
    for path in sorted(corpus.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        exact = outline(text)
        if not exact[0]:
            continue
        broken = text.rstrip("\n") + "\nzz_broken: {a: 'x\n"
        assert Document("file:///work/polyaxonfile.yaml", broken, 1).parsed.root is None
        assert outline(broken) == exact, path.name
        compared += 1
    assert compared == 39  # every real file with an outline (init lists or sections)


def depth(root: Node | None) -> int:
    """The deepest nesting of collections (iterative: the tree may be deep)."""
    deepest = 0
    stack = [(root, 1)] if root is not None else []
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, MappingNode):
            stack.extend((value, level + 1) for _, value in node.pairs)
        elif isinstance(node, SequenceNode):
            stack.extend((item, level + 1) for item in node.items)
    return deepest


@pytest.mark.parametrize(
    "text",
    [
        "run:\n  init:\n    " + "- " * 30000 + "x\n  {\n",  # 30,000 dashes on one line
        "run:\n  init: " + "[" * 100000 + "\n",  # 100,000 unclosed flow sequences
        "".join("  " * level + "-\n" for level in range(1000)) + "{\n",  # 1,000 nested block sequences
    ],
    ids=["dashes", "brackets", "indents"],
)
def test_hostile_texts_stay_small(text: str) -> None:
    lines = text.split("\n")
    tracemalloc.start()
    try:
        root = tolerant_root(lines)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(text) + 2_000_000  # in proportion to the text, not to its depth squared
    assert depth(root) <= MAX_DEPTH + 2


def test_comment_stripping_reads_blanks_once() -> None:
    """`#` starts a comment at a line's start or after a blank; the blanks before it go too."""
    assert strip_comment("a: b  # c") == "a: b"
    assert strip_comment("a: b#c") == "a: b#c"
    assert strip_comment("# c") == ""
    assert strip_comment("a:\t# c # d") == "a:"
    assert strip_comment("'a # b'") == "'a # b'"
    assert strip_comment(" " * 200_000 + "x") == " " * 200_000 + "x"  # once quadratic in the blanks

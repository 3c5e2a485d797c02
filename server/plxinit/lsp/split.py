"""The *Split into separate init entries* fix: one built-in handler per entry, same meaning.

Polyaxon takes one built-in handler per init entry. When an entry sets two, the second one
(the one the `one-handler` diagnostic points at) moves to a new entry placed right after it.
`connection`, `path` and `container` belong to the init container as a whole, whichever
handler it runs, so each new entry gets a copy of them: the connection the user gave still
applies to both handlers, as do the target path and the container overrides. Every other
key stays with the first entry.

Block entries are rewritten line by line (indentation and comments kept). Flow entries
(`- {git: ..., artifacts: ...}`, also over several lines or inside a flow `init: [...]`)
stay flow mappings: the moved pair is cut out of the text and a new `{...}` written after
the entry, because a flow `init: [...]` cannot hold block entries at all.

Anything unusual (merge keys, complex or duplicate keys, an anchor that a copy would define
twice; in a block entry several pairs on one line; in a flow entry an alias as a value or a
comment that the cut would swallow) gets no fix: the user's text is never rewritten into
something that means less.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..diagnostics import Position
from ..yamldoc import MERGE_TAG, MappingNode, Node, ScalarNode, SequenceNode
from .documents import Document
from .entries import last_content_line

#: Keys that describe the init container itself, copied to every entry of a split.
SHARED_KEYS = ("connection", "path", "container")

# An anchor (`&name`) or alias (`*name`) token; may also match inside a quoted string, which
# only makes the fix more cautious. A copied anchor would be defined twice (an error for
# PyYAML), and a moved one would come after the aliases that follow it in the entry.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S")
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*\S")
_KEEP_CHOMPING = re.compile(r"[|>][1-9]?\+[1-9]?[ \t]*(?:#.*)?$", re.MULTILINE)


def _anchors_safe(moved: str, copied: list[str], after_moved: str) -> bool:
    """Whether copying `copied` and moving `moved` past `after_moved` keeps every anchor valid."""
    if any(_ANCHOR.search(text) for text in copied):
        return False
    return not (_ANCHOR.search(moved) and _ALIAS.search(after_moved))


@dataclass
class Replacement:
    """Replace the text from `start` to `end` (core positions: line, code-point column) with `text`."""

    start: Position
    end: Position
    text: str


def split_entry(document: Document, key_position: Position, moved: str) -> Replacement | None:
    """The edit that moves handler `moved` (its key at `key_position`) out of its init entry."""
    found = _find_entry(document.parsed.root, key_position, moved)
    if found is None:
        return None
    entry, sequence = found
    keys = [key for key, _ in entry.pairs]
    if any(not isinstance(key, ScalarNode) or key.tag == MERGE_TAG for key in keys):
        return None
    names = [key.value for key in keys]
    if len(set(names)) != len(names):
        return None  # duplicate keys: which one Polyaxon keeps is the user's call
    index = next(i for i, key in enumerate(keys) if key.start == key_position)
    eol = "\r\n" if "\r\n" in document.text else "\n"
    if entry.flow:
        return _split_flow(document, entry, sequence, index, eol)
    return _split_block(document, entry, index, eol)


def _find_entry(root: Node | None, key_position: Position, moved: str) -> tuple[MappingNode, SequenceNode] | None:
    """The init entry whose key `moved` starts at `key_position`, and the init list holding it."""
    for sequence in _init_lists(root):
        for item in sequence.items:
            if not isinstance(item, MappingNode):
                continue
            for key, _ in item.pairs:
                if isinstance(key, ScalarNode) and key.value == moved and key.start == key_position:
                    return item, sequence
    return None


def _init_lists(root: Node | None) -> Iterator[SequenceNode]:
    """Every `init:` list, block or flow, anywhere in the document (iterative, aliases once)."""
    stack: list[Node] = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.pairs:
                if isinstance(key, ScalarNode) and key.value == "init" and isinstance(value, SequenceNode):
                    yield value
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.items)


# ---------------------------------------------------------------------- block entries
def _split_block(document: Document, entry: MappingNode, index: int, eol: str) -> Replacement | None:
    keys = [key for key, _ in entry.pairs]
    key_column = entry.start.column
    key_lines = [key.start.line for key in keys]
    if len(set(key_lines)) != len(key_lines) or any(key.start.column != key_column for key in keys):
        return None  # pairs sharing a line, or misaligned: leave it to the user
    first = entry.start.line
    prefix = document.line(first)[:key_column]
    if prefix.strip() != "-":
        return None  # `- - git:` or a key below a bare dash: no simple place for a new entry
    last = _content_end(document, entry, key_column)
    bounds = [*key_lines, last + 1]
    for i in range(1, len(keys)):  # comment lines right above a key belong to it
        while bounds[i] - 1 > key_lines[i - 1] and _is_comment_at_most(document.line(bounds[i] - 1), key_column):
            bounds[i] -= 1
    blocks = [[document.line(n) for n in range(bounds[i], bounds[i + 1])] for i in range(len(keys))]
    moved = blocks[index]
    trailing_blanks: list[str] = []
    while moved and not moved[-1].strip():  # blank lines after the moved pair stay where they were
        trailing_blanks.insert(0, moved.pop())
    if trailing_blanks and _KEEP_CHOMPING.search("\n".join(moved)):
        return None  # those blank lines are the text of a `|+` block scalar
    shared = [
        _without_edges(block)
        for i, block in enumerate(blocks)
        if i != index and isinstance(keys[i].value, str) and keys[i].value in SHARED_KEYS
    ]
    after_moved = "\n".join(line for block in blocks[index + 1 :] for line in block)
    if not _anchors_safe("\n".join(moved), ["\n".join(block) for block in shared], after_moved):
        return None
    kept = _render_block([block for i, block in enumerate(blocks) if i != index], prefix, key_column)
    new = _render_block([moved, *shared], prefix, key_column)
    last_line = document.line(last)
    return Replacement(Position(first, 0), Position(last, len(last_line)), eol.join([*kept, *trailing_blanks, *new]))


def _is_comment_at_most(line: str, column: int) -> bool:
    """A comment line indented no deeper than `column` (deeper, it may be a block scalar's `# text`)."""
    stripped = line.lstrip()
    return stripped.startswith("#") and len(line) - len(stripped) <= column


def _without_edges(block: list[str]) -> list[str]:
    """A pair's lines without the comments above it and the blank lines after it (for a copy)."""
    lines = list(block)
    while lines and lines[0].strip().startswith("#"):
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _render_block(blocks: list[list[str]], prefix: str, key_column: int) -> list[str]:
    """One block entry from pairs' lines: the first key gets the dash, the others its column."""
    dash_column = prefix.index("-")
    out: list[str] = []
    for number, block in enumerate(blocks):
        lines = list(block)
        comments: list[str] = []
        while lines and lines[0].strip().startswith("#"):
            comments.append(lines.pop(0))
        if number == 0:  # comments above the entry's first key go above its dash
            comments = [" " * dash_column + comment.lstrip() for comment in comments]
        lead = prefix if number == 0 else " " * key_column
        out += [*comments, lead + lines[0][key_column:], *lines[1:]]
    return out


def _content_end(document: Document, entry: MappingNode, key_column: int) -> int:
    """Last line of the entry, trailing blank lines and outdented comments left out."""
    last = last_content_line(document.lines, entry)
    while last > entry.start.line:
        text = document.line(last)
        stripped = text.strip()
        indent = len(text) - len(text.lstrip())
        if stripped and not (stripped.startswith("#") and indent < key_column):
            break
        last -= 1
    return last


# ---------------------------------------------------------------------- flow entries
def _split_flow(
    document: Document, entry: MappingNode, sequence: SequenceNode, index: int, eol: str
) -> Replacement | None:
    text = document.text
    start = document.offset(entry.start.line, entry.start.column)
    end = document.offset(entry.end.line, entry.end.column)
    if text[start : start + 1] != "{" or text[end - 1 : end] != "}":
        return None  # an anchored or tagged entry
    spans = _pair_spans(document, entry)
    if spans is None:
        return None
    gaps = [text[a[1] : b[0]] for a, b in pairwise(spans)]
    if not all(_is_separator(gap, ",") for gap in gaps):
        return None  # `? key` or something else between the pairs
    cut = _cut(spans, gaps, index)
    if cut is None:
        return None
    kept = text[start : cut[0]] + text[cut[1] : end]
    names = [key.value for key, _ in entry.pairs]
    copied = [i for i, name in enumerate(names) if i != index and isinstance(name, str) and name in SHARED_KEYS]
    pieces = [text[spans[i][0] : spans[i][1]] for i in [index, *copied]]
    if not _anchors_safe(pieces[0], pieces[1:], text[spans[index][1] : end]):
        return None
    new = "{" + ", ".join(pieces) + "}"
    end_position = entry.end
    if sequence.flow:
        return Replacement(entry.start, end_position, f"{kept}, {new}")
    line = document.line(entry.start.line)
    prefix = line[: entry.start.column]
    rest = document.line(end_position.line)[end_position.column :]
    if prefix.strip() != "-" or not _is_separator(rest, ""):
        return None
    line_end = Position(end_position.line, len(document.line(end_position.line)))
    return Replacement(entry.start, line_end, f"{kept}{rest}{eol}{prefix}{new}")


def _pair_spans(document: Document, entry: MappingNode) -> list[tuple[int, int]] | None:
    """(start, end) offsets of each `key: value` in the text; None when one is not where it is written."""
    spans: list[tuple[int, int]] = []
    for key, value in entry.pairs:
        if value.start < key.end:
            return None  # an alias: its node sits at the anchor, elsewhere in the text
        key_end = document.offset(key.end.line, key.end.column)
        value_end = document.offset(value.end.line, value.end.column)
        spans.append((document.offset(key.start.line, key.start.column), max(key_end, value_end)))
    return spans


def _cut(spans: list[tuple[int, int]], gaps: list[str], index: int) -> tuple[int, int] | None:
    """The text to remove for pair `index`: the pair and one separator, never a comment."""
    options: list[tuple[tuple[int, int], str]] = []
    if index > 0:  # `, moved`
        options.append(((spans[index - 1][1], spans[index][1]), gaps[index - 1]))
    if index + 1 < len(spans):  # `moved, `
        options.append(((spans[index][0], spans[index + 1][0]), gaps[index]))
    for cut, gap in options:
        if "#" not in gap:
            return cut
    return None


def _is_separator(text: str, separator: str) -> bool:
    """Whether `text` is only `separator` with blanks, line breaks and comments around it."""
    content = "".join(line.split("#", 1)[0] for line in text.splitlines() or [""])
    return content.strip() == separator

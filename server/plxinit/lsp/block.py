"""The block structure around one token, read by indentation without reading the whole file.

From a token (`- ` or `key:`) on some line, `locate` walks up to the line holding its
container's owner, and so on to the root: the lines it reads are the token's ancestors and
the siblings above it, everything more indented is skipped with one `startswith`. It then
reads down from the token to the end of each container for the keys written after it.
Indexes of list items count the dashes above, so paths match the whole-file outline's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .navigator import MISSING_VALUE, PathPart
from .tokens import Token, scalar_value, tokenize

MAX_DEPTH = 300


@dataclass(eq=False)
class BlockContainer:
    """A block mapping (`kind == "map"`) or sequence (`"seq"`) on the way from the root."""

    kind: str
    column: int
    keys: dict[str, tuple[int, Token]] = field(default_factory=dict)  # key -> (line, token)
    count: int = 0  # items above the token we came from (its index)


@dataclass
class Located:
    """Where a token sits: its container's key path, and every container up to the root."""

    path: list[PathPart]  # of the innermost container
    containers: list[tuple[list[PathPart], BlockContainer]]  # outermost first
    index: int  # the token's index when it is a list item

    def value_path(self, token: Token) -> list[PathPart]:
        return [*self.path, token.key if token.kind == "key" else self.index]


def _blank(text: str) -> bool:
    stripped = text.lstrip()
    return not stripped or stripped[0] == "#"


def inline_value(text: str, token: Token) -> str:
    """The text after a token on its line (for a key: after the colon)."""
    return text[token.value_column :].strip() if token.value_column else ""


def locate(lines: Sequence[str], line: int, tokens: Sequence[Token], index: int, below: bool = True) -> Located | None:
    """The containers of `tokens[index]` (a token of `line`); None inside a `|`/`>` block scalar.

    A token of kind "value" stands for a node with no key or dash of its own (a flow
    collection alone on its line): only its owner is looked for.
    """
    chain: list[tuple[BlockContainer | None, Token | None]] = []  # innermost first
    current = tokens[index]
    preceding = list(tokens[:index])
    number = line
    while True:
        if len(chain) > MAX_DEPTH:
            return None  # deeper than Polyaxon reads: nothing to complete
        container = BlockContainer("map" if current.kind == "key" else "seq", current.column)
        if current.kind == "key" and not current.cursor:
            container.keys[current.key] = (number, current)
        holder: Token | None = None
        if preceding:
            holder = preceding.pop()
            holder_line = number
        else:
            holder, holder_line, preceding = _walk_up(lines, number, current, container)
        chain.append((None if current.kind == "value" else container, holder))
        if holder is None:
            break
        if inline_value(lines[holder_line], holder)[:1] in ("|", ">"):
            return None  # the token is text of a block scalar
        current, number = holder, holder_line
    return _located(lines, line, chain, below)


def _walk_up(
    lines: Sequence[str], number: int, current: Token, container: BlockContainer
) -> tuple[Token | None, int, list[Token]]:
    """Read up from `number` to the line holding `current`'s owner, noting siblings in `container`."""
    column = current.column
    deeper = " " * (column + 1)
    sibling_dash = " " * column + "- "
    count_dashes = current.kind == "dash"
    for above in range(number - 1, -1, -1):
        text = lines[above]
        if text.startswith(deeper):
            continue
        if count_dashes and (text.startswith(sibling_dash) or text == sibling_dash[:-1]):
            container.count += 1  # the common case of a long list, without tokenizing the line
            continue
        if _blank(text):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent > column:
            continue  # tab-indented text
        line_tokens = tokenize(above, text)
        if not line_tokens:
            continue  # a scalar's next line, or a flow collection's
        if current.kind != "value":
            at = next((i for i, token in enumerate(line_tokens) if token.column == column), None)
            if at is not None and line_tokens[at].kind == current.kind:
                _note_sibling(container, above, line_tokens[at])
                if at == 0:
                    continue
                return line_tokens[at - 1], above, line_tokens[: at - 1]
            if indent == column:
                if current.kind == "key":
                    continue  # a dash at a key's column: a sibling's list value
                return line_tokens[0], above, []  # `key:` then `- ` at the same column
        before = [token for token in line_tokens if token.column < column]
        if not before:
            continue
        return before[-1], above, before[:-1]
    return None, -1, []


def _note_sibling(container: BlockContainer, line: int, token: Token) -> None:
    if token.kind == "key":
        container.keys.setdefault(token.key, (line, token))
    else:
        container.count += 1


def _located(
    lines: Sequence[str], line: int, chain: list[tuple[BlockContainer | None, Token | None]], below: bool
) -> Located:
    containers = [container for container, _ in chain if container is not None]
    if below and containers:
        _read_below(lines, line, containers)
    # paths, outermost first: a container's part is its holder's key, or the holder's index
    paths: list[list[PathPart]] = []
    path: list[PathPart] = []
    for position in range(len(chain) - 1, -1, -1):
        container, holder = chain[position]
        if holder is not None:
            outer = chain[position + 1][0]
            path = [*path, holder.key if holder.kind == "key" else (outer.count if outer is not None else 0)]
        if container is not None:
            paths.append(path)
    innermost = chain[0][0]
    pairs = list(zip(paths, reversed(containers), strict=True))
    return Located(path, pairs, innermost.count if innermost is not None else 0)


def _read_below(lines: Sequence[str], line: int, containers: list[BlockContainer]) -> None:
    """The keys each container has below `line` (innermost first in `containers`)."""
    open_index = 0
    deeper = " " * (containers[0].column + 1)
    item = " " * containers[0].column + "- " if containers[0].kind == "seq" else None
    for below in range(line + 1, len(lines)):
        text = lines[below]
        if text.startswith(deeper) or (item is not None and text.startswith(item)):
            continue  # inside the innermost open container, or its next list item
        if _blank(text):
            continue
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        dash = stripped[:1] == "-" and stripped[1:2] in ("", " ", "\t")
        while open_index < len(containers):
            inner = containers[open_index]
            if inner.column > indent or (inner.column == indent and inner.kind == "seq" and not dash):
                open_index += 1
                continue
            break
        if open_index == len(containers):
            return
        inner = containers[open_index]
        deeper = " " * (inner.column + 1)
        item = " " * inner.column + "- " if inner.kind == "seq" else None
        if inner.kind == "map" and inner.column == indent and not dash:
            tokens = tokenize(below, text)
            if tokens and tokens[0].kind == "key":
                inner.keys.setdefault(tokens[0].key, (below, tokens[0]))


def container_facts(lines: Sequence[str], container: BlockContainer) -> dict[str, Any]:
    """The scalars of a block mapping as YAML reads them (`MISSING_VALUE` for nested values)."""
    facts: dict[str, Any] = {}
    for key, (line, token) in container.keys.items():
        value = inline_value(lines[line], token) if token is not None else ""
        if not value:
            facts[key] = MISSING_VALUE if _has_child(lines, line, token.column) else None
        elif value[:1] in ("{", "["):
            facts[key] = MISSING_VALUE
        else:
            facts[key] = scalar_value(value)
    return facts


def _has_child(lines: Sequence[str], line: int, column: int) -> bool:
    for below in range(line + 1, min(len(lines), line + 50)):
        text = lines[below]
        if _blank(text):
            continue
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        return indent > column or (indent == column and stripped[:1] == "-")
    return False

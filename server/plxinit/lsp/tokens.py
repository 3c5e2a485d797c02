"""One line of block YAML as tokens: its `- ` dashes and at most one `key:`, with columns.

A line holding thousands of dashes (`- - - ... x`) gives no tokens past `MAX_DASHES`
(deeper than Polyaxon reads anyway), and only the last token keeps the text after it, so a
line costs memory in proportion to its length, not to its length times its dashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .navigator import MISSING_VALUE

MAX_DASHES = 256

KEY = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)"""
    r"""[ \t]*:(?=[ \t]|$)(?P<value>.*)$"""
)
DASH = re.compile(r"-(?=[ \t]|$)[ \t]*")


@dataclass
class Token:
    """A `-` or a `key:` on a line; `value` is the inline text after it (last token of a line only)."""

    line: int
    column: int
    kind: str  # "dash" | "key" | "value" (a node with neither, e.g. a flow collection alone on its line)
    key: str = ""
    value: str = ""
    value_column: int = 0
    cursor: bool = False


@lru_cache(maxsize=8192)
def scalar_value(text: str) -> Any:
    """The value of an inline scalar as YAML reads it (MISSING_VALUE if not a scalar).

    Cached: a pure function of `text` whose results (scalars, the sentinel) are immutable.
    """
    text = strip_comment(text).strip()
    if not text:
        return None
    if text[:1] in ("{", "["):
        return MISSING_VALUE
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text.strip("\"'")
    return value if isinstance(value, (str, int, float, bool)) or value is None else MISSING_VALUE


def strip_comment(text: str) -> str:
    stripped = text.lstrip()
    if stripped[:1] in ("'", '"'):
        return text
    return _cut_comment(text)


def _cut_comment(text: str) -> str:
    """`text` without its `#` comment (a `#` at the start or after a space/tab) and the blanks before it.

    A scan, not a regular expression: `[ \t]+#` backtracks over every run of blanks, which is
    quadratic in a deeply indented line.
    """
    index = text.find("#")
    while index >= 0:
        if index == 0 or text[index - 1] in " \t":
            return text[:index].rstrip(" \t")
        index = text.find("#", index + 1)
    return text


def unquote_key(key: str) -> str:
    key = key.strip()
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def tokenize(line_number: int, line: str) -> list[Token]:
    """The dashes and the key of one line (empty for blank lines, comments, bare scalars)."""
    tokens: list[Token] = []
    position = len(line) - len(line.lstrip(" \t"))
    if position >= len(line) or line[position] == "#":
        return tokens
    while position < len(line):
        dash = DASH.match(line, position)
        if dash:
            if len(tokens) >= MAX_DASHES:
                return []
            tokens.append(Token(line_number, position, "dash", value_column=dash.end()))
            position = dash.end()
            continue
        key = KEY.match(line, position)
        if key:
            value_column = key.start("value") + (len(key.group("value")) - len(key.group("value").lstrip()))
            tokens.append(
                Token(
                    line_number,
                    position,
                    "key",
                    key=unquote_key(key.group("key")),
                    value=key.group("value").strip(),
                    value_column=value_column,
                )
            )
        break
    if tokens and tokens[-1].kind == "dash":
        tokens[-1].value = line[tokens[-1].value_column :]
    return tokens

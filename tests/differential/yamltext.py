"""A tiny YAML *text* emitter for generated polyaxonfiles.

The differential generator builds documents as trees of plain `dict`/`list`
objects whose leaves are `Raw` tokens: the exact text a scalar has in the
file (`yes`, `0755`, `'1000'`, `"{{ x }}"`, ...). Rendering such a tree, in
block or flow style chosen at random per collection, gives YAML text whose
scalars are resolved by the reader (YAML 1.1 rules), not by us: that is the
point of a differential test of a YAML-reading validator.

This module has no dependency beyond the standard library and PyYAML's
resolver (used only to decide when a string can be written plain).
"""

from __future__ import annotations

import random
import re
from typing import Any

from yaml import ScalarNode
from yaml.resolver import Resolver

_RESOLVER = Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./+=@-]*$")


class Raw(str):
    """A scalar token written verbatim into the YAML text."""


class BlockScalar(Raw):
    """A literal/folded block scalar: `header` (e.g. `|`, `>-`, `|2`, `|#x`) then `lines`.

    In block context it is written as `key: <header>` plus the lines indented below the key;
    in flow context (where block scalars cannot appear) the text itself is written instead.
    """

    header: str
    lines: list[str]

    def __new__(cls, header: str, lines: list[str]) -> BlockScalar:
        self = super().__new__(cls, quote("\n".join(lines), style='"'))
        self.header = header
        self.lines = lines
        return self


class Anchored:
    """A collection or scalar written with an anchor: `&name value` (aliases are `Raw("*name")`)."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.value = value


class DupKey(str):
    """A mapping key that may repeat inside one mapping (YAML: the last one wins)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def is_plain_str(text: str) -> bool:
    """True when `text` may be written unquoted and still reads back as this string."""
    if not _SAFE_PLAIN.match(text):
        return False
    return _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG


def quote(text: str, rng: random.Random | None = None, style: str | None = None) -> Raw:
    """Quote `text` as a YAML string (single or double quotes, chosen by `rng`)."""
    if style is None:
        style = "'" if rng is None or rng.random() < 0.6 else '"'
    if style == "'":
        return Raw("'" + text.replace("'", "''") + "'")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return Raw('"' + escaped + '"')


def string(text: str, rng: random.Random) -> Raw:
    """A token that reads back as the string `text`: plain when possible, else quoted."""
    if is_plain_str(text) and rng.random() < 0.7:
        return Raw(text)
    return quote(text, rng)


class Emitter:
    """Render a tree of dict/list/Raw as YAML text; `flow` is the chance of flow style."""

    def __init__(self, rng: random.Random, flow: float = 0.25, indentless: float = 0.5) -> None:
        self.rng = rng
        self.flow = flow
        self.indentless = indentless

    def render(self, tree: dict[str, Any]) -> str:
        """The YAML text of a top-level mapping (always block style at the root)."""
        return "\n".join(self._block_mapping(tree, 0)) + "\n"

    # -- flow ------------------------------------------------------------------------------------
    def _flow(self, value: Any) -> str:
        if value is None:
            raise TypeError("a None in a generated tree: use Raw('~') for YAML null")
        if isinstance(value, Anchored):
            return f"&{value.name} {self._flow_scalar(value.value)}"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{key}: {self._flow_scalar(v)}" for key, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self._flow_scalar(v) for v in value) + "]"
        return str(value)

    def _flow_scalar(self, value: Any) -> str:
        if isinstance(value, (dict, list, Anchored)):
            return self._flow(value)
        return str(value) if str(value) != "" else "~"

    def _use_flow(self, value: Any) -> bool:
        return not value or self.rng.random() < self.flow

    # -- block -----------------------------------------------------------------------------------
    def _block_mapping(self, mapping: dict[str, Any], indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for key, value in mapping.items():
            block_anchor = isinstance(value, Anchored) and isinstance(value.value, (dict, list)) and value.value
            if block_anchor and not self._use_flow(value.value):
                # `key: &name` and the collection in block style below it
                lines.append(f"{pad}{key}: &{value.name}")
                inner = value.value
                if isinstance(inner, dict):
                    lines.extend(self._block_mapping(inner, indent + 2))
                else:
                    lines.extend(self._block_sequence(inner, indent + 2))
                continue
            if isinstance(value, dict) and not self._use_flow(value):
                lines.append(f"{pad}{key}:")
                lines.extend(self._block_mapping(value, indent + 2))
            elif isinstance(value, list) and not self._use_flow(value):
                lines.append(f"{pad}{key}:")
                child = indent if self.rng.random() < self.indentless else indent + 2
                lines.extend(self._block_sequence(value, child))
            elif isinstance(value, BlockScalar):
                lines.append(f"{pad}{key}: {value.header}")
                lines.extend(f"{pad}  {line}" if line else "" for line in value.lines)
            else:
                text = self._flow(value)
                lines.append(f"{pad}{key}: {text}" if text != "" else f"{pad}{key}:")
        return lines

    def _block_sequence(self, items: list[Any], indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for item in items:
            if isinstance(item, dict) and not self._use_flow(item):
                inner = self._block_mapping(item, indent + 2)
                lines.append(pad + "- " + inner[0].lstrip(" "))
                lines.extend(inner[1:])
            elif isinstance(item, list) and not self._use_flow(item):
                lines.append(pad + "-")
                lines.extend(self._block_sequence(item, indent + 2))
            else:
                text = self._flow(item)
                lines.append(f"{pad}- {text}" if text != "" else f"{pad}-")
        return lines

"""Render the schema's `defaultSnippets` bodies as YAML snippet text (LSP snippet syntax).

A body such as `{"git": {"url": "${1:https://github.com/org/repo}"}}` becomes

    git:
      url: ${1:https://github.com/org/repo}

with every line after the first indented to the key's column. Strings whose examples in
the schema span lines (e.g. `file.content`) are written as `|` blocks.

Also the common shapes of the other sections (`Shape`): an input or output, a param, a matrix
parameter, a DAG operation, a cron or interval schedule, which completion offers where their
lists and maps are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

_PLACEHOLDER = re.compile(r"^\$\{(\d+):(.*)\}$", re.S)
INDENT = "  "

#: Answers "is this key's value better written as a `|` block?" for a key path.
BlockHint = Callable[[list[str]], bool]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


@lru_cache(maxsize=4096)
def _plain_ok(text: str) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {text}") == {"k": text}) and text == text.strip()
    except yaml.YAMLError:
        return False


def scalar(value: Any) -> str:
    """A scalar as snippet text: placeholders kept, YAML quoting where needed."""
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        if match:
            number, default = match.groups()
            shown = f"${{{number}:{_escape(default)}}}"
            return shown if _plain_ok(default) else f'"{shown}"'
        return _escape(value) if _plain_ok(value) else _escape(json.dumps(value))
    return _escape(yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("\n...").strip())


def _lines(value: Any, path: list[str], block: BlockHint) -> list[str]:
    """The lines of a mapping/list body, relative indentation only."""
    out: list[str] = []
    if isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_pair(str(key), sub, [*path, str(key)], block))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                inner = _lines(item, path, block)
                out.append("- " + inner[0])
                out.extend(INDENT + line for line in inner[1:])
            else:
                out.append("- " + scalar(item))
    return out


def _pair(key: str, value: Any, path: list[str], block: BlockHint) -> list[str]:
    if isinstance(value, (dict, list)) and value:
        return [f"{key}:", *(INDENT + line for line in _lines(value, path, block))]
    if isinstance(value, str) and block(path):
        return [f"{key}: |", INDENT + scalar(value).strip('"')]
    return [f"{key}: {scalar(value)}"]


def render(body: dict[str, Any], column: int, block: BlockHint, base: list[str] | None = None) -> str:
    """Snippet text for `body` inserted at `column` (lines after the first are indented)."""
    lines = _lines(body, base or [], block)
    pad = " " * column
    return "\n".join([lines[0], *(pad + line for line in lines[1:])])


@lru_cache(maxsize=4096)
def _flow_plain_ok(text: str) -> bool:
    try:
        return bool(yaml.safe_load(f"{{k: {text}}}") == {"k": text}) and text == text.strip()
    except yaml.YAMLError:
        return False


def flow_scalar(value: Any) -> str:
    """A scalar as snippet text inside a flow collection (where `,[]{}` need quotes)."""
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        if match:
            number, default = match.groups()
            shown = f"${{{number}:{_escape(default)}}}"
            return shown if _flow_plain_ok(default) else f'"{shown}"'
        return _escape(value) if _flow_plain_ok(value) else _escape(json.dumps(value))
    return scalar(value)


def render_flow(value: Any) -> str:
    """Snippet text for a body written in flow style, on one line: `git: {url: ${1:...}}`."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_flow_value(sub)}" for key, sub in value.items())
    return _flow_value(value)


def _flow_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + render_flow(value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow_value(item) for item in value) + "]"
    return flow_scalar(value)


# ---------------------------------------------------------------------- shapes of the sections
@dataclass(frozen=True)
class Shape:
    """A common shape offered as one snippet: its label, a description, and its lines.

    `lines` are relative to the key's column (block style); `flow` is the same on one line.
    `named` shapes are map entries whose key is the name (`${1:name}:` then the body indented).
    """

    label: str
    description: str
    lines: tuple[str, ...]
    flow: str
    named: bool = False


TYPES_CHOICE = "${2|int,float,str,bool|}"

INPUT = Shape(
    "input",
    "an input with a name and a type",
    ("name: ${1:name}", f"type: {TYPES_CHOICE}"),
    f"name: ${{1:name}}, type: {TYPES_CHOICE}",
)
OUTPUT = Shape("output", "an output with a name and a type", INPUT.lines, INPUT.flow)
PARAM = Shape("param", "a param with its value", ("value: $2",), "{value: $2}", named=True)
OPERATION = Shape(
    "operation",
    "a DAG operation running a hub component",
    ("name: ${1:name}", "hubRef: ${2:component}"),
    "name: ${1:name}, hubRef: ${2:component}",
)
CRON = Shape(
    "cron schedule",
    "runs on a cron expression",
    ("kind: cron", "cron: ${1:0 0 * * *}"),
    'kind: cron, cron: "${1:0 0 * * *}"',
)
INTERVAL = Shape(
    "interval schedule",
    "runs every `frequency` seconds",
    ("kind: interval", "frequency: ${1:3600}"),
    "kind: interval, frequency: ${1:3600}",
)


def matrix_parameter(hp_kinds: list[str]) -> Shape:
    """A matrix parameter: `${1:name}:` with its hp kind (a choice of the schema's kinds) and value."""
    choice = "${2|" + ",".join(hp_kinds) + "|}" if hp_kinds else "${2:choice}"
    return Shape(
        "matrix parameter",
        "a search-space parameter with its hp kind",
        (f"kind: {choice}", "value: $3"),
        f"{{kind: {choice}, value: $3}}",
        named=True,
    )


def render_shape(shape: Shape, column: int, flow: bool, name: str = "") -> str:
    """The snippet text of `shape` at `column`; a named shape's name is `name` when given (typed already)."""
    head = _escape(name) if name else "${1:name}"
    if flow:
        return f"{head}: {shape.flow}" if shape.named else shape.flow
    pad = " " * column
    if shape.named:
        return "\n".join([f"{head}:", *(f"{pad}{INDENT}{line}" for line in shape.lines)])
    return "\n".join([shape.lines[0], *(pad + line for line in shape.lines[1:])])


def keyed_shape(key: str, shape: Shape, column: int, flow: bool) -> str:
    """`key:` with `shape` as its value (`schedule:` then a cron schedule)."""
    if flow:
        return f"{key}: {{{shape.flow}}}"
    pad = " " * column
    return "\n".join([f"{key}:", *(f"{pad}{INDENT}{line}" for line in shape.lines)])

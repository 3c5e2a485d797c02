"""Render the schema's `defaultSnippets` bodies as YAML snippet text (LSP snippet syntax).

A body such as `{"git": {"url": "${1:https://github.com/org/repo}"}}` becomes

    git:
      url: ${1:https://github.com/org/repo}

with every line after the first indented to the key's column. Strings whose examples in
the schema span lines (e.g. `file.content`) are written as `|` blocks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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

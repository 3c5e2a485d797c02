"""Wording of diagnostics: names of value types, what a schema expects, YAML 1.1 hints."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from . import schema as schemas
from .yamldoc import Node, ScalarNode

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
    "array": "a list",
    "object": "a mapping",
}


def value_kind(value: Any) -> str:
    """'an integer', 'a mapping', ...: how to name the type of a loaded YAML value."""
    if isinstance(value, datetime.datetime):
        return "a timestamp"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, tuple):
        return "a list of pairs"
    if isinstance(value, float):
        return "a floating-point number"
    return _TYPE_NAMES[schemas.json_type(value)]


def join_choices(choices: Sequence[str], word: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    unique = list(dict.fromkeys(choices))
    if len(unique) <= 1:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} {word} {unique[-1]}"


def expected(schema: Any, depth: int = 0) -> list[str]:
    """Phrases for what a schema accepts: ['a mapping', 'a `{{ ... }}` template']."""
    resolved = schemas.deref(schema)
    if not isinstance(resolved, dict) or depth > 8:
        return []
    if resolved.get("x-plx-expected"):
        return [resolved["x-plx-expected"]]
    if resolved.get("x-plx-template"):
        return ["a `{{ ... }}` template"]
    for keyword in ("anyOf", "oneOf"):
        if keyword in resolved:
            phrases: list[str] = []
            for branch in resolved[keyword]:
                phrases.extend(expected(branch, depth + 1))
            return phrases
    if "enum" in resolved:
        values = [v for v in resolved["enum"] if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return [f"one of {', '.join(values)}"]
        return [join_choices([str(v) for v in values])]
    declared = resolved.get("type")
    if declared is None:
        return []
    types = [declared] if isinstance(declared, str) else list(declared)
    phrases = []
    for name in types:
        if name == "null":
            continue
        if name == "array" and isinstance(resolved.get("items"), dict):
            items = expected(resolved["items"], depth + 1)
            phrases.append(f"a list of {_plural(items)}" if items else "a list")
        else:
            phrases.append(_TYPE_NAMES[name])
    return phrases


def _plural(phrases: list[str]) -> str:
    words = []
    for phrase in phrases:
        for article in ("a ", "an "):
            if phrase.startswith(article):
                phrase = phrase[len(article) :]
                phrase = phrase + "s" if not phrase.startswith("list") else phrase.replace("list", "lists", 1)
                break
        words.append(phrase)
    return join_choices(words)


def yaml_reading_hint(node: Node | None, wanted_string: bool) -> str:
    """Explain a YAML 1.1 surprise: `0755` read as 493, `yes` read as true, ..."""
    if not isinstance(node, ScalarNode) or node.style is not None or isinstance(node.value, str):
        return ""
    if not wanted_string:
        return ""
    value = node.value
    if isinstance(value, bool):
        shown = "true" if value else "false"
        return f' YAML reads `{node.source}` as the boolean {shown}; quote it: "{node.source}".'
    if value is None:
        return ""
    if isinstance(value, (int, float)) and node.source != repr(value):
        return f' YAML reads `{node.source}` as the number {value!r}; quote it: "{node.source}".'
    return f' Quote it: "{node.source}".'

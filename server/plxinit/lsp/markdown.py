"""Markdown texts for keys and values, all taken from the schema (shared by hover and completion)."""

from __future__ import annotations

from typing import Any

import yaml

from ..messages import expected, join_choices
from ..schema import deref, load_schema, shape_types
from .navigator import Schema

_TYPE_PHRASES: dict[int, tuple[Schema, str]] = {}


def type_phrase(schema: Schema | None) -> str:
    """'a mapping or a `{{ ... }}` template': what a value may be (cached per schema object)."""
    if not schema:
        return ""
    cached = _TYPE_PHRASES.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    text = _type_phrase(schema)
    if len(_TYPE_PHRASES) > 4096:
        _TYPE_PHRASES.clear()
    _TYPE_PHRASES[id(schema)] = (schema, text)
    return text


def _type_phrase(schema: Schema) -> str:
    phrases = expected(schema)
    if not phrases and "properties" in schema:
        phrases = ["a mapping"]
    return join_choices(phrases)


def structural_types(schema: Schema | None) -> frozenset[str]:
    """The JSON types a value may have, leaving templates and null out."""
    if not schema:
        return frozenset()
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        found: set[str] = set()
        for branch in branches:
            resolved = deref(branch)
            if isinstance(resolved, dict) and resolved.get("x-plx-template"):
                continue
            found |= shape_types(resolved)
        return frozenset(found - {"null"})
    return frozenset(shape_types(schema) - {"null"})


def yaml_example(key: str | None, example: Any) -> str:
    """A short YAML block showing `example` (under `key` when given)."""
    data = {key: example} if key is not None else example
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=88)
    return text.strip()


_KEY_MARKDOWN: dict[tuple[str, int], tuple[Schema, str]] = {}


def key_markdown(key: str, schema: Schema | None) -> str:
    """`**key**` — type, then description, default and example (cached per key and schema object)."""
    if schema is None:
        return _key_markdown(key, schema)
    cached = _KEY_MARKDOWN.get((key, id(schema)))
    if cached is not None and cached[0] is schema:
        return cached[1]
    text = _key_markdown(key, schema)
    if len(_KEY_MARKDOWN) > 4096:
        _KEY_MARKDOWN.clear()
    _KEY_MARKDOWN[(key, id(schema))] = (schema, text)
    return text


def _key_markdown(key: str, schema: Schema | None) -> str:
    schema = schema or {}
    parts = [f"**{key}**"]
    phrase = type_phrase(schema)
    if phrase:
        parts[0] += f" — {phrase}"
    description = schema.get("description")
    if description:
        parts.append(str(description))
    alias = schema.get("x-plx-alias-of")
    if alias and not description:
        parts.append(f"Another name for `{alias}`.")
    if "default" in schema:
        parts.append(f"Default: `{schema['default']}`")
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        parts.append("Example:\n\n```yaml\n" + yaml_example(key, examples[0]) + "\n```")
    return "\n\n".join(parts)


def value_markdown(key: str, value: Any, description: str | None, schema: Schema | None) -> str:
    """`**value**` for an enum value of `key`."""
    parts = [f"**{value}**"]
    if description:
        parts.append(description)
    parts.append(f"A value of `{key}`" + (f" ({type_phrase(schema)})." if schema else "."))
    return "\n\n".join(parts)


def template_markdown(text: str) -> str:
    """What a `{{ ... }}` template is, from the schema's template definition."""
    template = load_schema()["$defs"].get("template", {})
    description = template.get("description", "A `{{ ... }}` reference resolved by Polyaxon.")
    return (
        f"**Template** `{text}`\n\n"
        "This template is resolved by Polyaxon at run time (when the operation is compiled); "
        f"it is not checked here.\n\n{description}"
    )

"""Hover markdown for keys, enum values and `{{ ... }}` templates, from the schema.

Block and flow style alike (`git: {url: x}` hovers as `git:` / `url: x` do); only the
lines around the position and its ancestors are read.
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from . import markdown
from .context import hover_target
from .documents import Document
from .navigator import Navigator, enum_description, enum_values

_TEMPLATE = re.compile(r"\{\{.*?\}\}")


def hover(document: Document, line: int, column: int, encoding: str) -> lsp.Hover | None:
    """The hover at (line, code-point column), or None."""
    target = hover_target(document.lines, line, column)
    if target is None or target.facts is None:
        return None
    navigator = Navigator(target.facts)
    text: str | None = None
    if target.kind == "key":
        schema = navigator.property_schema(target.path)
        if schema is not None:
            text = markdown.key_markdown(target.text, schema)
    else:
        value = target.text.strip("\"'")
        if _TEMPLATE.search(value):
            text = markdown.template_markdown(value)
        elif target.path and isinstance(target.path[-1], str):
            schemas = navigator.schemas_at(target.path)
            if value in [str(v) for v in enum_values(schemas)]:
                text = markdown.value_markdown(
                    target.path[-1],
                    value,
                    enum_description(schemas, value),
                    navigator.property_schema(target.path),
                )
    if text is None:
        return None
    hover_range = lsp.Range(
        lsp.Position(line, document.units(line, target.start, encoding)),
        lsp.Position(line, document.units(line, target.end, encoding)),
    )
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), hover_range)

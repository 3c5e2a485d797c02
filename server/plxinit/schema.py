"""Access to the canonical JSON Schema: loading it, resolving `$ref`s, reading annotations.

The schema file under `schema/` is the single source of truth; every other module
(validator, hover, completion, export) asks this one about it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SCHEMA_FILE = "polyaxonfile.schema.json"

Schema = dict[str, Any]


def schema_path() -> Path:
    """Where the canonical schema lives: inside the installed package, else the source tree."""
    # A file beside the module, not importlib.resources: that import alone costs ~5 ms of every
    # cold start, and the package is never imported from a zip.
    packaged = Path(__file__).resolve().parent / "schema" / SCHEMA_FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schema" / SCHEMA_FILE


@functools.lru_cache(maxsize=1)
def load_schema() -> Schema:
    """The canonical schema as a dict (read once per process)."""
    with schema_path().open(encoding="utf-8") as handle:
        schema: Schema = json.load(handle)
    return schema


def rule_message(rule: str, **values: str) -> str:
    """The wording of a rule's diagnostic (`x-plx-messages` of the schema), filled in."""
    template: str = load_schema()["x-plx-messages"][rule]
    return template.format(**values) if values else template


def resolve_pointer(pointer: str, root: Schema | None = None) -> Any:
    """The part of the schema a local `$ref` such as `#/$defs/git` points to."""
    node: Any = load_schema() if root is None else root
    if pointer in ("#", ""):
        return node
    for part in pointer.lstrip("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(schema: Any) -> Any:
    """Follow `$ref`s until a schema without one; sibling keywords of a `$ref` are merged in."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        target = resolve_pointer(schema["$ref"])
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if siblings else target
        seen += 1
    return schema


def walk_schema_path(path: Iterable[Any]) -> Iterator[Any]:
    """Every schema object visited along a jsonschema `absolute_schema_path`, root first.

    jsonschema leaves `$ref` hops out of the path, so a `$ref` is followed whenever the
    next part is not a keyword of the current schema.
    """
    node: Any = load_schema()
    yield node
    for part in path:
        if part == "$ref" and isinstance(node, dict) and "$ref" in node:
            node = resolve_pointer(node["$ref"])
            yield node
            continue
        hops = 0
        while isinstance(node, dict) and part not in node and "$ref" in node and hops < 32:
            node = resolve_pointer(node["$ref"])
            hops += 1
            yield node
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return
        if node is None:
            return
        yield node


_JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


def shape_types(schema: Any, depth: int = 0) -> frozenset[str]:
    """The JSON types a schema can accept at all (its 'shape'), used to pick union branches."""
    schema = deref(schema)
    if schema is True or not isinstance(schema, dict) or depth > 16:
        return frozenset(_JSON_TYPES)
    if schema is False:
        return frozenset()
    if "type" in schema:
        declared = schema["type"]
        types = {declared} if isinstance(declared, str) else set(declared)
        if "number" in types:
            types.add("integer")
        return frozenset(types)
    for keyword in ("enum", "const"):
        if keyword in schema:
            values = schema[keyword] if keyword == "enum" else [schema[keyword]]
            return frozenset(json_type(value) for value in values)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            found: set[str] = set()
            for branch in schema[keyword]:
                found |= shape_types(branch, depth + 1)
            return frozenset(found)
    if "allOf" in schema:
        result = frozenset(_JSON_TYPES)
        for branch in schema["allOf"]:
            result &= shape_types(branch, depth + 1)
        return result
    return frozenset(_JSON_TYPES)


def json_type(value: Any) -> str:
    """The JSON Schema type name of a loaded YAML value ('other' for dates, bytes, sets)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "other"


def is_template_schema(schema: Any) -> bool:
    """True for the `{{ ... }}` template definition (directly or through a `$ref`)."""
    resolved = deref(schema)
    return isinstance(resolved, dict) and bool(resolved.get("x-plx-template"))


def canonical_keys(schema: Any) -> list[str]:
    """Property names of an object schema, without the snake_case aliases."""
    resolved = deref(schema)
    if not isinstance(resolved, dict):
        return []
    properties = resolved.get("properties", {})
    return [name for name, sub in properties.items() if not (isinstance(sub, dict) and "x-plx-alias-of" in sub)]

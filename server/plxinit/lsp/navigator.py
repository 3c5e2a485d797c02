"""Schema navigation: which subschemas apply at a YAML key path.

Given a path such as `['run', 'init', 0, 'git']` and what the document says at each
level (its `kind`, `run.kind`, ...), return the applicable object schemas, following
`$ref`, `allOf` with `if`/`then`/`else` (evaluated against the document's scalars),
`anyOf`/`oneOf` branches, `items` and `additionalProperties` (raycluster `workers.<name>`).
Everything completion and hover say comes from the schemas found here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..schema import deref, load_schema

PathPart = str | int
Schema = dict[str, Any]
#: The scalars of the mapping at a path: key -> value (`MISSING_VALUE` for non-scalars).
Facts = Callable[[Sequence[PathPart]], dict[str, Any]]

MISSING_VALUE = object()
_MAX_DEPTH = 24


def _no_facts(_path: Sequence[PathPart]) -> dict[str, Any]:
    return {}


def _condition_holds(condition: Any, facts: dict[str, Any], depth: int = 0) -> bool | None:
    """Evaluate an `if` schema against a mapping's scalars; None when it cannot tell."""
    condition = deref(condition)
    if condition is True or condition == {}:
        return True
    if not isinstance(condition, dict) or depth > 8:
        return None
    results: list[bool | None] = []
    for name in condition.get("required", []):
        results.append(name in facts)
    for name, sub in condition.get("properties", {}).items():
        if name not in facts:
            continue  # an absent property satisfies `properties`
        results.append(_value_matches(sub, facts[name]))
    if "not" in condition:
        inner = _condition_holds(condition["not"], facts, depth + 1)
        results.append(None if inner is None else not inner)
    if "anyOf" in condition:
        branches = [_condition_holds(b, facts, depth + 1) for b in condition["anyOf"]]
        results.append(True if any(b is True for b in branches) else (None if None in branches else False))
    if "allOf" in condition:
        results.extend(_condition_holds(b, facts, depth + 1) for b in condition["allOf"])
    if any(r is False for r in results):
        return False
    if any(r is None for r in results):
        return None
    return True


def _value_matches(schema: Any, value: Any) -> bool | None:
    schema = deref(schema)
    if value is MISSING_VALUE:
        return None
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return bool(value == schema["const"])
    if "enum" in schema:
        return value in schema["enum"]
    if schema.get("type") == "null":
        return value is None
    if "not" in schema:
        inner = _value_matches(schema["not"], value)
        return None if inner is None else not inner
    return None


def expand(schema: Any, facts: dict[str, Any], depth: int = 0) -> list[Schema]:
    """The concrete schemas that apply to one value: allOf/if-then resolved, unions flattened."""
    schema = deref(schema)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return []
    found: list[Schema] = [schema]
    for branch in schema.get("allOf", []):
        found.extend(expand(branch, facts, depth + 1))
    if "if" in schema:
        holds = _condition_holds(schema["if"], facts)
        if holds and "then" in schema:
            found.extend(expand(schema["then"], facts, depth + 1))
        elif holds is False and "else" in schema:
            found.extend(expand(schema["else"], facts, depth + 1))
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, []):
            found.extend(expand(branch, facts, depth + 1))
    return found


def _unique(schemas: Iterable[Schema]) -> list[Schema]:
    seen: set[int] = set()
    result = []
    for schema in schemas:
        if id(schema) not in seen:
            seen.add(id(schema))
            result.append(schema)
    return result


def _never(schema: Any) -> bool:
    """A property schema that rejects every value (`not: {}`), e.g. `init` in a dag run."""
    schema = deref(schema)
    return schema is False or (isinstance(schema, dict) and schema.get("not") == {})


class Navigator:
    """Looks up schemas by key path, with the document's facts deciding the `if` branches."""

    def __init__(self, facts: Facts = _no_facts, root: Schema | None = None) -> None:
        self.facts = facts
        self.root = root if root is not None else load_schema()
        self._schemas: dict[tuple[PathPart, ...], list[Schema]] = {}
        self._properties: dict[tuple[PathPart, ...], dict[str, Schema]] = {}

    def schemas_at(self, path: Sequence[PathPart]) -> list[Schema]:
        """Concrete schemas for the value at `path` (empty when the schema knows nothing).

        Computed once per path for this navigator (its facts do not change).
        """
        key = tuple(path)
        found = self._schemas.get(key)
        if found is None:
            found = self._schemas[key] = self._schemas_at(path)
        return list(found)

    def _schemas_at(self, path: Sequence[PathPart]) -> list[Schema]:
        current = expand(self.root, self.facts([]))
        for depth, part in enumerate(path):
            children = [child for schema in current for child in self._child(schema, part)]
            prefix = path[: depth + 1]
            facts = self.facts(prefix)
            current = _unique(s for child in children for s in expand(child, facts))
            if not current:
                return []
        return current

    def property_schema(self, path: Sequence[PathPart]) -> Schema | None:
        """The declared schema of the last key of `path` (description, examples, ...), merged."""
        if not path or not isinstance(path[-1], str):
            return None
        key = path[-1]
        for parent in self.schemas_at(path[:-1]):
            properties = parent.get("properties", {})
            if key in properties and not _never(properties[key]):
                resolved = deref(properties[key])
                return resolved if isinstance(resolved, dict) else None
        for parent in self.schemas_at(path[:-1]):
            extra = parent.get("additionalProperties")
            if isinstance(extra, dict):
                resolved = deref(extra)
                return resolved if isinstance(resolved, dict) else None
        return None

    def properties(self, path: Sequence[PathPart]) -> dict[str, Schema]:
        """Keys a mapping at `path` may have, in schema order, aliases included (once per path)."""
        key = tuple(path)
        cached = self._properties.get(key)
        if cached is None:
            cached = self._properties[key] = self._properties_at(path)
        return dict(cached)

    def _properties_at(self, path: Sequence[PathPart]) -> dict[str, Schema]:
        found: dict[str, Schema] = {}
        for schema in self.schemas_at(path):
            for name, sub in schema.get("properties", {}).items():
                if name in found or _never(sub):
                    continue
                resolved = deref(sub)
                if isinstance(resolved, dict):
                    found[name] = resolved
        return found

    def attribute(self, path: Sequence[PathPart], name: str) -> Any:
        """The first value of annotation `name` among the schemas at `path`."""
        for schema in self.schemas_at(path):
            if name in schema:
                return schema[name]
        return None

    @staticmethod
    def _child(schema: Schema, part: PathPart) -> list[Any]:
        if isinstance(part, int):
            items = schema.get("items")
            return [items] if isinstance(items, dict) else []
        properties = schema.get("properties", {})
        if part in properties:
            return [] if _never(properties[part]) else [properties[part]]
        extra = schema.get("additionalProperties")
        return [extra] if isinstance(extra, dict) else []


def enum_values(schemas: Iterable[Schema]) -> list[Any]:
    """Every enum/const value the schemas allow, in order, without duplicates."""
    values: list[Any] = []
    for schema in schemas:
        candidates = list(schema.get("enum", []))
        if "const" in schema:
            candidates.append(schema["const"])
        for value in candidates:
            if value is not None and value not in values:
                values.append(value)
    return values


def accepts_boolean(schemas: Iterable[Schema]) -> bool:
    for schema in schemas:
        declared = schema.get("type")
        types = [declared] if isinstance(declared, str) else list(declared or [])
        if "boolean" in types:
            return True
    return False


def enum_description(schemas: Iterable[Schema], value: Any) -> str | None:
    for schema in schemas:
        descriptions = schema.get("x-plx-enum-descriptions")
        if isinstance(descriptions, dict) and str(value) in descriptions:
            return str(descriptions[str(value)])
    return None

"""The part of the canonical schema that given values can reach, for a fast first compile.

jsonschema-rs compiles every subschema reachable from the root, ~35 ms for the whole-file
schema, about a third of a cold `plx-validate` run, while a small file touches a few percent of
it. `narrowed_schema(root, node, values)` rewrites `node` into a standalone schema that gives
each of `values` exactly the verdict `node` gives it: the instances each subschema is applied
to are tracked down the tree, and a subschema no instance reaches becomes `true` (an
applicator with nothing to apply to can neither pass nor fail anything). Annotations are
dropped, `$ref`s become references to new definitions, one per target and set of instances.

The rewrite knows every keyword the canonical schema uses; any other keyword (a schema change
bringing `contains`, `unevaluatedProperties`, `$dynamicRef`, ...) raises `Unsupported`, and
the caller compiles the whole schema instead. So does a document too big to be worth it
(`budget`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Schema = Any

#: Assertions on the instance itself, copied as they are.
_ASSERTIONS = frozenset(
    {
        "type",
        "enum",
        "const",
        "required",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "uniqueItems",
    }
)
#: Keywords no validator acts on (the `x-` ones are ours).
_ANNOTATIONS = frozenset(
    {"description", "examples", "title", "default", "defaultSnippets", "deprecated", "$comment", "errorMessage"}
)
#: Keywords that apply their subschemas to the very instance they sit on.
_IN_PLACE = frozenset({"not", "if", "then", "else"})
_IN_PLACE_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_OBJECT_APPLICATORS = frozenset(
    {"properties", "patternProperties", "additionalProperties", "propertyNames", "dependentSchemas"}
)
_ARRAY_APPLICATORS = frozenset({"items", "prefixItems"})
#: Dropped: the result has its own root and definitions, and resolves `$ref`s itself (an `$id`
#: below the root would move the base of the `$ref`s under it: not modelled).
_ROOT_ONLY = frozenset({"$schema", "$defs"})


class Unsupported(Exception):
    """The schema uses something this rewrite does not model, or the values are too many."""


def narrowed_schema(root: Schema, node: Schema, values: list[Any], budget: int) -> tuple[Schema, int]:
    """A standalone schema (with `root`'s `$schema`) that judges each of `values` as `node`
    (a part of `root`, whose `$ref`s point into `root`) does; and the work it took.

    Raises Unsupported (see the module's docstring) when the work would exceed `budget`
    (about the number of subschema-instance pairs visited)."""
    narrower = _Narrower(root, budget)
    body = narrower.narrow(node, _distinct(values))
    schema: dict[str, Any] = {"$schema": root.get("$schema", "https://json-schema.org/draft/2020-12/schema")}
    if isinstance(body, bool):
        schema["allOf"] = [body]
    else:
        schema.update(body)
    if narrower.definitions:
        schema["$defs"] = narrower.definitions
    return schema, narrower.work


def _distinct(values: Iterable[Any]) -> list[Any]:
    """`values` without repeats of one object (aliases share objects)."""
    return list({id(value): value for value in values}.values())


class _Narrower:
    def __init__(self, root: Schema, budget: int) -> None:
        self.root = root
        self.budget = budget
        self.work = 0
        self.definitions: dict[str, Schema] = {}
        # (pointer, ids of the instances) -> name of its definition; the values stay alive
        # in the document for as long as the narrowing runs, so their ids are stable
        self.names: dict[tuple[str, tuple[int, ...]], str] = {}

    def narrow(self, node: Schema, instances: list[Any]) -> Schema:
        if not instances:
            return True
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            raise Unsupported(f"a schema that is a {type(node).__name__}")
        self.work += len(instances) + 1
        if self.work > self.budget:
            raise Unsupported("over budget")
        narrowed: dict[str, Any] = {}
        for keyword, value in node.items():
            if keyword in _ASSERTIONS:
                narrowed[keyword] = value
            elif self.ignored(keyword, node):
                continue
            elif keyword == "$ref":
                narrowed[keyword] = self.reference(value, instances)
            elif keyword in _IN_PLACE:
                narrowed[keyword] = self.narrow(value, instances)
            elif keyword in _IN_PLACE_LISTS:
                narrowed[keyword] = [self.narrow(branch, instances) for branch in value]
            elif keyword in _OBJECT_APPLICATORS:
                self.object_keyword(narrowed, node, keyword, value, [i for i in instances if isinstance(i, dict)])
            elif keyword in _ARRAY_APPLICATORS:
                self.array_keyword(narrowed, node, keyword, value, [i for i in instances if isinstance(i, list)])
            else:
                raise Unsupported(f"the keyword {keyword!r}")
        return narrowed

    def ignored(self, keyword: str, node: dict[str, Any]) -> bool:
        """Whether no validator acts on `keyword` of `node` here."""
        if keyword in _ANNOTATIONS or keyword in _ROOT_ONLY or keyword.startswith("x-"):
            return True
        return keyword == "$id" and node is self.root

    def reference(self, pointer: Any, instances: list[Any]) -> str:
        """`#/$defs/<name>` of the definition narrowing the target of `pointer` to `instances`."""
        if not isinstance(pointer, str) or not pointer.startswith("#"):
            raise Unsupported(f"the reference {pointer!r}")
        key = (pointer, tuple(sorted(map(id, instances))))
        name = self.names.get(key)
        if name is None:
            name = f"n{len(self.names)}"
            self.names[key] = name
            self.definitions[name] = True  # a placeholder while a recursive reference is narrowed
            self.definitions[name] = self.narrow(self.target(pointer), instances)
        return f"#/$defs/{name}"

    def target(self, pointer: str) -> Schema:
        node: Any = self.root
        for part in pointer[1:].split("/")[1:] if pointer not in ("#", "#/") else []:
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError) as error:
                raise Unsupported(f"the reference {pointer!r}") from error
        return node

    def object_keyword(
        self, narrowed: dict[str, Any], node: dict[str, Any], keyword: str, value: Any, objects: list[Any]
    ) -> None:
        """Narrow an object applicator to the members of `objects` it can reach (none: dropped,
        as the keyword is then void)."""
        if not objects:
            return
        if keyword not in ("additionalProperties", "propertyNames") and not isinstance(value, dict):
            raise Unsupported(f"{keyword} that is not a mapping")
        if keyword == "properties":
            # an absent name can go: `additionalProperties` only asks about the instance's names
            members_by_name: dict[str, dict[int, Any]] = {}
            for obj in objects:  # the instances' names, fewer than the schema's (aliases included)
                for name, member in obj.items():
                    if name in value:
                        members_by_name.setdefault(name, {})[id(member)] = member
            if members_by_name:
                narrowed[keyword] = {
                    name: self.narrow(value[name], list(members.values())) for name, members in members_by_name.items()
                }
        elif keyword == "patternProperties":
            # every member, a superset of those a pattern matches: still exact for each
            members = _distinct(member for obj in objects for member in obj.values())
            narrowed[keyword] = {pattern: self.narrow(sub, members) for pattern, sub in value.items()}
        elif keyword == "additionalProperties":
            named = node.get("properties", {})
            members = _distinct(member for obj in objects for name, member in obj.items() if name not in named)
            if members:
                narrowed[keyword] = self.narrow(value, members)
        elif keyword == "propertyNames":
            narrowed[keyword] = self.narrow(value, _distinct(name for obj in objects for name in obj))
        else:  # dependentSchemas: applies to the object itself when it has the name
            dependents = {}
            for name, sub in value.items():
                having = [obj for obj in objects if name in obj]
                if having:
                    dependents[name] = self.narrow(sub, having)
            if dependents:
                narrowed[keyword] = dependents

    def array_keyword(
        self, narrowed: dict[str, Any], node: dict[str, Any], keyword: str, value: Any, arrays: list[Any]
    ) -> None:
        """Narrow `items` or `prefixItems` to the elements they reach; both go when no array
        is there (an entry of `prefixItems` stays, as `true`, since it moves where `items` starts)."""
        if not arrays:
            return
        if keyword == "prefixItems":
            if not isinstance(value, list):
                raise Unsupported("prefixItems that is not a list")
            narrowed[keyword] = [
                self.narrow(sub, _distinct(array[index] for array in arrays if len(array) > index))
                for index, sub in enumerate(value)
            ]
            return
        prefix = node.get("prefixItems", ())
        start = len(prefix) if isinstance(prefix, list) else 0
        rest = _distinct(element for array in arrays for element in array[start:])
        if rest:
            narrowed[keyword] = self.narrow(value, rest)

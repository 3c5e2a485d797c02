"""The canonical schema itself: valid, stable, documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from conftest import REPO
from plxinit.schema import deref, load_schema, schema_path

SCHEMA_FILE = REPO / "schema" / "polyaxonfile.schema.json"


RULE_KEYWORDS = ("if", "then", "else", "not", "dependentSchemas")


#: Where a `$ref` only tests a value (a predicate), never declares it.
PREDICATE_KEYWORDS = ("if", "not")


def _declaration_refs(node: Any) -> Iterator[str]:
    """`$ref`s that declare values: not in a predicate, not in a rule (`x-plx-rule`), not in `$defs`
    (the definitions are followed separately). `then` passes: the root dispatches on `kind` with it."""
    if isinstance(node, dict):
        if "x-plx-rule" in node:
            return
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for key, value in node.items():
            if key not in PREDICATE_KEYWORDS and key != "$defs":
                yield from _declaration_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _declaration_refs(value)


def _declared_defs(schema: dict[str, Any]) -> set[str]:
    """Definitions a document's values are declared by: reachable from the root without passing
    through a predicate or a rule. The others (`has-run`, `has-init-list`) only test values."""
    reached: set[str] = set()
    pending = list(_declaration_refs(schema))
    while pending:
        ref = pending.pop()
        name = ref.removeprefix("#/$defs/").split("/")[0]
        if name in reached or name not in schema["$defs"]:
            continue
        reached.add(name)
        pending.extend(_declaration_refs(schema["$defs"][name]))
    return reached


def _properties(node: Any, where: str = "#", declared: set[str] | None = None) -> Iterator[tuple[str, Any]]:
    """Property declarations (not the `properties` inside rule clauses such as if/then, nor in predicates)."""
    if declared is None:
        declared = _declared_defs(node)
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            if key == "$defs" and where == "#":
                for name, definition in value.items():
                    if name in declared:
                        yield from _properties(definition, f"#/$defs/{name}", declared)
            elif key not in RULE_KEYWORDS:
                yield from _properties(value, f"{where}/{key}", declared)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}/{index}", declared)


def test_predicates_are_told_apart_from_declarations() -> None:
    declared = _declared_defs(load_schema())
    assert {"init-entry", "git", "file", "container"} <= declared
    assert "has-init-list" not in declared


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_has_a_stable_id_and_kebab_case_name() -> None:
    schema = load_schema()
    assert schema["$id"] == "https://www.schemastore.org/polyaxonfile.json"
    for path in (REPO / "schema").glob("*.json"):
        assert path.name == path.name.lower() and "_" not in path.name


def test_every_property_has_a_description() -> None:
    missing = [
        where
        for where, sub in _properties(load_schema())
        if isinstance(sub, dict) and not (sub.get("description") or deref(sub).get("description"))
    ]
    assert missing == []


def test_every_init_field_has_an_example() -> None:
    defs = load_schema()["$defs"]
    for name in ("init-entry", "artifacts", "git", "dockerfile", "file", "tensorboard"):
        for field, sub in defs[name]["properties"].items():
            if "x-plx-alias-of" in sub:
                continue
            assert sub.get("examples"), f"{name}.{field} has no example"


def test_the_source_tree_schema_is_the_one_loaded() -> None:
    assert schema_path().resolve() == SCHEMA_FILE.resolve()


def test_canonical_schema_is_built_from_generated_parts_and_overlay() -> None:
    """`schema/polyaxonfile.schema.json` is exactly what `schema/tools/build.py` makes of
    `schema/generated/` and `schema/overlay/`: nobody edits the result by hand."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(REPO / "schema" / "tools" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr

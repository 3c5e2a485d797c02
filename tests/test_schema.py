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


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    """Property declarations (not the `properties` inside rule clauses such as if/then)."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            if key not in RULE_KEYWORDS:
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}/{index}")


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_has_a_stable_id_and_kebab_case_name() -> None:
    schema = load_schema()
    assert schema["$id"] == "https://plx-init-tools.dev/schemas/polyaxonfile.schema.json"
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

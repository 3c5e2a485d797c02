"""The fast path: schemas narrowed to a document (fastpath.py) judge it exactly as the whole
schema does, and explaining a rejected document skips the list elements jsonschema-rs accepts."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from conftest import FIXTURES, REPO
from plxinit import validate
from plxinit.fastpath import Unsupported, narrowed_schema
from plxinit.schema import load_schema
from plxinit.validate import validate_text
from plxinit.yamldoc import parse_document

sys.path.insert(0, str(REPO / "bench"))
from run import big_polyaxonfile, whole_section_polyaxonfile

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: A small schema using every keyword the narrowing rewrites.
SMALL_SCHEMA: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "description": "annotations are dropped",
    "x-plx-code": "dropped too",
    "properties": {
        "name": {"type": "string", "minLength": 2},
        "tree": {"$ref": "#/$defs/tree"},
        "pair": {"prefixItems": [{"type": "integer"}, {"type": "string"}], "items": False},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "minItems": 1},
        "labels": {"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": {"type": "string"}},
        "keys": {"propertyNames": {"pattern": "^[a-z]+$"}},
        "mode": {"enum": ["a", "b"]},
    },
    "additionalProperties": False,
    "dependentSchemas": {"mode": {"required": ["name"]}},
    "if": {"properties": {"mode": {"const": "a"}}, "required": ["mode"]},
    "then": {"required": ["tags"]},
    "else": {"not": {"required": ["tags"]}},
    "$defs": {
        "tree": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/tree"}},
            },
            "additionalProperties": False,
        },
        "tag": {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}},
            ]
        },
    },
}

SMALL_INSTANCES: list[Any] = [
    {},
    {"name": "ab"},
    {"name": "a"},
    {"other": 1},
    {"tree": {"value": 1, "children": [{"value": 2}, {"value": 3, "children": [{"value": "x"}]}]}},
    {"tree": {"value": 1, "children": [{"value": 2, "extra": True}]}},
    {"pair": [1, "x"]},
    {"pair": [1, 2]},
    {"pair": [1, "x", None]},
    {"pair": []},
    {"mode": "a", "name": "nm", "tags": ["t", {"key": "k"}]},
    {"mode": "a", "name": "nm"},
    {"mode": "a", "tags": ["t"]},
    {"mode": "b", "name": "nm", "tags": ["t"]},
    {"mode": "b", "name": "nm"},
    {"tags": []},
    {"mode": "a", "name": "nm", "tags": [{"key": 1}]},
    {"labels": {"x-a": 1, "b": "s"}},
    {"labels": {"x-a": "s"}},
    {"labels": {"b": 1}},
    {"keys": {"abc": 1}},
    {"keys": {"ABC": 1}},
    [],
    "text",
    None,
]


def _whole_verdict(schema: Any, value: Any) -> bool:
    return bool(jsonschema_rs.validator_for(schema).is_valid(value))


def _narrowed_verdict(schema: Any, values: list[Any], value: Any) -> bool:
    narrowed, _work = narrowed_schema(schema, schema, values, budget=10**9)
    return bool(jsonschema_rs.validator_for(narrowed).is_valid(value))


@pytest.mark.parametrize("value", SMALL_INSTANCES, ids=repr)
def test_a_schema_narrowed_to_a_value_judges_it_as_the_whole_schema(value: Any) -> None:
    assert _narrowed_verdict(SMALL_SCHEMA, [value], value) == _whole_verdict(SMALL_SCHEMA, value)


def test_a_schema_narrowed_to_many_values_judges_each_as_the_whole_schema() -> None:
    verdicts = [_whole_verdict(SMALL_SCHEMA, value) for value in SMALL_INSTANCES]
    narrowed, _work = narrowed_schema(SMALL_SCHEMA, SMALL_SCHEMA, SMALL_INSTANCES, budget=10**9)
    validator = jsonschema_rs.validator_for(narrowed)
    assert [validator.is_valid(value) for value in SMALL_INSTANCES] == verdicts
    assert True in verdicts and False in verdicts


def test_narrowing_drops_what_the_value_does_not_reach_and_every_annotation() -> None:
    narrowed, _work = narrowed_schema(SMALL_SCHEMA, SMALL_SCHEMA, [{"name": "ab", "other": 1}], budget=10**9)
    assert set(narrowed["properties"]) == {"name"}
    assert narrowed["additionalProperties"] is False  # it judges `other`
    assert "description" not in narrowed and "x-plx-code" not in narrowed
    assert "$defs" not in narrowed  # no tree, no tag: nothing referenced
    only_known, _work = narrowed_schema(SMALL_SCHEMA, SMALL_SCHEMA, [{"name": "ab"}], budget=10**9)
    assert "additionalProperties" not in only_known  # no other name to judge


def test_narrowing_a_keyword_it_does_not_model_is_refused() -> None:
    schema = {"$schema": DRAFT, "type": "array", "contains": {"type": "integer"}}
    with pytest.raises(Unsupported, match="contains"):
        narrowed_schema(schema, schema, [[1]], budget=10**9)


def test_narrowing_over_budget_is_refused() -> None:
    value = {"tree": {"value": 1, "children": [{"value": n} for n in range(100)]}}
    with pytest.raises(Unsupported, match="budget"):
        narrowed_schema(SMALL_SCHEMA, SMALL_SCHEMA, [value], budget=50)


def _sample_documents() -> list[Any]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*/*.yaml"))]
    texts += [(REPO / "examples" / "polyaxonfile.yaml").read_text(encoding="utf-8")]
    texts += [big_polyaxonfile(), whole_section_polyaxonfile()]
    documents = []
    for text in texts:
        parsed = parse_document(text)
        if parsed.root is not None and parsed.json_compatible:
            documents.append(parsed.root.value)
    return documents


_ODD_VALUES: list[Any] = [None, True, 0, -1, 2.5, "", "x", "{{ x }}", "job", "dag", [], {}, [1], {"a": 1}]


def _mutated(value: Any, rng: random.Random) -> Any:
    """`value` with one change somewhere: a key dropped, renamed or retyped, an item repeated..."""
    if isinstance(value, dict) and value and rng.random() < 0.75:
        key = rng.choice(list(value))
        changed = dict(value)
        roll = rng.random()
        if roll < 0.2:
            del changed[key]
        elif roll < 0.4:
            changed[key] = rng.choice(_ODD_VALUES)
        elif roll < 0.5:
            changed[f"{key}x"] = changed.pop(key)
        else:
            changed[key] = _mutated(value[key], rng)
        return changed
    if isinstance(value, list) and value and rng.random() < 0.75:
        index = rng.randrange(len(value))
        changed_list = list(value)
        roll = rng.random()
        if roll < 0.2:
            del changed_list[index]
        elif roll < 0.4:
            changed_list.append(copy.deepcopy(value[index]))
        elif roll < 0.5:
            changed_list[index] = rng.choice(_ODD_VALUES)
        else:
            changed_list[index] = _mutated(value[index], rng)
        return changed_list
    return rng.choice(_ODD_VALUES) if rng.random() < 0.3 else value


def test_the_canonical_schema_narrowed_to_a_document_judges_it_as_the_whole_schema() -> None:
    canonical = load_schema()
    whole = jsonschema_rs.validator_for(canonical)
    rng = random.Random(2026)
    verdicts = {True: 0, False: 0}
    for document in _sample_documents():
        for value in (document, _mutated(document, rng), _mutated(_mutated(document, rng), rng)):
            expected = whole.is_valid(value)
            assert _narrowed_verdict(canonical, [value], value) == expected, value
            verdicts[expected] += 1
    assert verdicts[True] > 50 and verdicts[False] > 50  # both verdicts were exercised


def _fresh_fast_check(monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    fast = validate._FastCheck(jsonschema_rs.validator_for)
    fast._budget_left = budget
    monkeypatch.setattr(validate, "_fast_check", lambda: fast)


@pytest.mark.parametrize("path", sorted((FIXTURES / "negative").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_narrowed_check_reports_what_the_whole_schema_reports(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    _fresh_fast_check(monkeypatch, budget=0)
    with_whole_schema = validate_text(text)
    _fresh_fast_check(monkeypatch, budget=validate.NARROWING_BUDGET)
    assert validate_text(text) == with_whole_schema


def _dag(operations: list[str]) -> str:
    return "version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n" + "".join(operations)


def _operation(n: int, image: str = "python:3.11") -> str:
    return (
        f"  - name: step-{n}\n"
        f"    component:\n      run:\n        kind: job\n        container: {{image: '{image}'}}\n"
        f"        init:\n        - git: {{url: 'https://github.com/org/repo-{n}'}}\n"
    )


def _explained_operations(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[list[Any], set[int]]:
    """The diagnostics of `text`, and which `operations` elements python-jsonschema walked."""
    walked: set[int] = set()
    validator_cls = type(validate._validator())
    descend = validator_cls.descend

    def recording_descend(self: Any, instance: Any, schema: Any, path: Any = None, **more: Any) -> Any:
        if isinstance(path, int) and isinstance(instance, dict) and str(instance.get("name", "")).startswith("step-"):
            walked.add(path)
        return descend(self, instance, schema, path=path, **more)

    monkeypatch.setattr(validator_cls, "descend", recording_descend)
    return validate_text(text), walked


def test_explaining_a_big_dag_walks_only_the_rejected_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    operations = [_operation(n) for n in range(60)]
    operations[7] = operations[7].replace("container: {image: 'python:3.11'}", "container: {image: 3}")
    operations[41] = operations[41].replace("    component:", "    colour: red\n    component:")
    diagnostics, walked = _explained_operations(monkeypatch, _dag(operations))
    assert [(d.range.start.line + 1, d.code, d.message) for d in diagnostics] == [
        (59, "type", '`image` must be a string, not an integer. Quote it: "3".'),
        (294, "unknown-key", "Unknown key `colour` in polyaxonfile."),
    ]
    assert walked == {7, 41}


def test_explaining_skips_accepted_operations_but_not_the_rules_on_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    operations = [_operation(n) for n in range(5)]
    operations[3] = operations[3].replace("name: step-3", "name: step-1")  # a duplicate, every element valid
    text = _dag(operations).replace("  kind: dag\n", "  kind: dag\n  concurrency: four\n")
    diagnostics, walked = _explained_operations(monkeypatch, text)
    assert [(d.range.start.line + 1, d.code, d.message) for d in diagnostics] == [
        (5, "invalid-value", "`four` is not a whole number greater than 0."),
        (28, "duplicate-name", "Two operations of this DAG are named `step-1`: operation names must be unique."),
    ]
    assert walked == set()


def test_an_empty_operations_list_is_still_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    diagnostics, _walked = _explained_operations(monkeypatch, _dag([]).replace("operations:\n", "operations: []\n"))
    assert [d.code for d in diagnostics] == ["invalid-value"]
    assert "non-empty list" in diagnostics[0].message

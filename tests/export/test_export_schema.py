"""The exported schemas: committed copies up to date, deterministic, self-contained, same rules.

Regenerate the committed copies with `plx-validate --export-schema DRAFT -o schema/dist/...`, or
    python -c "from plxinit.export import write_dist; write_dist('schema/dist')"
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from typing import Any

import pytest
import yaml
from _export_support import CASES_DIR, DIST_FILES, REPO_ROOT, corpus, file_id
from jsonschema import Draft7Validator, Draft202012Validator

from plxinit.export import (
    DRAFTS,
    GIT_MAPPING_MESSAGE,
    GIT_TEMPLATE_MESSAGE,
    ID_2020_12,
    ID_DRAFT_07,
    build_export,
    export_schema,
)
from plxinit.schema import load_schema
from plxinit.validate import validate_text
from plxinit.yamldoc import parse_document

CATALOG = REPO_ROOT / "schema" / "catalog"


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every (path, dict) in a JSON value."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


@pytest.mark.parametrize("draft", DRAFTS)
def test_committed_copy_is_up_to_date(draft: str) -> None:
    committed = DIST_FILES[draft].read_bytes()
    fresh = export_schema(draft).encode("utf-8")
    assert committed == fresh, (
        f"{DIST_FILES[draft].relative_to(REPO_ROOT)} is stale: regenerate it with "
        f"`plx-validate --export-schema {draft} -o {DIST_FILES[draft].relative_to(REPO_ROOT)}`"
    )


@pytest.mark.parametrize("draft", DRAFTS)
def test_export_is_deterministic_json(draft: str) -> None:
    text = export_schema(draft)
    assert text == export_schema(draft)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_unknown_draft_is_refused() -> None:
    with pytest.raises(ValueError, match="draft-04"):
        export_schema("draft-04")


def test_ids_and_dialects() -> None:
    s2020, s07 = build_export("2020-12"), build_export("draft-07")
    assert s2020["$id"] == load_schema()["$id"] == ID_2020_12
    assert s2020["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s07["$id"] == ID_DRAFT_07
    assert s07["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft202012Validator.check_schema(s2020)
    Draft7Validator.check_schema(s07)


@pytest.mark.parametrize("draft", DRAFTS)
def test_self_contained(draft: str) -> None:
    schema = build_export(draft)
    refs = [node["$ref"] for _path, node in _walk(schema) if isinstance(node.get("$ref"), str)]
    assert refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        assert isinstance(target, dict), ref


def test_draft_07_uses_draft_07_keywords_only() -> None:
    schema = build_export("draft-07")
    text = json.dumps(schema)
    for keyword in (
        "$defs",
        "dependentSchemas",
        "dependentRequired",
        "prefixItems",
        "unevaluated",
        "$anchor",
    ):
        assert f'"{keyword}"' not in text, keyword
    for path, node in _walk(schema):
        if "$ref" in node and path and path[-1] not in ("examples", "default"):
            assert set(node) == {"$ref"}, f"$ref with siblings at {path}: draft-07 would ignore them"
    assert "definitions" in schema
    assert "dependencies" in schema["definitions"]["init-entry"]
    assert "Every rule of the canonical schema is kept" in schema["$comment"]


def _handler_keys() -> list[str]:
    entry = load_schema()["$defs"]["init-entry"]
    return list(entry["dependentSchemas"])


@pytest.mark.parametrize("draft", DRAFTS)
def test_one_handler_message_per_pair(draft: str) -> None:
    schema = build_export(draft)
    defs = schema["$defs" if draft == "2020-12" else "definitions"]
    rules = defs["init-entry"]["dependentSchemas" if draft == "2020-12" else "dependencies"]
    pairs = 0
    for trigger, rule in rules.items():
        branches = [b for b in rule.get("allOf", [rule]) if "then" in b]
        for branch in branches:
            for other, sub in branch["then"]["properties"].items():
                assert sub["enum"] == [None, "", []]
                assert sub["errorMessage"] == (
                    f"Only one built-in handler per init entry: `{trigger}` and `{other}` are both set. "
                    "Split them into separate entries."
                )
                pairs += 1
    assert pairs >= 9 * 8


def test_one_handler_message_is_ours() -> None:
    """plx-validate and the export word the clash the same way (first key, then the second)."""
    schema = build_export("draft-07")
    rules = schema["definitions"]["init-entry"]["dependencies"]
    for first, second in combinations(["artifacts", "paths", "git", "modelRef", "model_ref"], 2):
        if {first, second} == {"modelRef", "model_ref"}:
            continue
        text = f"kind: component\nrun:\n  kind: job\n  init:\n    - {first}: x\n      {second}: y\n"
        ours = [d.message for d in validate_text(text) if d.code == "one-handler"]
        branch = rules[first].get("allOf", [rules[first]])[0]
        assert ours == [branch["then"]["properties"][second]["errorMessage"]], (first, second)


def test_git_messages_are_ours() -> None:
    cases = {
        "git-without-url.yaml": GIT_MAPPING_MESSAGE,
        "git-template-without-connection.yaml": GIT_TEMPLATE_MESSAGE,
    }
    for name, message in cases.items():
        diagnostics = validate_text((CASES_DIR / "negative" / name).read_text(encoding="utf-8"))
        assert [d.message for d in diagnostics if d.code == "git-source"] == [message], name


_NOT_SCHEMA = {"examples", "default", "defaultSnippets", "enum", "const"}


@pytest.mark.parametrize("draft", DRAFTS)
def test_markdown_descriptions(draft: str) -> None:
    schema = build_export(draft)
    described = 0
    for path, node in _walk(schema):
        if not isinstance(node.get("description"), str) or _NOT_SCHEMA & set(map(str, path)):
            continue
        described += 1
        markdown = node.get("markdownDescription")
        assert isinstance(markdown, str) and markdown.startswith(node["description"]), path
        blocks = re.findall(r"```yaml\n(.*?)\n```", markdown, flags=re.S)
        assert len(blocks) == len(node.get("examples", [])), path
        for block, example in zip(blocks, node.get("examples", []), strict=True):
            loaded = yaml.safe_load(block + "\n")
            if path[-2:-1] == ("properties",):
                assert loaded == {path[-1]: example}, path
            else:
                assert loaded == example, path
        if "default" in node:
            assert "Default: `" in markdown, path
    assert described > 400


@pytest.mark.parametrize("draft", DRAFTS)
def test_handler_snippets_on_the_init_entry(draft: str) -> None:
    schema = build_export(draft)
    defs = schema["$defs" if draft == "2020-12" else "definitions"]
    entry = defs["init-entry"]
    labels = [snippet["label"] for snippet in entry["defaultSnippets"]]
    assert set(entry["x-plx-handlers"]) <= set(labels)
    # reached from every init list through a plain `$ref` (no siblings), so editors see them
    assert defs["init-list"]["anyOf"][0]["items"] == {
        "$ref": f"#/{'$defs' if draft == '2020-12' else 'definitions'}/init-entry"
    }
    assert defs["root-init-list"]["items"] == defs["init-list"]["anyOf"][0]["items"]


def test_exports_keep_the_canonical_verdicts() -> None:
    """In-process (python-jsonschema): canonical, 2020-12 export and draft-07 export agree on every file."""
    canonical = Draft202012Validator(load_schema())
    exported = Draft202012Validator(build_export("2020-12"))
    draft07 = Draft7Validator(build_export("draft-07"))
    checked = 0
    for path in corpus():
        parsed = parse_document(path.read_text(encoding="utf-8", errors="replace"))
        if parsed.root is None:
            continue
        value = parsed.root.value
        verdicts = [v.is_valid(value) for v in (canonical, exported, draft07)]
        assert len(set(verdicts)) == 1, (file_id(path), verdicts)
        checked += 1
    assert checked >= 40


def test_catalog_entry() -> None:
    entry = json.loads((CATALOG / "polyaxonfile-catalog-entry.json").read_text(encoding="utf-8"))
    assert set(entry) == {"name", "description", "fileMatch", "url"}
    assert entry["fileMatch"] == ["polyaxonfile*.yaml", "polyaxonfile*.yml", "*.plx.yaml", "*.plx.yml"]
    assert entry["url"] == ID_DRAFT_07
    assert not entry["description"].endswith(".")  # SchemaStore style


def test_modeline_example() -> None:
    text = (CATALOG / "modeline-example.plx.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={ID_DRAFT_07}"
    assert validate_text(text) == []


_TUPLE_MATRICES = {
    "range-ok": {"kind": "range", "value": [0, 10, 2]},
    "range-step-0": {"kind": "range", "value": [0, 10, 0]},
    "range-short": {"kind": "range", "value": [0, 10]},
    "range-long": {"kind": "range", "value": [0, 10, 2, 4]},
    "logspace-base": {"kind": "logspace", "value": [0, 3, 4, 2]},
    "uniform-pair": {"kind": "uniform", "value": [0, 1]},
    "uniform-text": {"kind": "uniform", "value": ["a", 1]},
}


@pytest.mark.parametrize("name", sorted(_TUPLE_MATRICES))
def test_tuples_keep_their_verdicts_in_draft_07(name: str) -> None:
    """2020-12 `prefixItems` (+ `items`) became draft-07 `items` (+ `additionalItems`): same verdicts."""
    document = {
        "kind": "operation",
        "matrix": {"kind": "grid", "params": {"p": _TUPLE_MATRICES[name]}},
        "component": {"run": {"kind": "job", "container": {"image": "busybox"}}},
    }
    verdicts = [
        Draft202012Validator(load_schema()).is_valid(document),
        Draft202012Validator(build_export("2020-12")).is_valid(document),
        Draft7Validator(build_export("draft-07")).is_valid(document),
    ]
    assert len(set(verdicts)) == 1, verdicts


def test_schemastore_examples_keep_the_canonical_verdicts() -> None:
    canonical = Draft202012Validator(load_schema())
    draft07 = Draft7Validator(build_export("draft-07"))
    folder = REPO_ROOT / "schema" / "schemastore" / "src"
    paths = sorted(folder.glob("*test/polyaxonfile/*.yaml"))
    assert len(paths) >= 50
    for path in paths:
        value = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert canonical.is_valid(value) == draft07.is_valid(value), path.name


def test_no_unused_definitions_in_the_exports() -> None:
    for draft in DRAFTS:
        schema = build_export(draft)
        text = json.dumps(schema)
        key = "definitions" if draft == "draft-07" else "$defs"
        unused = [name for name in schema[key] if f'"#/{key}/{name}"' not in text and f'"#/{key}/{name}/' not in text]
        assert unused == [], draft
    assert "handler-unset" in load_schema()["$defs"]  # inlined by the export, so dropped there

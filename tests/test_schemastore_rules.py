"""SchemaStore's rules, checked on our exported schemas and on the SchemaStore-layout examples.

SchemaStore (github.com/SchemaStore/schemastore) runs `node cli.js check` on every schema it
hosts; `cli.js coverage` adds further checks. What is checked here, and where SchemaStore says so:

* `$schema` is a dialect it knows and not "too high" (2020-12 and 2019-09 are: the draft-07 export
  is the file SchemaStore serves), `$id` is https://www.schemastore.org/<name>.json (cli.js
  `new-schema`, `assertSchemaHasCorrectMetadata`), no `title`/`description` ends with a colon;
* every `$ref` is local (no remote schema), no unused `definitions` (coverage check 1), every
  property has a description (coverage check 2: the properties reachable from the root; we also
  require it of every property that a definition declares, rules apart);
* Ajv: strict compile with SchemaStore's own factory (`ajvFactory`): the keywords Ajv does not
  know are registered as `options.unknownKeywords` in schema/schemastore/schema-validation-entries.json
  (what goes into SchemaStore's schema-validation.jsonc); full strict mode finds only
  strictTypes/strictTuples/strictRequired issues, hence the `ajvNotStrictMode` entry;
* positive tests valid, negative tests invalid (Ajv), in SchemaStore's layout
  (src/test/<name>/, src/negative_test/<name>/, files only, allowed extensions, no BOM, the
  `# yaml-language-server: $schema=<relative path>` first line);
* the catalog entry (schema-catalog.json's shape, no "schema" in name/description, no trailing
  `,. -`, directory globs start with `**/`).

Beyond SchemaStore: each top-level section of a polyaxonfile appears in a positive example and
is the one violation of a negative example (plx-validate reports exactly one error there, inside
that section), and Polyaxon 2.18.0 itself agrees with every verdict.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from plxinit.export import SCHEMA_ID, SCHEMASTORE_NAME, build_export, export_schema
from plxinit.schema import load_schema
from plxinit.validate import validate_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "differential"))
from harness import ORACLE_HELP, oracle_python, run_oracle  # noqa: E402

LAYOUT = REPO / "schema" / "schemastore"
SRC = LAYOUT / "src"
SCHEMA_DIR = SRC / "schemas" / "json"
POSITIVE_DIR = SRC / "test"
NEGATIVE_DIR = SRC / "negative_test"
NAME = SCHEMASTORE_NAME.removesuffix(".json")
ENTRIES = LAYOUT / "schema-validation-entries.json"
CATALOG_ENTRY = REPO / "schema" / "catalog" / "polyaxonfile-catalog-entry.json"
DIST_DRAFT_07 = REPO / "schema" / "dist" / "polyaxonfile.draft-07.schema.json"
NODE_DIR = REPO / "tests" / "export" / "node"
AJV_STRICT = NODE_DIR / "ajv-strict.js"

# cli.js SchemaDialects
DIALECTS = {
    "https://json-schema.org/draft/2020-12/schema": True,  # url -> isTooHigh
    "https://json-schema.org/draft/2019-09/schema": True,
    "http://json-schema.org/draft-07/schema#": False,
}
DRAFT_07_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples",
        "readOnly", "writeOnly", "definitions", "type", "enum", "const", "multipleOf", "maximum",
        "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains",
        "maxProperties", "minProperties", "required", "properties", "patternProperties",
        "additionalProperties", "dependencies", "propertyNames", "if", "then", "else", "allOf",
        "anyOf", "oneOf", "not", "format", "contentMediaType", "contentEncoding",
    }
)  # fmt: skip
# cli.js ajvFactory(): annotation keywords SchemaStore registers for every schema
SCHEMASTORE_KEYWORDS = frozenset(
    {
        "allowTrailingCommas", "defaultSnippets", "markdownDescription", "enumDescriptions",
        "markdownEnumDescriptions", "x-taplo", "x-taplo-info", "x-tombi-toml-version",
        "x-tombi-array-values-order", "x-tombi-array-values-order-by", "x-tombi-table-keys-order",
        "x-tombi-string-formats", "x-tombi-additional-key-label", "x-intellij-language-injection",
        "x-intellij-html-description", "x-intellij-enum-metadata",
    }
)  # fmt: skip
# Ajv full-strict findings that only `ajvNotStrictMode` tolerates (the rules are written without
# `type` next to every `required`/`properties`, as conditions over values of any type).
TOLERATED_STRICT = {"strictTypes", "strictTuples", "strictRequired"}
HEADER = re.compile(r"^# One violation, in `([A-Za-z]+)`: .+\.$")

Schema = dict[str, Any]


# --------------------------------------------------------------------------- helpers
@functools.cache
def exported(draft: str) -> Schema:
    return build_export(draft)


def _subschemas(node: Any) -> list[Schema]:
    """Every schema object under `node` (values of schema keywords only, not of annotations)."""
    found: list[Schema] = []

    def walk(value: Any) -> None:
        if not isinstance(value, dict):
            return
        found.append(value)
        for key, child in value.items():
            if key in ("properties", "patternProperties", "definitions", "$defs", "dependencies", "dependentSchemas"):
                for sub in child.values() if isinstance(child, dict) else ():
                    walk(sub)
            elif key in ("items", "prefixItems", "allOf", "anyOf", "oneOf") and isinstance(child, list):
                for sub in child:
                    walk(sub)
            elif key in (
                "items", "additionalItems", "additionalProperties", "not", "if", "then", "else",
                "propertyNames", "contains",
            ):  # fmt: skip
                walk(child)

    walk(node)
    return found


def _definitions(schema: Schema) -> dict[str, Schema]:
    defs: dict[str, Schema] = schema.get("definitions") or schema.get("$defs") or {}
    return defs


def schemastore_walk(schema: Schema, path: str = "") -> list[tuple[str, Schema]]:
    """SchemaStore's `walkProperties` (src/helpers/coverage.js): (path, property schema) pairs."""
    out: list[tuple[str, Schema]] = []
    for name, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, dict):
            full = f"{path}.{name}" if path else name
            out.append((full, prop))
            out += schemastore_walk(prop, full)
    if isinstance(schema.get("items"), dict):
        out += schemastore_walk(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        out += schemastore_walk(schema["additionalProperties"], f"{path}.*")
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        if isinstance(sub, dict):
            out += schemastore_walk(sub, f"{path}[{pattern}]")
    for keyword in ("anyOf", "oneOf", "allOf"):
        for variant in schema.get(keyword) or ():
            if isinstance(variant, dict):
                out += schemastore_walk(variant, path)
    for key in ("$defs", "definitions"):
        for name, sub in (schema.get(key) or {}).items():
            if isinstance(sub, dict):
                out += schemastore_walk(sub, f"#{key}/{name}")
    return out


def declared_properties(node: Schema, path: str) -> list[tuple[str, Schema]]:
    """Properties `node` declares, and theirs (through properties/items/additionalProperties)."""
    out: list[tuple[str, Schema]] = []
    for name, prop in (node.get("properties") or {}).items():
        if isinstance(prop, dict):
            out.append((f"{path}.{name}", prop))
            out += declared_properties(prop, f"{path}.{name}")
    for key, suffix in (("items", "[]"), ("additionalProperties", ".*")):
        if isinstance(node.get(key), dict):
            out += declared_properties(node[key], path + suffix)
    for pattern, sub in (node.get("patternProperties") or {}).items():
        if isinstance(sub, dict):
            out += declared_properties(sub, f"{path}[{pattern}]")
    return out


def declares_object(definition: Schema) -> bool:
    """A definition that describes an object (a model, a section), not a rule over values."""
    if "x-plx-rule" in definition:
        return False
    return "additionalProperties" in definition or definition.get("type") == "object" or "x-plx-model" in definition


def custom_keywords(schema: Schema) -> set[str]:
    """Keywords used at schema positions that are neither draft-07's nor registered by SchemaStore."""
    used: set[str] = set()
    for node in _subschemas(schema):
        used.update(node)
    return used - DRAFT_07_KEYWORDS - SCHEMASTORE_KEYWORDS


def examples(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / NAME).iterdir() if p.is_file())


def error_diagnostics(text: str) -> list[Any]:
    return [d for d in validate_text(text) if d.severity.value == "error"]


def run_ajv(documents: dict[str, Any]) -> dict[str, Any]:
    if os.environ.get("PLX_SKIP_NODE") == "1":
        pytest.skip("PLX_SKIP_NODE=1")
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH (Node 20 is needed; set PLX_SKIP_NODE=1 to skip these tests)")
    if not (NODE_DIR / "node_modules" / "ajv" / "package.json").is_file():
        pytest.fail("npm package ajv missing: run `npm ci --prefix tests/export/node` (or PLX_SKIP_NODE=1)")
    keywords = json.loads(ENTRIES.read_text(encoding="utf-8"))["options"][SCHEMASTORE_NAME]["unknownKeywords"]
    with tempfile.TemporaryDirectory() as folder:
        keyword_file = Path(folder) / "unknown-keywords.json"
        keyword_file.write_text(json.dumps(keywords), encoding="utf-8")
        proc = subprocess.run(
            ["node", str(AJV_STRICT), str(SCHEMA_DIR / SCHEMASTORE_NAME), str(keyword_file)],
            input=json.dumps(documents),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@functools.cache
def ajv_result() -> dict[str, Any]:
    documents = {}
    for folder in (POSITIVE_DIR, NEGATIVE_DIR):
        for path in examples(folder):
            documents[f"{folder.name}/{path.name}"] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return run_ajv(documents)


def sections() -> list[str]:
    """The top-level sections of a polyaxonfile: the model's fields, without snake_case aliases."""
    model = load_schema()["$defs"]["V1Polyaxonfile"]
    return [name for name, prop in model["properties"].items() if "x-plx-alias-of" not in prop]


# --------------------------------------------------------------------------- the schema file
def test_the_layout_schema_file_is_the_draft_07_export() -> None:
    path = SCHEMA_DIR / SCHEMASTORE_NAME
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == DIST_DRAFT_07.read_text(encoding="utf-8") == export_schema("draft-07")


@pytest.mark.parametrize("draft", ["2020-12", "draft-07"])
def test_id_is_the_url_schemastore_hosts_it_at(draft: str) -> None:
    assert f"https://www.schemastore.org/{SCHEMASTORE_NAME}" == SCHEMA_ID
    assert exported(draft)["$id"] == load_schema()["$id"] == SCHEMA_ID
    assert json.loads(CATALOG_ENTRY.read_text(encoding="utf-8"))["url"] == SCHEMA_ID


def test_the_served_export_is_not_too_high_a_dialect() -> None:
    assert DIALECTS[exported("draft-07")["$schema"]] is False
    assert exported("2020-12")["$schema"] in DIALECTS  # known, but SchemaStore would want draft-07


@pytest.mark.parametrize("draft", ["2020-12", "draft-07"])
def test_every_ref_is_local_and_resolves(draft: str) -> None:
    schema = exported(draft)
    bad = []
    for node in _subschemas(schema):
        ref = node.get("$ref")
        if ref is None:
            continue
        if not isinstance(ref, str) or not ref.startswith("#/"):
            bad.append(f"remote or malformed $ref {ref!r}")
            continue
        target: Any = schema
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                bad.append(f"unresolved $ref {ref!r}")
                break
            target = target[part]
    assert bad == []


@pytest.mark.parametrize("draft", ["2020-12", "draft-07"])
def test_no_unused_definitions(draft: str) -> None:
    schema = exported(draft)
    key = "definitions" if draft == "draft-07" else "$defs"
    refs = {node["$ref"] for node in _subschemas(schema) if isinstance(node.get("$ref"), str)}
    unused = [
        name
        for name in _definitions(schema)
        if not any(ref == f"#/{key}/{name}" or ref.startswith(f"#/{key}/{name}/") for ref in refs)
    ]
    assert unused == []


@pytest.mark.parametrize("draft", ["2020-12", "draft-07"])
def test_every_property_reachable_from_the_root_has_a_description(draft: str) -> None:
    """SchemaStore's coverage check 2, as coverage.js computes it."""
    props = [(path, prop) for path, prop in schemastore_walk(exported(draft)) if not path.startswith("#")]
    missing = [path for path, prop in props if not str(prop.get("description") or "").strip()]
    assert missing == []


@pytest.mark.parametrize("draft", ["2020-12", "draft-07"])
def test_every_declared_property_of_every_definition_has_a_description(draft: str) -> None:
    schema = exported(draft)
    props = declared_properties(schema, "#")
    for name, definition in _definitions(schema).items():
        if declares_object(definition):
            props += declared_properties(definition, f"#{name}")
    missing = [path for path, prop in props if not str(prop.get("description") or "").strip()]
    assert len(props) > 1000
    assert missing == []


def test_every_polyaxon_model_has_a_title_and_a_description() -> None:
    models = {name: d for name, d in load_schema()["$defs"].items() if "x-plx-model" in d}
    assert len(models) >= 90
    lacking = [name for name, d in models.items() if not d.get("title") or not d.get("description")]
    assert lacking == []


def test_no_title_or_description_ends_with_a_colon() -> None:
    """cli.js `assertSchemaNoSmartQuotes`, on the file as SchemaStore would store it."""
    pattern = re.compile(r'"(?:description|title)": ".*?:"')
    lines = [line.strip() for line in export_schema("draft-07").splitlines() if pattern.search(line)]
    assert lines == []


def test_the_file_is_strict_json_without_bom() -> None:
    raw = (SCHEMA_DIR / SCHEMASTORE_NAME).read_bytes()
    assert not raw.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"))

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
        return dict(pairs)

    json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)


def test_the_registered_unknown_keywords_are_exactly_the_ones_used() -> None:
    entries = json.loads(ENTRIES.read_text(encoding="utf-8"))
    assert entries["ajvNotStrictMode"] == [SCHEMASTORE_NAME]
    registered = entries["options"][SCHEMASTORE_NAME]["unknownKeywords"]
    assert registered == sorted(registered)
    assert set(registered) == custom_keywords(exported("draft-07"))


def test_ajv_compiles_it_as_schemastore_does_and_strict_mode_finds_only_tolerated_issues() -> None:
    result = ajv_result()
    assert result["compiled"], result["error"]
    rules = {finding["rule"] for finding in result["strict"]}
    assert rules <= TOLERATED_STRICT, [f["message"] for f in result["strict"] if f["rule"] not in TOLERATED_STRICT]


# --------------------------------------------------------------------------- the catalog entry
def test_catalog_entry_follows_schemastore_guidelines() -> None:
    entry = json.loads(CATALOG_ENTRY.read_text(encoding="utf-8"))
    assert set(entry) <= {"name", "description", "fileMatch", "url", "versions"}
    assert {"name", "description", "url"} <= set(entry)
    for key in ("name", "description"):
        value = entry[key]
        assert isinstance(value, str) and value
        assert not re.search(r"[,. \t-]$", value), f"{key} ends with one of `,. -`"
        assert "schema" not in value.lower(), f"{key} mentions `schema`"
        assert "\n" not in value
    globs = entry["fileMatch"]
    assert len(globs) == len(set(globs))
    assert all(glob.startswith("**/") for glob in globs if "/" in glob)
    for name in ("polyaxonfile.yaml", "polyaxonfile.yml", "polyaxonfile-train.yaml", "train.plx.yaml"):
        assert any(fnmatch.fnmatch(name, glob) for glob in globs), name
    for name in ("docker-compose.yaml", ".github/workflows/ci.yml"):
        assert not any(fnmatch.fnmatch(name, glob) for glob in globs), name


# --------------------------------------------------------------------------- the test layout
def test_the_test_folders_follow_schemastores_layout() -> None:
    for root in (POSITIVE_DIR, NEGATIVE_DIR):
        for folder in root.iterdir():
            assert folder.is_dir(), f"{folder}: only folders under {root.name}/"
            assert (SCHEMA_DIR / f"{folder.name}.json").is_file(), f"{folder}: no schema of that name"
            for path in folder.iterdir():
                assert path.is_file(), f"{path}: only files in a test folder"
                assert path.suffix in (".json", ".yaml", ".yml", ".toml"), path
                raw = path.read_bytes()
                assert not raw.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")), f"{path}: BOM"
                expected = "# yaml-language-server: $schema=" + os.path.relpath(
                    SCHEMA_DIR / f"{folder.name}.json", folder
                ).replace("\\", "/")
                assert raw.decode("utf-8").splitlines()[0] == expected, path
    assert len(examples(POSITIVE_DIR)) >= 10
    assert len(examples(NEGATIVE_DIR)) >= len(sections())


def test_ajv_accepts_every_positive_and_rejects_every_negative() -> None:
    verdicts = ajv_result()["verdicts"]
    wrong = [
        f"{name}: {'valid' if v['valid'] else 'invalid'} {v['errors']}"
        for name, v in verdicts.items()
        if v["valid"] != name.startswith("test/")
    ]
    assert len(verdicts) == len(examples(POSITIVE_DIR)) + len(examples(NEGATIVE_DIR))
    assert wrong == []


# --------------------------------------------------------------------------- the examples themselves
def _top_level_keys(data: Any) -> set[str]:
    """Top-level keys of a polyaxonfile and of the operations of its inline DAGs."""
    if not isinstance(data, dict):
        return set()
    keys = set(data)
    runs = [data.get("run"), (data.get("component") or {}).get("run")]
    for run in runs:
        if isinstance(run, dict) and run.get("kind") == "dag":
            for operation in run.get("operations") or ():
                keys |= set(operation)
    return keys


def test_every_section_appears_in_a_positive_example() -> None:
    seen: set[str] = set()
    for path in examples(POSITIVE_DIR):
        seen |= _top_level_keys(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert [name for name in sections() if name not in seen] == []


def test_every_positive_example_has_no_error() -> None:
    found = {
        path.name: [f"{d.range.start.line + 1}: {d.message} [{d.code}]" for d in errors]
        for path in examples(POSITIVE_DIR)
        if (errors := error_diagnostics(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_every_section_is_the_one_violation_of_a_negative_example() -> None:
    """Each negative names its section in its second line; plx-validate finds one error, in it."""
    covered: set[str] = set()
    problems = []
    for path in examples(NEGATIVE_DIR):
        text = path.read_text(encoding="utf-8")
        match = HEADER.match(text.splitlines()[1])
        assert match, f"{path.name}: second line must be `# One violation, in `SECTION`: why.`"
        section = match.group(1)
        covered.add(section)
        errors = error_diagnostics(text)
        if len(errors) != 1:
            problems.append(f"{path.name}: {len(errors)} errors {[d.message for d in errors]}")
            continue
        node = yaml.compose(text)
        spans = [(key.start_mark.line, value.end_mark.line) for key, value in node.value if key.value == section]
        line = errors[0].range.start.line
        if not any(start <= line <= end for start, end in spans):
            problems.append(f"{path.name}: the error (line {line + 1}) is not in `{section}`")
    assert problems == []
    assert [name for name in sections() if name not in covered] == []


def test_polyaxon_agrees_with_every_example() -> None:
    if os.environ.get("PLX_SKIP_ORACLE") == "1":
        pytest.skip("PLX_SKIP_ORACLE=1: oracle tests skipped")
    python = oracle_python()
    if python is None or not python.exists():
        pytest.fail(ORACLE_HELP)
    items = [
        (f"{folder.name}/{path.name}", path.read_text(encoding="utf-8"))
        for folder in (POSITIVE_DIR, NEGATIVE_DIR)
        for path in examples(folder)
    ]
    verdicts = run_oracle(items, python)
    wrong = {
        name: verdict.get("error") for name, verdict in verdicts.items() if verdict["valid"] != name.startswith("test/")
    }
    assert wrong == {}

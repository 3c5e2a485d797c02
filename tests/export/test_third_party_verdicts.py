"""Third-party validators agree with plx-validate on the exported schemas (bar a listed few files).

check-jsonschema reads the YAML files itself (YAML 1.2, ruamel); ajv gets each file as JSON,
converted by our own loader (YAML 1.1, like Polyaxon). "Agree" means: the tool says invalid iff
plx-validate reports at least one error. Files where a verdict must differ are listed with the
reason in verdict_differences.json.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _export_support import (
    DIST_FILES,
    NODE_DIR,
    check_jsonschema_command,
    compare_verdicts,
    corpus,
    file_id,
    jsonable,
    load_expected_differences,
    node_tools_required,
)

from plxinit.export import export_schema
from plxinit.yamldoc import parse_document

DRAFTS = ("2020-12", "draft-07")


@pytest.fixture(scope="module")
def schema_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Freshly exported schemas (the committed copies are checked for staleness elsewhere)."""
    folder = tmp_path_factory.mktemp("export")
    files = {}
    for draft in DRAFTS:
        path = folder / DIST_FILES[draft].name
        path.write_text(export_schema(draft), encoding="utf-8")
        files[draft] = path
    return files


# --------------------------------------------------------------------------- check-jsonschema
def _check_jsonschema_verdicts(schema: Path, files: tuple[Path, ...]) -> dict[Path, bool]:
    """One check-jsonschema run over all files; True = invalid (schema errors or unreadable)."""
    command = [*check_jsonschema_command(), "--schemafile", str(schema), "-o", "json", *map(str, files)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"check-jsonschema gave no JSON report (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    bad = {Path(e["filename"]) for e in report.get("errors", [])}
    bad |= {Path(e["filename"]) for e in report.get("parse_errors", [])}
    assert (proc.returncode == 0) == (not bad), proc.stderr[-3000:]
    return {path: path in bad for path in files}


@pytest.mark.parametrize("draft", DRAFTS)
def test_check_jsonschema_matches_plx_validate(draft: str, schema_files: dict[str, Path]) -> None:
    files = corpus()
    verdicts = _check_jsonschema_verdicts(schema_files[draft], files)
    expected = load_expected_differences()["check-jsonschema"]
    problems = compare_verdicts("check-jsonschema", verdicts, expected)
    assert not problems, "\n".join(problems)


def test_check_jsonschema_accepts_the_committed_dist_files() -> None:
    """The metaschema check: check-jsonschema --check-metaschema on both committed exports."""
    command = [*check_jsonschema_command(), "--check-metaschema", *(str(p) for p in DIST_FILES.values())]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- ajv
def _documents() -> tuple[dict[str, Any], dict[Path, str]]:
    """JSON documents by file id, and the files left out (unreadable YAML: no value to check)."""
    documents: dict[str, Any] = {}
    skipped: dict[Path, str] = {}
    for path in corpus():
        parsed = parse_document(path.read_text(encoding="utf-8", errors="replace"))
        if parsed.root is None:
            skipped[path] = "unreadable YAML: plx-validate reports it, there is no value to give ajv"
            continue
        documents[file_id(path)] = jsonable(parsed.root.value)
    return documents, skipped


@pytest.mark.parametrize("draft", DRAFTS)
def test_ajv_matches_plx_validate(draft: str, schema_files: dict[str, Path]) -> None:
    node_tools_required()
    documents, skipped = _documents()
    proc = subprocess.run(
        ["node", str(NODE_DIR / "ajv-verdicts.js"), str(schema_files[draft])],
        input=json.dumps(documents, allow_nan=False),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    verdicts = {path: not results[file_id(path)]["valid"] for path in corpus() if path not in skipped}
    expected = load_expected_differences()["ajv"]
    problems = compare_verdicts(f"ajv ({draft})", verdicts, expected, skipped)
    named = {problem.split(":", 1)[0] for problem in problems}
    details = [f"  {fid}: {results[fid]['errors']}" for fid in sorted(named) if fid in results]
    assert not problems, "\n".join(problems) + "\najv errors:\n" + "\n".join(details)

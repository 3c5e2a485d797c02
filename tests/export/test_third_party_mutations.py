"""Third-party validators on the whole-file mutations: the exports carry the schema's verdicts.

The fixture tests (test_third_party_verdicts.py) list every file where a tool must differ. Here
the files are hundreds of generated whole-file cases (tests/differential/wholefile.py: one
mutation anywhere outside `init` of a seed file, and section-by-section files), too many to list
one by one, so each difference must fall into a class we can name:

1. The exports are faithful: ajv (both drafts) and check-jsonschema (both drafts, on the same
   documents as JSON) give exactly the verdict of python-jsonschema on the canonical schema.
   No exception.
2. That schema verdict differs from plx-validate's only for a known reason:
   * `rule pass`: plx-validate's errors all come from the checks JSON Schema cannot say
     (server/plxinit/rules.py: range order, pchoice sums, IO values, the DAG);
   * `warning`: the schema rejects a value that plx-validate only warns about (Kubernetes value
     types; Polyaxon checks only key names there), or a duplicate key plx-validate warns about;
   * `JSON`: the document changes when it becomes JSON (a YAML date, a float such as 6006.0 that
     JSON calls an integer, an integer key, bytes, a set, a NaN).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from _export_support import DIST_FILES, NODE_DIR, REPO_ROOT, check_jsonschema_command, jsonable, node_tools_required

from plxinit import rules
from plxinit.diagnostics import Severity
from plxinit.schema import load_schema
from plxinit.validate import validate_document, validate_text
from plxinit.yamldoc import MappingNode, ParsedDocument, parse_document

sys.path.insert(0, str(REPO_ROOT / "tests" / "differential"))
from wholefile import generate_wholefile_cases

COUNT = 600
SEED = 20261203  # not the differential's seed: other cases than the ones it already compares


def _lossy_in_json(value: Any) -> bool:
    """Whether `value` changes meaning when written as JSON and read back (by ajv or anyone)."""
    if isinstance(value, dict):
        return any(not isinstance(k, str) or _lossy_in_json(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_lossy_in_json(item) for item in value)
    if isinstance(value, float):
        return value.is_integer() or value != value or value in (float("inf"), float("-inf"))
    return isinstance(value, (datetime.date, bytes, set))


class _Case:
    """One generated file, read by us, with the verdicts the comparison needs."""

    def __init__(self, case_id: str, text: str, parsed: ParsedDocument) -> None:
        assert parsed.root is not None
        self.id = case_id
        self.text = text
        self.value = parsed.root.value
        self.document = json.loads(json.dumps(jsonable(self.value), allow_nan=False))
        diagnostics = validate_document(parsed)  # the reading already made, not a second one
        self.ours = any(d.severity is Severity.ERROR for d in diagnostics)
        self.warned = any(d.severity is Severity.WARNING for d in diagnostics)


@pytest.fixture(scope="module")
def cases() -> list[_Case]:
    read = []
    for case in generate_wholefile_cases(COUNT, seed=SEED):
        parsed = parse_document(case.text)
        if isinstance(parsed.root, MappingNode) and not any(d.code == "yaml-syntax" for d in parsed.diagnostics):
            read.append(_Case(case.id, case.text, parsed))
    assert len(read) > COUNT * 0.9, f"only {len(read)} of {COUNT} generated files could be read"
    return read


@pytest.fixture(scope="module")
def schema_verdicts(cases: list[_Case]) -> dict[str, bool]:
    """True = invalid, by python-jsonschema on the canonical schema, for the JSON document."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema())
    return {case.id: not validator.is_valid(case.document) for case in cases}


def _mismatches(tool: str, theirs: dict[str, bool], expected: dict[str, bool]) -> list[str]:
    return [
        f"{tool}: {case_id}: says {'invalid' if theirs[case_id] else 'valid'}, the canonical schema the opposite"
        for case_id in sorted(expected)
        if theirs.get(case_id) != expected[case_id]
    ]


@pytest.mark.parametrize("draft", sorted(DIST_FILES))
def test_ajv_gives_the_schema_verdict_on_every_mutation(
    draft: str, cases: list[_Case], schema_verdicts: dict[str, bool]
) -> None:
    node_tools_required()
    proc = subprocess.run(
        ["node", str(NODE_DIR / "ajv-verdicts.js"), str(DIST_FILES[draft])],
        input=json.dumps({case.id: case.document for case in cases}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    theirs = {case_id: not result["valid"] for case_id, result in json.loads(proc.stdout).items()}
    problems = _mismatches(f"ajv ({draft})", theirs, schema_verdicts)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("draft", sorted(DIST_FILES))
def test_check_jsonschema_gives_the_schema_verdict_on_every_mutation(
    draft: str, cases: list[_Case], schema_verdicts: dict[str, bool], tmp_path: Path
) -> None:
    files = {}
    for case in cases:
        path = tmp_path / f"{case.id}.json"
        path.write_text(json.dumps(case.document), encoding="utf-8")
        files[str(path)] = case.id
    command = [*check_jsonschema_command(), "--schemafile", str(DIST_FILES[draft]), "-o", "json", *files]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(proc.stdout)
    assert not report.get("parse_errors"), report["parse_errors"][:3]
    bad = {files[error["filename"]] for error in report.get("errors", [])}
    theirs = {case_id: case_id in bad for case_id in files.values()}
    problems = _mismatches(f"check-jsonschema ({draft})", theirs, schema_verdicts)
    assert not problems, "\n".join(problems[:40])


def _typed_validator() -> Any:
    """plx-validate's own validator of the canonical schema: YAML's types, not JSON's."""
    from plxinit.validate import _validator

    return _validator()


def _reason(case: _Case, schema_says_invalid: bool) -> str | None:
    """Why the schema's verdict and plx-validate's differ, or None when no known reason fits."""
    if _lossy_in_json(case.value) and _typed_validator().is_valid(case.value) == schema_says_invalid:
        # the same schema, with YAML's types (6006.0 a float, a date no string), judges otherwise
        return "JSON"
    if case.ours and not schema_says_invalid:
        saved = rules.FINDERS
        rules.FINDERS = ()
        try:
            schema_only = any(d.severity is Severity.ERROR for d in validate_text(case.text))
        finally:
            rules.FINDERS = saved
        return "rule pass" if not schema_only else None
    if schema_says_invalid and not case.ours and case.warned:
        return "warning"
    return None


def test_schema_verdict_differs_from_plx_validate_only_for_known_reasons(
    cases: list[_Case], schema_verdicts: dict[str, bool]
) -> None:
    reasons: Counter[str] = Counter()
    unexplained = []
    for case in cases:
        if case.ours == schema_verdicts[case.id]:
            reasons["same verdict"] += 1
            continue
        reason = _reason(case, schema_verdicts[case.id])
        if reason is None:
            unexplained.append(f"{case.id}: plx-validate {'rejects' if case.ours else 'accepts'}, the schema does not")
        else:
            reasons[reason] += 1
    print(f"\n{len(cases)} generated files: " + ", ".join(f"{n} {r}" for r, n in reasons.most_common()))
    assert not unexplained, "\n".join(unexplained[:40])
    assert reasons["same verdict"] > len(cases) * 0.8, reasons

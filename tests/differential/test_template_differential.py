"""Templates (issue 11): generated cases against Polyaxon's resolve level.

Every case of templates_gen.py is resolved by the oracle (each run the file gives: the file,
a DAG node as its own operation, a matrix trial), and validated by us. Required: 100% error
agreement (we report an error exactly when Polyaxon rejects a run), every case where we only
warn is VALID for Polyaxon, and each case gets what its expression is labelled with.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import oracle_fixture, our_diagnostics, run_oracle
from templates_gen import TemplateCase, generate_template_cases

oracle = oracle_fixture
REPORT = Path(__file__).with_name("last-template-report.md")
TEMPLATE_CODES = ("template-name", "template-syntax", "template-unsafe")


def polyaxon_verdicts(cases: list[TemplateCase], python: Path) -> dict[str, list[dict[str, Any]]]:
    """For each case, the oracle's verdict on each run it gives (distinct texts resolved once)."""
    texts = {text for case in cases for text in case.oracle_texts}
    keyed = {f"x{index}": text for index, text in enumerate(sorted(texts))}
    by_text = {text: key for key, text in keyed.items()}
    verdicts = run_oracle(keyed.items(), python, timeout=1800, level="resolve")
    return {case.id: [verdicts[by_text[text]] for text in case.oracle_texts] for case in cases}


def what_we_say(diagnostics: list[Any]) -> str:
    if any(d.severity.value == "error" for d in diagnostics):
        return "error"
    if any(d.code in TEMPLATE_CODES for d in diagnostics):
        return "warning"
    return "ok"


def judge(case: TemplateCase, verdicts: list[dict[str, Any]]) -> list[str]:
    """What is wrong with one case, as lines for the report (empty when all holds)."""
    diagnostics = our_diagnostics(case.text)
    ours = what_we_say(diagnostics)
    rejected = [v for v in verdicts if not v["valid"]]
    problems = []
    if (ours == "error") != bool(rejected):
        problems.append(f"error agreement: we say {ours}, Polyaxon {'rejects' if rejected else 'accepts'}")
    if ours != case.expected:
        problems.append(f"labelled {case.expected}, we say {ours}")
    if ours == "error" and not any(d.code in TEMPLATE_CODES for d in diagnostics if d.severity.value == "error"):
        problems.append("our error is not a template diagnostic")
    if not problems:
        return []
    lines = [f"## {case.id}: {case.expression!r} at {case.place}, {case.shape}, {case.style}", ""]
    lines += [f"- {p}" for p in problems]
    lines += [f"- Polyaxon: {(v['error'] or 'VALID')[:300]}" for v in verdicts]
    lines += [
        f"- ours: {d.severity.value} {d.code} {d.range.start.line + 1}:{d.range.start.column + 1} {d.message}"
        for d in diagnostics
    ]
    return [*lines, "", "```yaml", case.text.rstrip("\n"), "```", ""]


def test_templates_against_polyaxon_resolve(oracle: Path) -> None:
    count = int(os.environ.get("PLX_TEMPLATE_CASES", "0"))
    cases = generate_template_cases(count)
    assert len(cases) >= 500
    start = time.perf_counter()
    verdicts = polyaxon_verdicts(cases, oracle)
    report: list[str] = []
    wrong = 0
    for case in cases:
        lines = judge(case, verdicts[case.id])
        wrong += bool(lines)
        report += lines
    errors = sum(1 for case in cases if not all(v["valid"] for v in verdicts[case.id]))
    warned_valid = sum(1 for case in cases if case.expected == "warning" and all(v["valid"] for v in verdicts[case.id]))
    warned = sum(1 for case in cases if case.expected == "warning")
    summary = (
        f"templates: {len(cases)} cases, {len(cases) - wrong} agree; Polyaxon rejects {errors}; "
        f"warning cases VALID for Polyaxon: {warned_valid}/{warned}; {time.perf_counter() - start:.1f} s"
    )
    REPORT.write_text("\n".join(["# Template differential (Polyaxon 2.18.0 resolve level)", "", summary, "", *report]))
    print("\n" + summary)
    if wrong:
        pytest.fail(f"{wrong} case(s) disagree (see {REPORT})", pytrace=False)

"""Whole-file differential test (issue 10): we report an error exactly when Polyaxon 2.18.0 does.

The goal is 100% (issue 10). Until the schema closes the classes listed in FINDINGS.md, the test
requires at least FLOOR percent (98.26% on 2,000 cases when it was set, with no file we reject
that Polyaxon accepts): it fails on any regression below it. PLX_WHOLEFILE_MIN_AGREEMENT=100
asks for the goal. The seeds Polyaxon or we reject as they are are dropped (and printed).

PLX_WHOLEFILE_CASES (default 2000) cases from `wholefile.py`: one mutation, outside `init`, of a
seed file (tests/differential/seeds/, the positive fixtures, ../shared/corpus/realworld when
present), and section-by-section files. One oracle subprocess for all of them. On disagreement
the test fails with a summary grouped by section, mutation kind and direction; the full report
goes to `tests/differential/last-wholefile-report.md`.

For a large measurement: `PLX_WHOLEFILE_CASES=20000 .venv/bin/pytest -q -s
tests/differential/test_wholefile_differential.py` or `python tests/differential/wholefile.py --count 20000`.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ORACLE_HELP, Comparison, Disagreement, compare, oracle_python, run_oracle, write_report
from wholefile import SEEDS_DIR, accepted_seeds, generate_wholefile_cases, load_seeds

REPORT = Path(__file__).with_name("last-wholefile-report.md")


def _error_section(error: str | None) -> str | None:
    """The section a pydantic error names (`build.V1Build.hubRef` -> `build`, `run.volumes` -> `run.volumes`)."""
    lines = (error or "").splitlines()
    if lines and "V1Volume.__init__()" in lines[0]:  # a kubernetes model: the volume's key is the error
        return "run.volumes"
    if len(lines) < 2 or "validation error" not in lines[0]:
        return None
    steps = [s for s in lines[1].split(".") if s and not s.isdigit() and s[:2] not in ("V1", "Ve")]
    if not steps:
        return None
    return ".".join(steps[:2]) if steps[0] == "run" and len(steps) > 1 else steps[0]


def _class_of(item: Disagreement) -> tuple[str, str, str]:
    """(section, mutation kind, we-accept/we-reject): one disagreement class.

    A section case that set several sections is classed by the section Polyaxon's error names.
    """
    section = item.case.placement
    if "+" in section and item.kind == "we-accept":
        section = _error_section(item.polyaxon_error) or section
    return section, item.case.tags[0] if item.case.tags else "?", item.kind


def group(result: Comparison) -> dict[tuple[str, str, str], list[Disagreement]]:
    classes: dict[tuple[str, str, str], list[Disagreement]] = defaultdict(list)
    for item in result.disagreements:
        classes[_class_of(item)].append(item)
    return dict(sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _first_error(item: Disagreement) -> str:
    if item.kind == "we-reject":
        errors = [d for d in item.ours if d.severity.value == "error"]
        return f"ours: {errors[0].code}: {errors[0].message}" if errors else "ours: ?"
    text = (item.polyaxon_error or "").strip().splitlines()
    return "polyaxon: " + " / ".join(line.strip() for line in text[:3])


def grouped_summary(result: Comparison, limit: int = 40) -> str:
    lines = []
    for (section, kind, direction), items in list(group(result).items())[:limit]:
        example = items[0]
        path = example.case.tags[1] if len(example.case.tags) > 1 else ""
        lines.append(
            f"{len(items):5d}  {direction:9s} {section} / {kind}  e.g. {example.case.id} {path}: "
            f"{_first_error(example)[:160]}"
        )
    return "\n".join(lines)


def write_wholefile_report(
    result: Comparison, path: Path, elapsed: float | None = None, dropped: list[str] | None = None
) -> None:
    """The harness report, headed by the disagreement classes with one example each."""
    write_report(result, path, elapsed)
    body = path.read_text(encoding="utf-8")
    by_mutation = Counter(case_tag for case_tag in (d.case.tags[0] for d in result.disagreements))
    head = [
        "# Whole-file differential report (Polyaxon 2.18.0 vs plxinit)",
        "",
        result.summary(),
        "",
        "## Disagreement classes (count, direction, section / mutation kind, first example)",
        "",
        "```",
        grouped_summary(result, limit=200) or "(none)",
        "```",
        "",
        f"By mutation kind: {dict(by_mutation.most_common())}",
        "",
    ]
    if dropped:
        head += ["Seeds left out (rejected as they are):", "", *[f"- {line}" for line in dropped], ""]
    path.write_text("\n".join(head) + body.split("\n", 1)[1], encoding="utf-8")


@pytest.fixture(scope="module")
def oracle() -> Path:
    if os.environ.get("PLX_SKIP_ORACLE") == "1":
        pytest.skip("PLX_SKIP_ORACLE=1: oracle tests skipped")
    python = oracle_python()
    if python is None or not python.exists():
        pytest.skip(ORACLE_HELP if python is None else f"PLX_ORACLE_PYTHON={python} does not exist.\n{ORACLE_HELP}")
    return python


def test_seeds_are_valid_for_polyaxon_and_for_us(oracle: Path) -> None:
    """Every seed in tests/differential/seeds is a valid polyaxonfile for both: mutations start from valid."""
    seeds = sorted(SEEDS_DIR.glob("*.yaml"))
    assert len(seeds) >= 10
    texts = {path.name: path.read_text(encoding="utf-8") for path in seeds}
    verdicts = run_oracle(texts.items(), oracle)
    from harness import has_error, our_diagnostics

    wrong = [f"{name}: polyaxon {verdicts[name]['error']}" for name in texts if not verdicts[name]["valid"]]
    wrong += [f"{name}: ours has an error" for name, text in texts.items() if has_error(our_diagnostics(text))]
    assert not wrong, "\n".join(wrong)


def test_generation_is_deterministic_and_covers_sections() -> None:
    first = generate_wholefile_cases(300)
    again = generate_wholefile_cases(300)
    assert [c.text for c in first] == [c.text for c in again]
    assert len(load_seeds()) >= 10
    kinds = Counter(c.tags[0] for c in first)
    for kind in ("typo-letter", "typo-case", "delete", "unknown-key", "template", "section"):
        assert kinds[kind] > 0, kinds
    sections = {c.placement.split(".")[0] for c in first}
    assert {"run", "inputs", "matrix"} <= sections | {p.split("+")[0] for p in sections}
    assert all("init" not in c.tags[1].split(".") for c in first if c.id.startswith("m"))


#: The agreement (percent) the whole-file differential must keep while issue 10 is open; raise it
#: as the schema closes the open classes (tests/differential/FINDINGS.md).
FLOOR = 97.5


def test_wholefile_cases(oracle: Path) -> None:
    count = int(os.environ.get("PLX_WHOLEFILE_CASES", "2000"))
    start = time.perf_counter()
    seeds, dropped = accepted_seeds(oracle)
    print(f"\n{len(seeds)} seeds; dropped {len(dropped)}:\n  " + "\n  ".join(dropped))
    cases = generate_wholefile_cases(count, seeds=seeds)
    verdicts = run_oracle(((case.id, case.text) for case in cases), oracle, timeout=3600)
    result = compare(cases, verdicts)
    elapsed = time.perf_counter() - start
    write_wholefile_report(result, REPORT, elapsed, dropped)
    print(f"\n{result.summary()} in {elapsed:.1f} s; report: {REPORT}")
    required = float(os.environ.get("PLX_WHOLEFILE_MIN_AGREEMENT", str(FLOOR)))
    if result.disagreements and result.agreement < required:
        pytest.fail(
            f"{len(result.disagreements)} disagreement(s) with Polyaxon (full report: {REPORT}); by class:\n"
            f"{grouped_summary(result)}",
            pytrace=False,
        )

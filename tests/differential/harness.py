"""Run Polyaxon (the oracle) and our validator on generated cases, compare, report.

The oracle runs once, in a subprocess of the oracle virtualenv, for all cases
(`tests/oracle/polyaxon_oracle.py`); our validator runs in-process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from generate import Case

REPO = Path(__file__).resolve().parents[2]
ORACLE_SCRIPT = REPO / "tests" / "oracle" / "polyaxon_oracle.py"
ORACLE_HELP = (
    "The differential test needs a Python with polyaxon==2.18.0 (the oracle). Either set "
    "PLX_ORACLE_PYTHON=/path/to/python, or create it at the repo root (`make setup` does this):\n"
    "    python3 -m venv .venv-oracle && .venv-oracle/bin/pip install -r tests/oracle/requirements.txt\n"
    "Set PLX_SKIP_ORACLE=1 to skip the oracle tests instead."
)


def oracle_python() -> Path | None:
    """The oracle interpreter: $PLX_ORACLE_PYTHON, else <repo>/.venv-oracle/bin/python, else None."""
    configured = os.environ.get("PLX_ORACLE_PYTHON")
    if configured:
        return Path(configured)
    local = REPO / ".venv-oracle" / "bin" / "python"
    return local if local.exists() else None


def require_oracle() -> Path:
    """The oracle interpreter; FAILS the calling test with instructions when there is none.

    A skip would let a machine without Polyaxon pass the differential tests unnoticed;
    PLX_SKIP_ORACLE=1 is the explicit way to skip them.
    """
    if os.environ.get("PLX_SKIP_ORACLE") == "1":
        pytest.skip("PLX_SKIP_ORACLE=1: oracle tests skipped")
    python = oracle_python()
    if python is None:
        pytest.fail(ORACLE_HELP, pytrace=False)
    if not python.exists():
        pytest.fail(f"PLX_ORACLE_PYTHON={python} does not exist.\n{ORACLE_HELP}", pytrace=False)
    return python


@pytest.fixture(scope="module", name="oracle")
def oracle_fixture() -> Path:
    """`oracle`, for each test module that imports this function (test_differential.py,
    test_wholefile_differential.py). Defined here, not in a conftest.py: a second module named
    conftest would shadow tests/conftest.py, which other tests import from."""
    return require_oracle()


def run_oracle(
    items: Iterable[tuple[str, str] | dict[str, Any]], python: Path, timeout: float = 900, level: str | None = None
) -> dict[str, dict[str, Any]]:
    """Polyaxon's verdict {id: {"valid", "error", "level"}} for (id, text) pairs, in one subprocess.

    `level` ("check" or "resolve", see tests/oracle/polyaxon_oracle.py) asks every item for more
    than the default compose level; an item may also be a dict with its own "level" and "params".
    """
    payload = json.dumps(
        [
            item if isinstance(item, dict) else {"id": item[0], "text": item[1], **({"level": level} if level else {})}
            for item in items
        ]
    )
    proc = subprocess.run(
        [str(python), str(ORACLE_SCRIPT)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"oracle failed (rc {proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def our_diagnostics(text: str) -> list[Any]:
    """Our diagnostics for a text (imported lazily so collection stays cheap)."""
    from plxinit.validate import validate_text

    return validate_text(text)


def has_error(diagnostics: list[Any]) -> bool:
    return any(d.severity.value == "error" for d in diagnostics)


@dataclass
class Disagreement:
    case: Case
    polyaxon_valid: bool
    polyaxon_error: str | None
    ours: list[Any]
    level: str = "?"
    allowed: str | None = None

    @property
    def kind(self) -> str:
        """`we-reject` (false positive) or `we-accept` (false negative)."""
        return "we-accept" if not self.polyaxon_valid else "we-reject"


@dataclass
class Comparison:
    """Confusion counts and disagreements of one run."""

    total: int = 0
    skipped: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    disagreements: list[Disagreement] = field(default_factory=list)
    not_compared: list[tuple[Case, bool, list[Any]]] = field(default_factory=list)
    settled_at_resolve: int = 0  # both-reject cases Polyaxon rejects only at its check or resolve level

    @property
    def compared(self) -> int:
        return self.total - self.skipped

    @property
    def agreement(self) -> float:
        agree = self.counts["both-reject"] + self.counts["both-accept"]
        return 100.0 * agree / self.compared if self.compared else 100.0

    def unexplained(self) -> list[Disagreement]:
        return [d for d in self.disagreements if d.allowed is None]

    def summary(self) -> str:
        c = self.counts
        return (
            f"differential: {self.agreement:.2f}% agreement on {self.compared} cases "
            f"(both reject {c['both-reject']}, both accept {c['both-accept']}, "
            f"we reject only {c['we-reject']}, we accept only {c['we-accept']}; "
            f"allowlisted {len(self.disagreements) - len(self.unexplained())}, "
            f"rejected by Polyaxon at check/resolve {self.settled_at_resolve}, "
            f"not compared {self.skipped})"
        )


def compare(
    cases: list[Case], verdicts: dict[str, dict[str, Any]], allowlist: dict[str, Any] | None = None
) -> Comparison:
    """Compare Polyaxon's verdicts with ours; `allowlist` maps a reason to a predicate(Disagreement)."""
    result = Comparison(total=len(cases))
    for case in cases:
        ours = our_diagnostics(case.text)
        verdict = verdicts[case.id]
        if not case.compare:
            result.skipped += 1
            result.not_compared.append((case, verdict["valid"], ours))
            continue
        polyaxon_rejects, we_reject = not verdict["valid"], has_error(ours)
        if polyaxon_rejects == we_reject:
            result.counts["both-reject" if we_reject else "both-accept"] += 1
            continue
        result.counts["we-reject" if we_reject else "we-accept"] += 1
        item = Disagreement(case, verdict["valid"], verdict["error"], ours, verdict.get("level", "?"))
        for reason, predicate in (allowlist or {}).items():
            if predicate(item):
                item.allowed = reason
                break
        result.disagreements.append(item)
    return result


#: A resolve-level failure of the oracle's stub agent, not of the file, unless a name it misses
#: is a template (Polyaxon looks connections up before rendering: no agent has that one).
_STUB_LIMIT = "not found in the agent.connections catalog"


def _stub_limit(error: str | None) -> bool:
    return error is not None and _STUB_LIMIT in error and "{{" not in error.split(_STUB_LIMIT, 1)[1]


#: The connection names a text gives (`connection: x`, `connections: [x, y]`), for the stub agent.
_CONNECTION = re.compile(r"""connection['"]?\s*:\s*['"]?([A-Za-z0-9][\w.-]*)""")
_CONNECTIONS = re.compile(r"""connections['"]?\s*:\s*\[([^\]]*)\]""")
_CONNECTIONS_BLOCK = re.compile(r"""connections['"]?\s*:[ \t]*\n((?:[ \t]*-[ \t]*[^\n]+\n?)+)""")


def connection_names(text: str) -> list[str]:
    names = set(_CONNECTION.findall(text))
    for listed in _CONNECTIONS.findall(text):
        names.update(name.strip(" '\"") for name in listed.split(",") if name.strip(" '\""))
    for block in _CONNECTIONS_BLOCK.findall(text):
        names.update(line.strip().lstrip("-").strip(" '\"") for line in block.splitlines() if line.strip())
    return sorted(names)


def trial_text(text: str) -> str | None:
    """The run Polyaxon compiles for one trial of a matrix file: the file without its `matrix`, each
    matrix param given the first point of its space as a param (an operation over the component,
    for a component file); None when the text is no matrix file or a point cannot be read."""
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    matrix = document.get("matrix") if isinstance(document, dict) else None
    point = _first_point(matrix) if isinstance(matrix, dict) else None
    if point is None:
        return None
    rest = {key: value for key, value in document.items() if key != "matrix"}
    given = {name: {"value": value} for name, value in point.items()}
    if rest.get("kind") == "operation":
        params = rest.get("params") if isinstance(rest.get("params"), dict) else {}
        trial = {**rest, "params": {**params, **given}}
    else:
        component = {key: value for key, value in rest.items() if key not in ("kind", "version")}
        trial = {"kind": "operation", "params": given, "component": {"kind": "component", **component}}
    try:
        return str(yaml.safe_dump(trial, sort_keys=False))
    except yaml.YAMLError:
        return None


def _first_point(matrix: dict[str, Any]) -> dict[str, Any] | None:
    """{name: value} of a matrix's first trial, as far as it can be read without sampling."""
    if matrix.get("kind") == "mapping":
        values = matrix.get("values")
        first = values[0] if isinstance(values, list) and values else None
        return dict(first) if isinstance(first, dict) else None
    params = matrix.get("params")
    if not isinstance(params, dict):
        return None
    point = {}
    for name, space in params.items():
        value = space.get("value") if isinstance(space, dict) else None
        if isinstance(value, list) and value:
            first = value[0]
            value = first[0] if space.get("kind") == "pchoice" and isinstance(first, list) and first else first
        elif isinstance(value, dict):
            value = next((value[key] for key in ("start", "low", "loc", "mu") if key in value), None)
        elif isinstance(value, str) and ":" in value:
            value = value.split(":", 1)[0].strip()
        if value is None or isinstance(value, (dict, list)):
            return None
        point[str(name)] = value
    return point


def settle_at_resolve(result: Comparison, python: Path) -> int:
    """Ask Polyaxon's check and resolve levels about the files only we reject.

    The generated cases are judged at the compose level, where Polyaxon neither checks a file's
    own params against its inputs (`polyaxon check` does) nor renders a template (the agent's
    resolve does). Our errors follow Polyaxon's verdict at any level (issue 11), so a file we
    reject is Polyaxon's verdict too if its check or resolve level rejects it (other than for
    the stub agent's limits) or, for a matrix file, rejects one of its trials (`trial_text`).
    Those become agreements (both reject); the others stay disagreements. Returns how many
    were settled.
    """
    pending = [item for item in result.disagreements if item.kind == "we-reject" and item.allowed is None]
    if not pending:
        return 0
    items = []
    for item in pending:
        connections = connection_names(item.case.text)
        items.append({"id": item.case.id, "text": item.case.text, "level": "resolve", "connections": connections})
        trial = trial_text(item.case.text)  # a matrix file's `run` is rendered per trial
        if trial is not None:
            items.append({"id": f"{item.case.id}#trial", "text": trial, "level": "resolve", "connections": connections})
    verdicts = run_oracle(items, python)

    def rejected(key: str) -> bool:
        verdict = verdicts.get(key)
        return verdict is not None and not verdict["valid"] and not _stub_limit(verdict["error"])

    settled = {item.case.id for item in pending if rejected(item.case.id) or rejected(f"{item.case.id}#trial")}
    result.disagreements = [item for item in result.disagreements if item.case.id not in settled]
    result.counts["we-reject"] -= len(settled)
    result.counts["both-reject"] += len(settled)
    result.settled_at_resolve += len(settled)
    return len(settled)


def _fmt_diagnostics(diagnostics: list[Any]) -> str:
    if not diagnostics:
        return "(none)"
    return "\n".join(
        f"{d.severity.value} {d.code} @{d.range.start.line + 1}:{d.range.start.column + 1}: {d.message}"
        for d in diagnostics
    )


def write_report(result: Comparison, path: Path, elapsed: float | None = None) -> None:
    """A markdown report: summary, per-placement counts, every disagreement in full."""
    lines = ["# Differential test report (Polyaxon 2.18.0 vs plxinit)", "", result.summary(), ""]
    if elapsed is not None:
        lines += [f"Wall time (oracle + ours): {elapsed:.1f} s", ""]
    by_kind = Counter(d.kind for d in result.disagreements)
    lines += ["| outcome | count |", "|---|---|"]
    for key in ("both-reject", "both-accept", "we-reject", "we-accept"):
        lines.append(f"| {key} | {result.counts[key]} |")
    lines += ["", f"Disagreements: {len(result.disagreements)} ({dict(by_kind)})", ""]
    for item in result.disagreements:
        case = item.case
        status = f" — allowlisted: {item.allowed}" if item.allowed else ""
        lines += [
            f"## {case.id}: {item.kind} — {case.placement}{status}",
            "",
            f"Tags: {', '.join(case.tags) or '-'}",
            "",
            "```yaml",
            case.text.rstrip("\n"),
            "```",
            "",
            f"Polyaxon: {'VALID' if item.polyaxon_valid else 'INVALID'} (level: {item.level})",
            "",
            "```",
            (item.polyaxon_error or "").strip()[:3000],
            "```",
            "",
            "Ours:",
            "",
            "```",
            _fmt_diagnostics(item.ours),
            "```",
            "",
        ]
    if result.not_compared:
        lines += [
            "## Not compared: patches Polyaxon keeps untyped at check time",
            "",
            "Polyaxon never validates `build.runPatch` at check time (facts §7, §13.7), checks a",
            "preset's `runPatch` only once it is layered on a base (§10.2), a referenced component's",
            "`runPatch` once the reference is fetched, and a nested DAG's nodes when that DAG runs",
            "(FINDINGS N1-N4); we validate all of them on purpose.",
            "",
        ]
        counts = Counter(
            (
                case.placement.split("[")[0],
                "polyaxon VALID" if valid else "polyaxon INVALID",
                "we reject" if has_error(ours) else "we accept",
            )
            for case, valid, ours in result.not_compared
        )
        lines += [f"- {where}: {a}, {b}: {n}" for (where, a, b), n in sorted(counts.items())]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:  # pragma: no cover - a debugging aid
    """Run the comparison outside pytest: `python tests/differential/harness.py [COUNT]`."""
    import time

    from generate import generate_cases

    python = oracle_python()
    if python is None:
        sys.exit(ORACLE_HELP)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    start = time.perf_counter()
    cases = generate_cases(count)
    verdicts = run_oracle(((c.id, c.text) for c in cases), python)
    result = compare(cases, verdicts)
    write_report(result, Path(__file__).with_name("last-report.md"), time.perf_counter() - start)
    print(result.summary())


if __name__ == "__main__":  # pragma: no cover
    main()

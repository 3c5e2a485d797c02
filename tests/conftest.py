"""Shared test helpers: where the repo, fixtures and the external real-world corpus are.

The corpus (40 real polyaxonfiles and Polyaxon's verdict on each) is external data: it lives in
`../shared/corpus/realworld` beside the clone (the CI layout) or under `$PLX_SHARED_DIR`. A
user's clone does not have it, so the tests that need it are skipped, with the reason printed;
CI sets `PLX_REQUIRE_CORPUS=1` (see `.ci/run`), which turns that skip into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
REQUIRE_CORPUS_ENV = "PLX_REQUIRE_CORPUS"


def shared_dir() -> Path:
    """`../shared` beside the clone (CI layout), or $PLX_SHARED_DIR."""
    override = os.environ.get("PLX_SHARED_DIR")
    return Path(override) if override else REPO.parent / "shared"


def realworld_dir() -> Path:
    """Where the real-world corpus is looked for (it may not exist)."""
    return shared_dir() / "corpus" / "realworld"


def corpus_is_present() -> bool:
    """The corpus counts as present when its verdict table is there."""
    return (realworld_dir() / "RESULTS.tsv").is_file()


def _absent_reason() -> str:
    return (
        f"real-world corpus not found at {realworld_dir()} (external data; "
        "set PLX_SHARED_DIR to the folder that holds corpus/realworld)"
    )


def require_corpus() -> Path:
    """The corpus folder; when it is absent, skip the calling test, or fail it when CI requires the corpus."""
    if corpus_is_present():
        return realworld_dir()
    if os.environ.get(REQUIRE_CORPUS_ENV) == "1":
        pytest.fail(f"{_absent_reason()}; {REQUIRE_CORPUS_ENV}=1 requires it")
    pytest.skip(_absent_reason())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say at the end (also under -q) when the corpus tests did not run, and why."""
    if not corpus_is_present():
        outcome = "failed" if os.environ.get(REQUIRE_CORPUS_ENV) == "1" else "were skipped"
        terminalreporter.write_line(f"note: {_absent_reason()}: the tests that need it {outcome}", yellow=True)

"""The 40 real-world polyaxonfiles of the shared corpus (facts §12).

Polyaxon 2.18.0's verdict per file is the `read` column of `RESULTS.tsv`: where it is
VALID we must not report any error-severity diagnostic; the legacy v0.6 file (#40,
INVALID) must get at least one error.

The corpus is looked up beside the repository (`<repo>/../shared/corpus/realworld`, the
layout CI uses) or under `$PLX_SHARED_DIR/corpus/realworld`.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from plxinit.validate import validate_text


def _corpus_dir() -> Path:
    shared = os.environ.get("PLX_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared"
    return base / "corpus" / "realworld"


CORPUS = _corpus_dir()


def _verdicts() -> list[tuple[str, str]]:
    results = CORPUS / "RESULTS.tsv"
    if not results.exists():
        return []
    with results.open(newline="") as handle:
        return [(row["file"], row["read"]) for row in csv.DictReader(handle, delimiter="\t")]


VERDICTS = _verdicts()


def test_corpus_is_present() -> None:
    assert CORPUS.is_dir(), f"corpus not found at {CORPUS} (set PLX_SHARED_DIR to the shared/ folder)"
    assert len(VERDICTS) == 40, f"expected 40 files in {CORPUS / 'RESULTS.tsv'}, found {len(VERDICTS)}"
    assert sum(verdict == "INVALID" for _, verdict in VERDICTS) == 1


@pytest.mark.parametrize(("name", "verdict"), VERDICTS, ids=[name.split("_", 1)[0] for name, _ in VERDICTS])
def test_realworld_file(name: str, verdict: str) -> None:
    diagnostics = validate_text((CORPUS / name).read_text(encoding="utf-8"))
    errors = [
        f"{d.range.start.line + 1}:{d.range.start.column + 1} {d.code}: {d.message}"
        for d in diagnostics
        if d.severity.value == "error"
    ]
    if verdict == "VALID":
        assert not errors, f"{name}: Polyaxon accepts this file, we report:\n" + "\n".join(errors)
    else:
        assert verdict == "INVALID", f"unexpected verdict {verdict!r} for {name}"
        assert errors, f"{name}: Polyaxon rejects this file (legacy v0.6), we report no error"

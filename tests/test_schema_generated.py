"""The generated part of the schema (schema/generated/polyaxon.json) is what Polyaxon's models give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))
from harness import REPO, oracle_python

GENERATOR = REPO / "schema" / "tools" / "gen_polyaxon.py"


def test_generated_polyaxon_defs_are_up_to_date() -> None:
    python = oracle_python()
    if python is None or not python.exists():
        pytest.skip("no oracle venv (.venv-oracle or PLX_ORACLE_PYTHON) to run gen_polyaxon.py --check")
    proc = subprocess.run([str(python), str(GENERATOR), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr

"""The oracle fixture shared by the differential tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ORACLE_HELP, oracle_python


@pytest.fixture(scope="module")
def oracle() -> Path:
    """The oracle interpreter, or a failure/skip explaining how to get one."""
    if os.environ.get("PLX_SKIP_ORACLE") == "1":
        pytest.skip("PLX_SKIP_ORACLE=1: oracle tests skipped")
    python = oracle_python()
    if python is None or not python.exists():
        pytest.fail(ORACLE_HELP if python is None else f"PLX_ORACLE_PYTHON={python} does not exist.\n{ORACLE_HELP}")
    return python

"""Shared test helpers: where the repo, fixtures and the shared corpus are."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def shared_dir() -> Path:
    """`../shared` beside the clone (CI layout), or $PLX_SHARED_DIR."""
    return Path(os.environ.get("PLX_SHARED_DIR", REPO.parent / "shared"))

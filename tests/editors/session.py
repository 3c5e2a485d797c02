"""Run a scripted editor session and read the results file it writes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def run_session(argv: list[str], env: dict[str, str], cwd: Path, out: Path) -> dict[str, Any]:
    """Run the editor (bounded in time, no stdin) and return the JSON it wrote to `out`."""
    completed = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert out.exists(), f"no results: rc={completed.returncode}\n{completed.stdout}\n{completed.stderr}"
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return results

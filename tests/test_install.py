"""`pip install .` into a fresh virtualenv (not editable) gives a working plx-validate."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO


@pytest.mark.skipif(os.environ.get("PLX_SKIP_INSTALL") == "1", reason="PLX_SKIP_INSTALL=1")
def test_pip_install_gives_a_working_cli_that_finds_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    pip = target / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(REPO)], check=True, timeout=600)
    negative = FIXTURES / "negative" / "c04-two-handlers-artifacts-git.yaml"
    result = subprocess.run(
        [str(target / "bin" / "plx-validate"), "-f", "json", str(negative)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert '"code": "one-handler"' in result.stdout
    # the schema came from the installed package, not from this source tree
    located = subprocess.run(
        [
            str(target / "bin" / "python"),
            "-c",
            "from plxinit.schema import schema_path; print(schema_path())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert str(target) in located.stdout
    assert sys.executable != str(target / "bin" / "python")

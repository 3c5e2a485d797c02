"""Emacs 28 + eglot (Debian: emacs-nox elpa-eglot) drives `plx-lsp` through tests/editors/emacs/eglot-session.el."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samples import ENTRY_KEYS, TWO_HANDLERS_AND_EMPTY_ENTRY

from .session import run_session

SESSION = Path(__file__).parent / "emacs" / "eglot-session.el"

POLYAXONFILE = TWO_HANDLERS_AND_EMPTY_ENTRY


def _has_eglot() -> bool:
    if shutil.which("emacs") is None:
        return False
    probe = subprocess.run(
        ["emacs", "--batch", "--eval", "(progn (package-initialize) (require 'eglot))"],
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return probe.returncode == 0


NO_EGLOT = "emacs with eglot is not installed (apt-get install -y emacs-nox elpa-eglot)"


@pytest.mark.skipif(not _has_eglot(), reason=NO_EGLOT)
def test_eglot_session(tmp_path: Path) -> None:
    document = tmp_path / "polyaxonfile.yaml"
    document.write_text(POLYAXONFILE, encoding="utf-8")
    out = tmp_path / "results.json"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "PLX_LSP_CMD": json.dumps([sys.executable, "-m", "plxinit"]),
        "PLX_EMACS_OUT": str(out),
        "PLX_EMACS_FILE": str(document),
    }
    results = run_session(["emacs", "--batch", "-l", str(SESSION)], env, tmp_path, out)
    assert "error" not in results, results
    assert results["connected"] is True
    messages = {(d["line"], d["message"]) for d in results["diagnostics"]}
    assert (
        6,
        "plx [one-handler]: Only one built-in handler per init entry: `artifacts` and `git` are both set. "
        "Split them into separate entries.",
    ) in messages
    assert results["hover"].startswith("**git**")
    assert results["completion"] == ENTRY_KEYS
    # flow style, after an edit: keys inside `{` of a handler, hover on a flow key
    assert results["flow_completion"] == ["revision", "flags"]
    assert results["flow_hover"].startswith("**url**")

"""A real third-party client: headless Neovim (0.7+) drives `plx-lsp` through tests/editors/nvim/init.lua."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from samples import ENTRY_KEYS, TWO_HANDLERS

from .session import run_session

INIT_LUA = Path(__file__).parent / "nvim" / "init.lua"

POLYAXONFILE = TWO_HANDLERS


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install -y neovim)")
def test_neovim_session(tmp_path: Path) -> None:
    document = tmp_path / "polyaxonfile.yaml"
    document.write_text(POLYAXONFILE, encoding="utf-8")
    out = tmp_path / "results.json"
    env = {
        **os.environ,
        "PLX_LSP_CMD": json.dumps([sys.executable, "-m", "plxinit"]),
        "PLX_NVIM_OUT": str(out),
        "PLX_NVIM_TIMEOUT": "20000",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    results = run_session(
        ["nvim", "--headless", "-u", str(INIT_LUA), "-i", "NONE", str(document), "-c", "lua PlxRun()"],
        env,
        tmp_path,
        out,
    )
    assert results["errors"] == []
    assert results["filetype"] == "yaml"
    assert results["attached"] is True
    assert results["encoding"] == "utf-16"

    [diagnostic] = results["diagnostics"]
    assert diagnostic["message"] == (
        "Only one built-in handler per init entry: `artifacts` and `git` are both set. "
        "Split them into separate entries."
    )
    assert diagnostic["code"] == "one-handler"
    assert diagnostic["source"] == "plx"
    assert (diagnostic["lnum"], diagnostic["col"], diagnostic["end_lnum"], diagnostic["end_col"]) == (6, 6, 6, 9)

    assert results["hover"].startswith("**git**")
    assert "Git repository" in results["hover"]

    assert results["cleared"] is True, results["lines"]
    assert results["after_edit"] == []

    assert results["completion"] == ENTRY_KEYS, results["lines"]
    assert results["flow_completion"] == ["revision", "flags"], results["lines"]
    assert results["flow_hover"].startswith("**url**"), results["lines"]

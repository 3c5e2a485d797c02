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


def _env(tmp_path: Path, out: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PLX_LSP_CMD": json.dumps([sys.executable, "-m", "plxinit"]),
        "PLX_NVIM_OUT": str(out),
        "PLX_NVIM_TIMEOUT": "20000",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install -y neovim)")
def test_neovim_session(tmp_path: Path) -> None:
    document = tmp_path / "polyaxonfile.yaml"
    document.write_text(POLYAXONFILE, encoding="utf-8")
    out = tmp_path / "results.json"
    env = _env(tmp_path, out)
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


NAMES = """\
kind: operation
component:
  run:
    kind: dag
    operations:
      - name: prepare
        component:
          outputs: [{name: table, type: str, isOptional: true}]
          run: {kind: job, container: {image: python}}
      - name: train
        dependencies: [prepare]
        params:
          table: {ref: ops.prepare, value: outputs.table}
        matrix: {kind: grid, params: {lr: {kind: choice, value: [0.1, 0.2]}}}
        component:
          inputs:
            - {name: table, type: str}
            - {name: lr, type: float}
          run:
            kind: job
            container:
              image: python
              args: ["--lr={{ lr }}", "--table={{ table }}"]
"""


def _semantic_tokens(text: str) -> list[int]:
    from plxinit.lsp.documents import Document
    from plxinit.lsp.semantic import semantic_tokens

    return list(semantic_tokens(Document("file:///x/polyaxonfile.yaml", text, 1), "utf-16").data)


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install -y neovim)")
def test_neovim_names(tmp_path: Path) -> None:
    """Definition, references and rename (applied by Neovim itself), completion in a template, and
    the semantic tokens Neovim gets (0.7 has no highlighter for them: the request is sent as is)."""
    document = tmp_path / "polyaxonfile.yaml"
    document.write_text(NAMES, encoding="utf-8")
    out = tmp_path / "results.json"
    results = run_session(
        ["nvim", "--headless", "-u", str(INIT_LUA), "-i", "NONE", str(document), "-c", "lua PlxNames()"],
        _env(tmp_path, out),
        tmp_path,
        out,
    )
    assert results["errors"] == []
    assert results["attached"] is True
    assert results["definition"] == [[17, 21, 17, 23]]  # `{name: lr, ...}` of train's inline component
    assert results["references"] == [[5, 14, 5, 21], [10, 23, 10, 30], [12, 27, 12, 34]]
    assert results["renamed"] is True, results["lines"]
    assert results["lines"][5] == "      - name: clean"
    assert results["lines"][12] == "          table: {ref: ops.clean, value: outputs.table}"
    assert results["template_completion"] == ["table", "lr", "as_args"]
    # the tokens of the two templates in `args`, as the server computes them for this text
    assert results["semantic_tokens"] == _semantic_tokens(NAMES) != []

"""Shared helpers of the schema-export tests: corpus discovery, verdicts, tool locations, an LSP client."""

from __future__ import annotations

import base64
import datetime
import functools
import json
import math
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import realworld_dir, require_corpus
from jsonrpc_client import Client, LspError  # noqa: F401 (LspError: re-exported for the tests)
from plxinit.validate import validate_text

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPORT_TESTS = Path(__file__).resolve().parent
NODE_DIR = EXPORT_TESTS / "node"
CASES_DIR = EXPORT_TESTS / "cases"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
DIST_DIR = REPO_ROOT / "schema" / "dist"
DIST_FILES = {
    "2020-12": DIST_DIR / "polyaxonfile.schema.json",
    "draft-07": DIST_DIR / "polyaxonfile.draft-07.schema.json",
}
YAML_SUFFIXES = (".yaml", ".yml")


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES)


def file_id(path: Path) -> str:
    """A stable short name: `cases/negative/x.yaml`, `fixtures/positive/y.yaml`, `realworld/z.yml`."""
    path = path.resolve()
    for prefix, base in (("cases", CASES_DIR), ("fixtures", FIXTURES_DIR), ("realworld", realworld_dir())):
        try:
            return f"{prefix}/{path.relative_to(base.resolve()).as_posix()}"
        except ValueError:
            continue
    return path.as_posix()


def jsonable(value: Any) -> Any:
    """Our loader's value as JSON: dates become ISO strings, bytes base64, keys and .nan/.inf strings."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set):
        return sorted(map(str, value))
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN/Infinity
    return value


@functools.lru_cache(maxsize=1)
def corpus() -> tuple[Path, ...]:
    """Every file the verdict tests run on: our cases, the lead's fixtures (when present), the real files."""
    real = _yaml_files(require_corpus())  # external data: skipped (CI: failed) when absent
    files = [
        *_yaml_files(CASES_DIR / "positive"),
        *_yaml_files(CASES_DIR / "negative"),
        *_yaml_files(FIXTURES_DIR / "positive"),
        *_yaml_files(FIXTURES_DIR / "negative"),
        *real,
    ]
    return tuple(files)


@functools.cache
def our_verdict(path: Path) -> bool:
    """True when plx-validate reports at least one error for the file (warnings don't count)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(d.severity.value == "error" for d in validate_text(text))


def load_expected_differences() -> dict[str, dict[str, str]]:
    """tool -> {file id: reason} of files where that tool's verdict must differ from ours."""
    data: dict[str, dict[str, str]] = json.loads(
        (EXPORT_TESTS / "verdict_differences.json").read_text(encoding="utf-8")
    )
    return {tool: dict(entries) for tool, entries in data.items() if not tool.startswith("_")}


def compare_verdicts(
    tool: str, theirs: dict[Path, bool], expected: dict[str, str], skipped: dict[Path, str] | None = None
) -> list[str]:
    """Files where `theirs` (True = invalid) disagrees with ours unlisted, or agrees though listed."""
    problems = []
    skipped = skipped or {}
    for path in corpus():
        fid = file_id(path)
        if path in skipped:
            if fid in expected:
                problems.append(f"{fid}: listed as differing but skipped ({skipped[path]})")
            continue
        ours = our_verdict(path)
        invalid = theirs[path]
        if fid in expected:
            if invalid == ours:
                problems.append(f"{fid}: {tool} now agrees with us (invalid={ours}); drop it from the list")
        elif invalid != ours:
            problems.append(
                f"{fid}: {tool} says {'invalid' if invalid else 'valid'}, plx-validate reports "
                f"{'an error' if ours else 'no error'} (add it to verdict_differences.json with the reason, "
                "or fix the export)"
            )
    return problems


# --------------------------------------------------------------------------- node tools
def node_tools_required() -> None:
    """Skip when PLX_SKIP_NODE=1; otherwise fail (not skip) when node or the npm deps are missing."""
    if os.environ.get("PLX_SKIP_NODE") == "1":
        pytest.skip("PLX_SKIP_NODE=1")
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH (Node 20 is needed; set PLX_SKIP_NODE=1 to skip these tests)")
    for package in ("ajv", "yaml-language-server"):
        if not (NODE_DIR / "node_modules" / package / "package.json").is_file():
            pytest.fail(
                f"npm package {package} missing: run `npm ci --prefix tests/export/node` "
                "(or set PLX_SKIP_NODE=1 to skip these tests)"
            )


def check_jsonschema_command() -> list[str]:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed (pip install -e '.[test]')")
    return [found]


# --------------------------------------------------------------------------- LSP client
LspClient = Client  # the project's one JSON-RPC test client (tests/jsonrpc_client.py)

"""Shared helpers of the schema-export tests: corpus discovery, verdicts, tool locations, an LSP client."""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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


def shared_dir() -> Path:
    """The project's shared/ folder (beside the repo), or $PLX_SHARED_DIR."""
    override = os.environ.get("PLX_SHARED_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared"


def realworld_dir() -> Path:
    return shared_dir() / "corpus" / "realworld"


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


@functools.lru_cache(maxsize=1)
def corpus() -> tuple[Path, ...]:
    """Every file the verdict tests run on: our cases, the lead's fixtures (when present), the real files."""
    real = _yaml_files(realworld_dir())
    if not real:
        pytest.fail(f"real-world corpus not found at {realworld_dir()} (set PLX_SHARED_DIR to the shared/ folder)")
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
class LspError(RuntimeError):
    """The server answered a request with an error, or did not answer in time."""


class LspClient:
    """A minimal JSON-RPC/LSP client over a subprocess's stdio; a reader thread files every message.

    Server requests are answered at once (`workspace/configuration` from `settings`, everything
    else with null); notifications are kept so a test can wait on them (no sleeps).
    """

    def __init__(self, command: list[str], settings: dict[str, Any], cwd: Path | None = None) -> None:
        self.settings = settings
        self._proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd
        )
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._responses: dict[int, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.config_requests = 0
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # wire
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self._proc.stdin is not None
        self._proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._proc.stdin.flush()

    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)

    def _read_loop(self) -> None:
        stream = self._proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self._lock:
                        self._closed = True
                        self._lock.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(stream.read(length))
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request from the server
            result: Any = None
            if message["method"] == "workspace/configuration":
                items = message.get("params", {}).get("items", [])
                result = [self.settings.get(item.get("section", ""), {}) for item in items]
                with self._lock:
                    self.config_requests += 1
            self._send({"id": message["id"], "result": result})
            return
        with self._lock:
            if "method" in message:
                self.notifications.append(message)
            else:
                self._responses[message["id"]] = message
            self._lock.notify_all()

    # API
    def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        """Block until `predicate()` (called under the lock) is truthy; its value is returned."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    stderr = b"".join(self._stderr[-20:]).decode("utf-8", "replace")
                    raise LspError(f"timed out waiting for {what}; server stderr:\n{stderr}")
                self._lock.wait(remaining)

    def request(self, method: str, params: Any, timeout: float = 30.0) -> Any:
        request_id = next(self._ids)
        self._send({"id": request_id, "method": method, "params": params})
        response = self.wait_for(lambda: self._responses.get(request_id), timeout, f"a reply to {method}")
        if "error" in response:
            raise LspError(f"{method}: {response['error']}")
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def diagnostics(self, uri: str) -> list[list[dict[str, Any]]]:
        """Every publishDiagnostics list received for `uri`, oldest first (call under wait_for)."""
        return [
            n["params"]["diagnostics"]
            for n in self.notifications
            if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri
        ]

    def close(self) -> None:
        try:
            if self._proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self._proc.wait(timeout=10)
        except (LspError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()

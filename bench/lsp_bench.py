"""plx-lsp against Red Hat's yaml-language-server 1.25 (given our draft-07 schema), side by side.

One minimal stdio JSON-RPC client (Content-Length framing, request ids, a reader thread that
timestamps every message) drives both servers on the same generated polyaxonfiles (~2,000 and
~10,000 lines: `kind: component`, `run: {kind: job}`, a long `init:` list of artifacts, git,
file (`content: |`) and container entries, and one two-handler mistake near the end). Measured:

- cold start: spawn -> `initialize` reply (median over fresh processes), and on to the first reply
  to a real request and the first diagnostics of a small file;
- completion p50/p95 in an empty init entry (`    - ` line inserted in the middle of the list);
- hover p50 on a `git` key;
- edit -> diagnostics: an incremental `didChange` that adds or removes an error (alternating),
  timed until the `publishDiagnostics` for that version arrives (yaml-language-server waits
  200 ms after an edit by default, plx-lsp validates an edit after a pause at once and coalesces
  bursts; this is what a user sees).

Every wait is on a server message with a timeout, never a sleep. Both servers run at the same
time and each loop alternates between them (who goes first alternates too), so noise from a
shared machine hits both alike. Writes bench/RESULTS-lsp.md (a `--quick` run only prints,
unless `--out` is given).

    /work/venvs/dev/bin/python bench/lsp_bench.py [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from machine import cpu_model

REPO = Path(__file__).resolve().parents[1]
NODE_DIR = REPO / "tests" / "export" / "node"
YLS = NODE_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SCHEMA = REPO / "schema" / "dist" / "polyaxonfile.draft-07.schema.json"
RESULTS = REPO / "bench" / "RESULTS-lsp.md"
TIMEOUT = 60.0  # seconds for any single wait on a server

OURS = "plx-lsp"
THEIRS = "yaml-language-server"

SETTINGS: dict[str, Any] = {
    "yaml": {
        "schemas": {SCHEMA.as_uri(): ["*.yaml"]},
        "validate": True,
        "completion": True,
        "hover": True,
        "schemaStore": {"enable": False},  # offline machine: no catalog download
    }
}


class LspError(Exception):
    pass


# --------------------------------------------------------------------------- the client
class Client:
    """A stdio JSON-RPC/LSP client; the reader thread stamps each message as its body is read."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        settings: dict[str, Any],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.settings = settings
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._responses: dict[int, tuple[float, dict[str, Any]]] = {}
        self.notifications: list[tuple[float, dict[str, Any]]] = []
        self.server_requests: dict[str, int] = {}
        self._closed = False
        self._stderr: list[bytes] = []
        self.spawned = time.perf_counter()
        self.proc = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env={**os.environ, **(env or {})},
        )
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # wire
    def _send(self, message: dict[str, Any]) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}, separators=(",", ":")).encode("utf-8")
        assert self.proc.stdin is not None
        with self._write_lock:
            sent = time.perf_counter()
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        return sent

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-50]

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                body = stream.read(length)
                received = time.perf_counter()
                if len(body) < length:
                    return
                self._dispatch(received, json.loads(body))
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def _dispatch(self, received: float, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request from the server: answer at once
            method = message["method"]
            result: Any = None
            if method == "workspace/configuration":
                items = (message.get("params") or {}).get("items", [])
                result = [self.settings.get(item.get("section", ""), {}) for item in items]
            with self._cond:
                self.server_requests[method] = self.server_requests.get(method, 0) + 1
            self._send({"id": message["id"], "result": result})
            return
        with self._cond:
            if "method" in message:
                self.notifications.append((received, message))
            elif "id" in message and message["id"] is not None:
                self._responses[message["id"]] = (received, message)
            self._cond.notify_all()

    # API
    def stderr_tail(self) -> str:
        return b"".join(self._stderr[-20:]).decode("utf-8", "replace")

    def wait_for(self, predicate: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
        """Block until `predicate()` (called under the lock) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    why = "exited" if self._closed else f"timed out after {timeout:.0f} s"
                    raise LspError(f"{self.name}: {why} waiting for {what}; stderr:\n{self.stderr_tail()}")
                self._cond.wait(remaining)

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> tuple[float, float, Any]:
        """(sent, received, result) of one request."""
        request_id = next(self._ids)
        sent = self._send({"id": request_id, "method": method, "params": params})
        received, response = self.wait_for(
            lambda: self._responses.pop(request_id, None), f"the reply to {method}", timeout
        )
        if "error" in response:
            raise LspError(f"{self.name}: {method}: {response['error']}")
        return sent, received, response.get("result")

    def notify(self, method: str, params: Any) -> float:
        return self._send({"method": method, "params": params})

    def mark(self) -> int:
        """A cursor into the notifications: wait only for what arrives after it."""
        with self._cond:
            return len(self.notifications)

    def wait_diagnostics(
        self,
        uri: str,
        after: int,
        version: int | None = None,
        accept: Callable[[list[dict[str, Any]]], bool] | None = None,
        timeout: float = TIMEOUT,
    ) -> tuple[float, list[dict[str, Any]]]:
        """The first publishDiagnostics for `uri` after cursor `after` that is for `version` (when
        the server says which version it is) and that `accept` takes."""

        def find() -> tuple[float, list[dict[str, Any]]] | None:
            for received, note in self.notifications[after:]:
                params = note.get("params") or {}
                if note["method"] != "textDocument/publishDiagnostics" or params.get("uri") != uri:
                    continue
                if version is not None and params.get("version") not in (None, version):
                    continue
                if accept is None or accept(params["diagnostics"]):
                    return received, params["diagnostics"]
            return None

        found: tuple[float, list[dict[str, Any]]] = self.wait_for(find, f"diagnostics for {uri}", timeout)
        return found

    def rss_mib(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def close(self) -> None:
        try:
            if self.proc.poll() is None and not self._closed:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        except (LspError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass


def initialize_params(root: Path) -> dict[str, Any]:
    return {
        "processId": os.getpid(),
        "clientInfo": {"name": "plx-lsp-bench"},
        "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "capabilities": {
            "workspace": {
                "configuration": True,
                "didChangeConfiguration": {"dynamicRegistration": True},
                "workspaceFolders": True,
            },
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": False},
                "completion": {
                    "completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]},
                    "contextSupport": True,
                },
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                # no "diagnostic" capability: both servers push diagnostics
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
            },
        },
    }


def server_command(name: str) -> list[str]:
    if name == OURS:
        script = Path(sys.executable).parent / "plx-lsp"
        return [str(script)] if script.exists() else [sys.executable, "-m", "plxinit"]
    return ["node", str(YLS), "--stdio"]


# --------------------------------------------------------------------------- the file
@dataclass
class Workload:
    size: int
    text: str
    marks: dict[str, int]  # 0-based line numbers of the places the benchmark uses

    @property
    def lines(self) -> int:
        return self.text.count("\n")


def polyaxonfile(target: int) -> Workload:
    """A valid job component whose init list has about `target` lines, plus one entry near the end
    that sets two handlers (artifacts and git)."""
    head = [
        "version: 1.1",
        "kind: component",
        "name: init-heavy",
        "run:",
        "  kind: job",
        "  init:",
    ]
    tail_entry = [
        "    - artifacts:",  # the two-handler mistake
        "        dirs: [late/data]",
        "      git:",
        "        url: https://github.com/org/late-repo",
    ]
    tail = [
        "    - container:",
        "        name: last",
        "        image: busybox:1.36",
        "        command: [sh, -c, echo done]",
        "  container:",
        "    image: python:3.11",
        "    command: [python, -c, print('ok')]",
    ]
    body: list[str] = []
    groups: list[dict[str, int]] = []
    i = 0
    while len(head) + len(body) + len(tail_entry) + len(tail) < target:
        start = len(head) + len(body)
        group = [
            f"    - connection: dataset-{i}",
            "      artifacts:",
            f"        dirs: [raw/{i}, [cache/{i}, /tmp/cache-{i}]]",
            f"        files: [config-{i}.json]",
            "    - git:",
            f"        url: https://github.com/org/repo-{i}",
            "        revision: main",
            "    - file:",
            f"        filename: step-{i}.sh",
            '        chmod: "+x"',
            "        content: |",
            "          set -e",
            f"          echo step {i}",
            "          ls -la /plx-context/artifacts",
            "    - container:",
            f"        name: prepare-{i}",
            "        image: busybox:1.36",
            f'        command: [sh, -c, "echo {i}"]',
        ]
        if i % 3 == 1:
            group[0:4] = [
                f"    - connection: bucket-{i}",
                "      artifacts:",
                f"        files: [[model-{i}.bin, m.bin]]",
            ]
            group.insert(3, "        workers: 4")
        groups.append({"artifacts": start + 1, "git": start + 4, "start": start})
        body += group
        i += 1
    middle = groups[len(groups) // 2]
    lines = head + body + tail_entry + tail
    marks = {
        "edit": middle["artifacts"],  # `      artifacts:` -> `      artifact:` and back
        "insert": middle["start"],  # an empty `    - ` entry goes before this entry
        "hover": groups[len(groups) // 2 + 1]["git"],  # `    - git:`
        "mistake": len(head) + len(body),
    }
    return Workload(target, "\n".join(lines) + "\n", marks)


# --------------------------------------------------------------------------- stats
def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def ratio(ours: float | None, theirs: float | None) -> float | None:
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


# --------------------------------------------------------------------------- a session
@dataclass
class Session:
    """One server with one document open, its local copy of the text and its version."""

    client: Client
    uri: str
    lines: list[str]
    version: int = 1
    incremental: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.client.name

    def change(self, line: int, start: int, end: int, new: str) -> tuple[float, int, int]:
        """Replace columns start..end of `line` by `new` (which may hold newlines); returns
        (sent, version, cursor)."""
        old = self.lines[line]
        replaced = old[:start] + new + old[end:]
        self.lines[line : line + 1] = replaced.split("\n")
        self.version += 1
        if self.incremental:
            change: dict[str, Any] = {
                "range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
                "text": new,
            }
        else:
            change = {"text": "\n".join(self.lines)}
        cursor = self.client.mark()
        sent = self.client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]},
        )
        return sent, self.version, cursor

    def delete_line(self, line: int) -> tuple[float, int, int]:
        """Remove `line` entirely (an edit from (line, 0) to (line + 1, 0))."""
        del self.lines[line]
        self.version += 1
        if self.incremental:
            change: dict[str, Any] = {
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
                "text": "",
            }
        else:
            change = {"text": "\n".join(self.lines)}
        cursor = self.client.mark()
        sent = self.client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]},
        )
        return sent, self.version, cursor


def start_session(name: str, work: Workload, root: Path) -> tuple[Session, dict[str, Any]]:
    """Spawn, initialize, configure, open the document and wait for its first real diagnostics."""
    client = Client(name, server_command(name), SETTINGS, cwd=REPO)
    info: dict[str, Any] = {}
    try:
        _, received, result = client.request("initialize", initialize_params(root))
        info["init"] = received - client.spawned
        sync = (result or {}).get("capabilities", {}).get("textDocumentSync")
        change_kind = sync.get("change") if isinstance(sync, dict) else sync
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        folder = root / f"lines-{work.size}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "polyaxonfile.yaml"
        path.write_text(work.text, encoding="utf-8")
        uri = path.as_uri()
        # a round trip before the document is opened: the server is past its start-up
        # (plx-lsp answers `initialize` before it has loaded pygls)
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        session = Session(client, uri, work.text.split("\n"), incremental=change_kind == 2)
        if change_kind != 2:
            session.notes.append(f"textDocumentSync.change={change_kind}: full-text didChange")
        cursor = client.mark()
        sent = client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": work.text}},
        )
        # the first diagnostics that report the mistake (earlier ones may predate the schema)
        mistake = work.marks["mistake"]
        received, diagnostics = client.wait_diagnostics(
            uri, cursor, 1, accept=lambda ds: any(near(d, mistake, 0, 3) for d in ds)
        )
        info["open"] = received - sent
        info["baseline"] = diagnostics
        return session, info
    except BaseException:
        client.close()
        raise


def near(diagnostic: dict[str, Any], line: int, before: int, after: int) -> bool:
    start = diagnostic["range"]["start"]["line"]
    return bool(line - before <= start <= line + after)


# --------------------------------------------------------------------------- measurements
#: plx-lsp with its documented switch for the plain start (no early `initialize` answer).
PLAIN_START = "plx-lsp, PLX_LSP_NO_FAST_START=1"
COLD_KEYS = ("init", "reply", "diagnostics")


def cold_starts(names: Sequence[str], runs: int, root: Path) -> dict[str, dict[str, list[float]]]:
    """Fresh processes: spawn -> `initialize` reply; -> the first reply to a real request (a hover
    sent right after `didOpen` of a small polyaxonfile); -> that file's first diagnostics with its
    mistake. Samples per server and key, in seconds from spawn."""
    small = polyaxonfile(60)
    folder = root / "cold"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "polyaxonfile.yaml"
    path.write_text(small.text, encoding="utf-8")
    uri = path.as_uri()
    out: dict[str, dict[str, list[float]]] = {name: {key: [] for key in COLD_KEYS} for name in names}

    def shows_mistake(diagnostics: list[dict[str, Any]]) -> bool:
        return any(near(d, small.marks["mistake"], 0, 3) for d in diagnostics)

    for run in range(runs):
        order = list(names) if run % 2 == 0 else list(names)[::-1]
        for name in order:
            env = {"PLX_LSP_NO_FAST_START": "1"} if name == PLAIN_START else None
            command = server_command(OURS if name == PLAIN_START else name)
            client = Client(name, command, SETTINGS, cwd=REPO, env=env)
            try:
                _, received, _ = client.request("initialize", initialize_params(root))
                out[name]["init"].append(received - client.spawned)
                client.notify("initialized", {})
                client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
                cursor = client.mark()
                client.notify(
                    "textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": small.text}},
                )
                _, received, _ = client.request(
                    "textDocument/hover",
                    {"textDocument": {"uri": uri}, "position": {"line": small.marks["hover"], "character": 7}},
                )
                out[name]["reply"].append(received - client.spawned)
                received, _ = client.wait_diagnostics(uri, cursor, 1, accept=shows_mistake)
                out[name]["diagnostics"].append(received - client.spawned)
            finally:
                client.close()
    return out


def alternate(sessions: list[Session], count: int, step: Callable[[Session, int], float]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {s.name: [] for s in sessions}
    for i in range(count):
        order = sessions if i % 2 == 0 else sessions[::-1]
        for session in order:
            out[session.name].append(step(session, i))
    return out


def completion_items(result: Any) -> list[dict[str, Any]]:
    if isinstance(result, dict):
        return list(result.get("items") or [])
    return list(result or [])


def measure_completion(
    sessions: list[Session], work: Workload, count: int
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    line = work.marks["insert"]
    labels: dict[str, list[str]] = {}
    for session in sessions:  # insert the empty entry and let validation settle first
        _, version, cursor = session.change(line, 0, 0, "    - \n")
        session.client.wait_diagnostics(session.uri, cursor, version)

    def params(session: Session) -> dict[str, Any]:
        return {
            "textDocument": {"uri": session.uri},
            "position": {"line": line, "character": 6},
            "context": {"triggerKind": 1},
        }

    for session in sessions:  # one warm-up request each; keep its labels as the evidence
        _, _, result = session.client.request("textDocument/completion", params(session))
        labels[session.name] = [item["label"] for item in completion_items(result)]

    def step(session: Session, _: int) -> float:
        sent, received, result = session.client.request("textDocument/completion", params(session))
        if not completion_items(result):
            session.notes.append("an empty completion reply")
        return received - sent

    times = alternate(sessions, count, step)
    for session in sessions:  # take the entry out again
        _, version, cursor = session.delete_line(line)
        session.client.wait_diagnostics(session.uri, cursor, version)
    return times, labels


def measure_hover(sessions: list[Session], work: Workload, count: int) -> tuple[dict[str, list[float]], dict[str, Any]]:
    line = work.marks["hover"]  # the empty entry is gone again: lines are as generated
    previews: dict[str, str] = {}

    def params(session: Session) -> dict[str, Any]:
        return {"textDocument": {"uri": session.uri}, "position": {"line": line, "character": 7}}

    for session in sessions:
        assert session.lines[line].strip() == "- git:", session.lines[line]
        _, _, result = session.client.request("textDocument/hover", params(session))
        contents = (result or {}).get("contents")
        text = contents.get("value", "") if isinstance(contents, dict) else json.dumps(contents)
        previews[session.name] = " ".join(str(text).split())[:90]

    def step(session: Session, _: int) -> float:
        sent, received, result = session.client.request("textDocument/hover", params(session))
        if not result:
            session.notes.append("an empty hover reply")
        return received - sent

    return alternate(sessions, count, step), previews


def measure_edits(sessions: list[Session], work: Workload, count: int) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Odd edits turn `artifacts:` into the unknown `artifact:`, even ones put the `s` back."""
    line = work.marks["edit"]
    seen: dict[str, list[int]] = {}
    for session in sessions:
        assert session.lines[line] == "      artifacts:", session.lines[line]

    def step(session: Session, i: int) -> float:
        broken = i % 2 == 0
        if broken:
            sent, version, cursor = session.change(line, 14, 15, "")
        else:
            sent, version, cursor = session.change(line, 14, 14, "s")

        def accept(diagnostics: list[dict[str, Any]]) -> bool:
            flagged = any(near(d, line, 1, 1) for d in diagnostics)
            if flagged != broken:
                session.notes.append(f"version {version}: diagnostics did not show the expected state")
            return flagged == broken

        received, diagnostics = session.client.wait_diagnostics(session.uri, cursor, version, accept)
        seen.setdefault(session.name, []).append(len(diagnostics))
        return received - sent

    if count % 2:
        count += 1  # end on the valid text
    return alternate(sessions, count, step), seen


# --------------------------------------------------------------------------- where plx-lsp's time goes
def _median_call(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, best) of `runs` calls after one warm-up."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def _without_gc(call: Callable[[], object]) -> Callable[[], object]:
    def paused() -> object:
        gc.disable()
        try:
            return call()
        finally:
            gc.enable()

    return paused


def import_times(runs: int) -> dict[str, float]:
    """Cumulative import times (-X importtime) of the server module and of lsprotocol.types."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import plxinit.lsp.server"],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
            check=False,
        )
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] in ("plxinit.lsp.server", "lsprotocol.types", "pygls.lsp.server"):
                found.setdefault(parts[2], []).append(int(parts[1]) / 1e6)
    return {name: statistics.median(values) for name, values in found.items()}


def breakdown(work: Workload, runs: int) -> dict[str, tuple[float, float]]:
    """plx-lsp's own steps, called in this process on the same text (internal API: may change)."""
    import yaml

    from plxinit.lsp import positions
    from plxinit.lsp.completion import complete
    from plxinit.lsp.context import Outline
    from plxinit.lsp.documents import Document
    from plxinit.lsp.hover import hover
    from plxinit.validate import validate_document
    from plxinit.yamldoc import parse_document

    text = work.text
    parsed = parse_document(text)
    lines = text.split("\n")
    lines.insert(work.marks["insert"], "    - ")
    with_entry = Document("file:///bench/polyaxonfile.yaml", "\n".join(lines), 1)
    document = Document("file:///bench/polyaxonfile.yaml", text, 1)
    line = work.marks["insert"]
    assert complete(with_entry, line, 6, positions.UTF16), "no completion items in process"
    assert hover(document, work.marks["hover"], 7, positions.UTF16) is not None, "no hover in process"
    entry_text = with_entry.text

    def complete_fresh() -> object:  # a new Document: nothing cached, as on the first request after an edit
        return complete(Document(with_entry.uri, entry_text, 2), line, 6, positions.UTF16)

    def hover_fresh() -> object:
        return hover(Document(document.uri, text, 2), work.marks["hover"], 7, positions.UTF16)

    return {
        "PyYAML C loader, parse only (reference)": _median_call(lambda: yaml.load(text, Loader=yaml.CSafeLoader), runs),
        "parse_document (every edit)": _median_call(lambda: parse_document(text), runs),
        "validate_document (every edit)": _median_call(lambda: validate_document(parsed), runs),
        "Outline(lines), the whole-text outline, nothing cached (now built at most once per version)": _median_call(
            lambda: Outline(document.lines), runs
        ),
        "complete() at the empty entry, first request on a version (nothing cached)": _median_call(
            complete_fresh, runs
        ),
        "complete() at the empty entry, again on the same version (as the benchmark's requests)": _median_call(
            lambda: complete(with_entry, line, 6, positions.UTF16), runs
        ),
        "hover() on `git`, first request on a version (nothing cached)": _median_call(hover_fresh, runs),
        "hover() on `git`, again on the same version (as the benchmark's requests)": _median_call(
            lambda: hover(document, work.marks["hover"], 7, positions.UTF16), runs
        ),
        "complete(), first request on a version, with the cyclic GC paused": _median_call(
            _without_gc(complete_fresh), runs
        ),
        "hover(), first request on a version, with the cyclic GC paused": _median_call(_without_gc(hover_fresh), runs),
    }


# --------------------------------------------------------------------------- report
def node_version() -> str:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, str]:
    cpu = cpu_model()
    return {
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "node": node_version(),
    }


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def verdict(value: float | None, limit: float, unit: str = "x") -> str:
    if value is None:
        return "not measured"
    shown = f"{value:.3f}x" if unit == "x" else ms(value)
    return f"{'**met**' if value <= limit else '**NOT met**'} ({shown})"


def render(results: dict[str, Any], quick: bool) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    out = [
        "# plx-lsp vs yaml-language-server: language-server benchmark",
        "",
        f"Run on {results['date']} by `bench/lsp_bench.py`{' --quick' if quick else ''} "
        f"(total {results['elapsed']:.0f} s).",
        "",
        f"- Machine: {m['os']}, {m['cpu']}, {m['cores']} cores; Python {m['python']}, Node {m['node']}.",
        f"- Load average (1/5/15 min) at start: {results['load_start']}; at end: {results['load_end']}. "
        "The machine was shared with other work while this ran, so single samples are noisy: every figure "
        "is a median (or a nearest-rank percentile) and the two servers were measured alternately, "
        "each loop switching which goes first.",
        f"- Servers: `{' '.join(server_command(OURS))}` (plx-lsp) and yaml-language-server 1.25.0 "
        "(`node tests/export/node/node_modules/yaml-language-server/bin/yaml-language-server --stdio`), "
        "given `schema/dist/polyaxonfile.draft-07.schema.json` for `*.yaml` through "
        "`workspace/didChangeConfiguration` (validate, completion, hover on; schemaStore off, the machine "
        "is offline) and the same `yaml` section on `workspace/configuration`.",
        "- Client: one stdio JSON-RPC client for both (Content-Length framing; a reader thread stamps "
        "each message when its body has been read). Times are from writing the message to reading the "
        "reply or the notification; no sleeps anywhere. The client announces no pull diagnostics, so "
        "both servers push.",
        "",
        "## Files",
        "",
        "| target | lines | bytes | init entries | diagnostics on open (plx-lsp / yaml-language-server) |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        s = results["files"][size]
        out.append(
            f"| ~{size:,} lines | {s['lines']:,} | {s['bytes']:,} | {s['entries']:,} | "
            f"{s['baseline'].get(OURS, 'n/a')} / {s['baseline'].get(THEIRS, 'n/a')} |"
        )
    out += [
        "",
        "Generated: `version: 1.1`, `kind: component`, `run: {kind: job}` with an `init:` list cycling "
        "connection + artifacts, git (url, revision), file (filename, chmod, `content: |` block) and "
        "container entries, and one entry near the end that sets both `artifacts` and `git` (the "
        "only mistake). Diagnostics are counted in the first publish that reports it (the "
        "first-ever publish from yaml-language-server can predate its schema).",
        "",
    ]
    ratios: dict[str, dict[int, float | None]] = {}

    def table(title: str, key: str, stats: list[tuple[str, Callable[[list[float]], float]]], note: str) -> None:
        out.extend([f"## {title}", "", note, ""])
        header = "| file | n | " + " | ".join(
            f"{label} plx-lsp | {label} yaml-language-server | {label} ratio" for label, _ in stats
        )
        out.append(header + " |")
        out.append("|---" * (2 + 3 * len(stats)) + "|")
        for size in sizes:
            samples = results["metrics"].get(size, {}).get(key, {})
            ours, theirs = samples.get(OURS) or [], samples.get(THEIRS) or []
            n = max(len(ours), len(theirs))
            cells = []
            for label, fn in stats:
                a = fn(ours) if ours else None
                b = fn(theirs) if theirs else None
                r = ratio(a, b)
                ratios.setdefault(f"{key}:{label}", {})[size] = r
                cells += [ms(a), ms(b), f"{r:.3f}x" if r is not None else "n/a"]
            out.append(f"| ~{size:,} lines | {n} | " + " | ".join(cells) + " |")
        out.append("")

    median = statistics.median
    cold: dict[str, dict[str, list[float]]] = results["cold"]
    runs = max((len(v["init"]) for v in cold.values()), default=0)
    out += [
        "## Cold start",
        "",
        f"Fresh processes, {runs} per row, alternating. Each: spawn, `initialize` (timed to its reply), "
        "`initialized`, the settings, `didOpen` of a small polyaxonfile (~70 lines, with the same mistake) "
        "and at once a hover request on it (timed to its reply: the first answer that needs the server "
        "really running), then its first diagnostics that show the mistake. Medians from spawn (min-max).",
        "",
        "| server | to `initialize` reply | to the first hover reply | to the first diagnostics |",
        "|---|---|---|---|",
    ]
    for name, samples in cold.items():
        cells = [
            f"{ms(median(samples[key]))} ({ms(min(samples[key]))}-{ms(max(samples[key]))})" if samples[key] else "n/a"
            for key in COLD_KEYS
        ]
        out.append(f"| {name} | " + " | ".join(cells) + " |")

    def cold_median(name: str, key: str) -> float | None:
        samples = cold.get(name, {}).get(key) or []
        return median(samples) if samples else None

    cold_ours = cold_median(OURS, "init")
    ready_ours = cold_median(OURS, "reply")
    out.append("")
    for key, label in (
        ("init", "`initialize` reply"),
        ("reply", "first hover reply"),
        ("diagnostics", "first diagnostics"),
    ):
        r = ratio(cold_median(OURS, key), cold_median(THEIRS, key))
        if r is not None:
            out.append(f"- Ratio to the {label} (plx-lsp/yaml-language-server, medians): {r:.2f}x")
    if cold_ours is not None and ready_ours is not None and ready_ours > 2 * cold_ours:
        out.append(
            "- plx-lsp answers `initialize` from `plxinit/lsp/bootstrap.py` before importing pygls/lsprotocol "
            f"(a canned capabilities reply), so its `initialize` time ({ms(cold_ours)}) says little about "
            f"when it can serve: its first real answer comes at {ms(ready_ours)}. The `{PLAIN_START}` row "
            "is the same server without that early answer."
        )
    out.append("")

    table(
        "Completion in an empty init entry",
        "completion",
        [("p50", median), ("p95", lambda v: pct(v, 95))],
        "A `    - ` line is inserted in the middle of the init list (and validation allowed to settle), "
        "then `textDocument/completion` at character 6 of it, one request at a time after one warm-up.",
    )
    table(
        "Hover on a `git` key",
        "hover",
        [("p50", median)],
        "`textDocument/hover` inside `git` of a `    - git:` entry in the middle of the list.",
    )
    table(
        "Edit to diagnostics",
        "edit",
        [("median", median), ("max", max)],
        "Alternating incremental `didChange` edits in the middle of the list: `artifacts:` -> `artifact:` "
        "(an unknown key: one more diagnostic) and back. Timed from writing the `didChange` to reading the "
        "first `publishDiagnostics` for that version whose content shows the new state. yaml-language-server "
        "waits 200 ms after an edit before validating (`validationDelayMs = 200`), so 200 ms of each of its "
        "figures is that deliberate delay. plx-lsp validates an edit that follows a pause at once (leading "
        "edge), in a worker thread on a snapshot of the text; edits in a burst or during a validation are "
        "coalesced into one validation of the latest version once they pause for 50 ms (`IDLE`/`SETTLE` in "
        "`plxinit/lsp/server.py`), and a result is published only while its version is the current one. "
        "Every edit here follows the previous one's diagnostics, so each takes plx-lsp's leading edge.",
    )
    for size in sizes:
        samples = results["metrics"].get(size, {}).get("edit", {})
        if samples.get(OURS) and samples.get(THEIRS):
            a, b = median(samples[OURS]), median(samples[THEIRS]) - 0.2
            shown = f"{a / b:.2f}x" if b > 0 else "n/a"
            out.append(
                f"- ~{size:,} lines, without yaml-language-server's 200 ms delay (its median - 200 ms): "
                f"plx-lsp {ms(a)}, yaml-language-server {ms(b)}, ratio {shown}."
            )
    out.append("")
    out += [
        "## Also seen (one sample each, not goals)",
        "",
        "| file | server | didOpen (of a ready server) to its first diagnostics with the mistake | RSS after the run |",
        "|---|---|---|---|",
    ]
    for size in sizes:
        extra = results["extra"].get(size, {})
        for name in (OURS, THEIRS):
            e = extra.get(name, {})
            rss = f"{e['rss']:.0f} MiB" if e.get("rss") else "n/a"
            out.append(f"| ~{size:,} lines | {name} | {ms(e.get('open'))} | {rss} |")
    out.append("")
    for size in sizes:
        for name, evidence in results["evidence"].get(size, {}).items():
            out.append(f"- ~{size:,} lines, {name}: {evidence}")
    out.append("")

    if results["breakdown"] or results["imports"]:
        out += [
            "## Where plx-lsp's time goes (in process, no LSP)",
            "",
            "The server's own functions called in the benchmark's process on the same texts (median of "
            f"{'3' if quick else '7'} calls after one warm-up, and the best one: noise only adds time). These "
            "are internal APIs: the section is skipped if they change.",
            "",
            "| step | "
            + " | ".join(f"~{size:,} lines median | ~{size:,} lines best" for size in results["breakdown"])
            + " |",
            "|---" * (1 + 2 * len(results["breakdown"])) + "|",
        ]
        steps: dict[str, tuple[float, float]] = next(iter(results["breakdown"].values()), {})
        for step in steps:
            cells = [f"{ms(b[step][0])} | {ms(b[step][1])}" for b in results["breakdown"].values()]
            out.append(f"| {step} | " + " | ".join(cells) + " |")
        imports = results["imports"]
        if imports:
            out += [
                "",
                "Import at start-up (`python -X importtime -c 'import plxinit.lsp.server'`, cumulative, median): "
                + ", ".join(f"`{name}` {ms(value)}" for name, value in sorted(imports.items(), key=lambda x: -x[1]))
                + ".",
            ]
        out.append("")
    out += ["## Goals", "", "| goal | file | result |", "|---|---|---|"]
    met_all = True
    for size in sizes:
        r = ratios.get("completion:p50", {}).get(size)
        met_all &= r is not None and r <= 0.1
        out.append(f"| completion p50 at most 1/10 of yaml-language-server's | ~{size:,} lines | {verdict(r, 0.1)} |")
    for size in sizes:
        r = ratios.get("edit:median", {}).get(size)
        met_all &= r is not None and r <= 1 / 3
        out.append(f"| edit-to-diagnostics at most 1/3 of its | ~{size:,} lines | {verdict(r, 1 / 3)} |")
    met_all &= cold_ours is not None and cold_ours < 0.3
    out.append(
        f"| our cold start under 300 ms: spawn to the `initialize` reply | - | {verdict(cold_ours, 0.3, 'ms')} |"
    )
    met_all &= ready_ours is not None and ready_ours < 0.3
    out.append(
        "| our cold start under 300 ms, read as ready to serve: spawn to the first hover reply | - | "
        f"{verdict(ready_ours, 0.3, 'ms')} |"
    )
    out += ["", "All goals met." if met_all else "Not all goals are met (see the table).", ""]
    problems = results["problems"]
    if problems:
        out += (
            ["## Problems seen during the run", ""]
            + [f"- {' / '.join(p.strip().splitlines())}" for p in problems]
            + [""]
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; prints, writes no file")
    parser.add_argument("--out", type=Path, help=f"write the Markdown here (default: {RESULTS.relative_to(REPO)})")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="target line counts")
    parser.add_argument(
        "--servers", nargs="+", choices=[OURS, THEIRS], default=[OURS, THEIRS], help="which servers to run"
    )
    args = parser.parse_args(argv)
    if THEIRS in args.servers and not YLS.exists():
        print(f"{YLS} is missing: run `npm ci --prefix tests/export/node`", file=sys.stderr)
        return 2
    reps = (
        {"cold": 3, "completion": 15, "hover": 10, "edit": 6, "imports": 1, "steps": 3}
        if args.quick
        else {"cold": 9, "completion": 50, "hover": 30, "edit": 20, "imports": 5, "steps": 7}
    )
    began = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_start": loadavg(),
        "sizes": args.sizes,
        "files": {},
        "metrics": {},
        "extra": {},
        "evidence": {},
        "problems": [],
        "cold": {},
        "breakdown": {},
        "imports": {},
    }
    root = Path(tempfile.mkdtemp(prefix="plx-lsp-bench-"))
    try:
        print("cold start ...", file=sys.stderr, flush=True)
        try:
            names = [*args.servers, PLAIN_START] if OURS in args.servers else list(args.servers)
            results["cold"] = cold_starts(names, reps["cold"], root)
        except LspError as error:
            results["problems"].append(f"cold start: {error}")
        for size in args.sizes:
            work = polyaxonfile(size)
            results["files"][size] = {
                "lines": work.lines,
                "bytes": len(work.text.encode()),
                "entries": work.text.count("\n    - "),
                "baseline": {},
            }
            sessions: list[Session] = []
            extra: dict[str, dict[str, Any]] = {}
            evidence: dict[str, str] = {}
            metrics: dict[str, dict[str, list[float]]] = {}
            try:
                for name in args.servers:
                    print(f"~{size} lines: starting {name} ...", file=sys.stderr, flush=True)
                    try:
                        session, info = start_session(name, work, root)
                    except LspError as error:
                        results["problems"].append(f"~{size} lines: {name} did not get to diagnostics: {error}")
                        continue
                    sessions.append(session)
                    extra[name] = {"open": info["open"]}
                    baseline = info["baseline"]
                    results["files"][size]["baseline"][name] = len(baseline)
                    evidence[f"{name} diagnostics on open"] = "; ".join(
                        f"line {d['range']['start']['line'] + 1}: {d['message'][:100]}" for d in baseline
                    )
                if sessions:
                    print(f"~{size} lines: completion ...", file=sys.stderr, flush=True)
                    metrics["completion"], labels = measure_completion(sessions, work, reps["completion"])
                    for name, items in labels.items():
                        evidence[f"{name} completion labels ({len(items)})"] = ", ".join(items[:12])
                    print(f"~{size} lines: hover ...", file=sys.stderr, flush=True)
                    metrics["hover"], previews = measure_hover(sessions, work, reps["hover"])
                    for name, preview in previews.items():
                        evidence[f"{name} hover starts"] = f"`{preview}`"
                    print(f"~{size} lines: edits ...", file=sys.stderr, flush=True)
                    metrics["edit"], counts = measure_edits(sessions, work, reps["edit"])
                    for name, seen in counts.items():
                        evidence[f"{name} diagnostics per edit"] = (
                            f"{sorted(set(seen[0::2]))} with the error, {sorted(set(seen[1::2]))} without"
                        )
                    for session in sessions:
                        extra[session.name]["rss"] = session.client.rss_mib()
                        for note in sorted(set(session.notes)):
                            results["problems"].append(f"~{size} lines, {session.name}: {note}")
            except LspError as error:
                results["problems"].append(f"~{size} lines: {error}")
            finally:
                for session in sessions:
                    session.client.close()
            results["metrics"][size] = metrics
            results["extra"][size] = extra
            results["evidence"][size] = evidence
        if OURS in args.servers:
            print("plx-lsp's own steps, in process ...", file=sys.stderr, flush=True)
            try:
                results["imports"] = import_times(reps["imports"])
                for size in args.sizes:
                    results["breakdown"][size] = breakdown(polyaxonfile(size), reps["steps"])
            except Exception as error:  # internal API: report, do not fail the benchmark
                results["problems"].append(f"in-process breakdown skipped: {type(error).__name__}: {error}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    results["elapsed"] = time.perf_counter() - began
    results["load_end"] = loadavg()
    report = render(results, args.quick)
    print(report)
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        out.write_text(report, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The one JSON-RPC/LSP test client: tests (LSP, export, hostile sessions) and bench/lsp_bench.py use it.

It speaks to a server over a subprocess's stdio (`Client(command, ...)`) or a TCP socket
(`Client.connect(host, port)`). A reader thread files every message and stamps it with the
time its body was read; requests from the server are answered at once
(`workspace/configuration` from `settings`, anything else with null). Waiting is always on a
message with a timeout, never a sleep. Raw bytes can be sent too, for hostile framing.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

TIMEOUT = 30.0


class LspError(RuntimeError):
    """The server answered a request with an error, exited, or did not answer in time."""


class Client:
    """One connection to one server."""

    def __init__(
        self,
        command: Sequence[str] | None,
        settings: dict[str, Any] | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        name: str | None = None,
        *,
        _streams: tuple[IO[bytes], IO[bytes]] | None = None,
    ) -> None:
        self.name = name or (Path(command[0]).name if command else "server")
        self.settings = settings or {}
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._responses: dict[Any, tuple[float, dict[str, Any]]] = {}
        #: error replies with a null id (ParseError, InvalidRequest), oldest first
        self.null_id_replies: list[dict[str, Any]] = []
        #: (time read, message) of every notification from the server
        self.notifications: list[tuple[float, dict[str, Any]]] = []
        self.server_requests: dict[str, int] = {}
        self.closed = False
        self._stderr: list[bytes] = []
        self.spawned = time.perf_counter()
        self.proc: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        if _streams is None:
            assert command is not None
            self.proc = subprocess.Popen(
                list(command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                env={**os.environ, **(env or {})},
            )
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self._out, self._in = self.proc.stdin, self.proc.stdout
            self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
            self._stderr_thread.start()
        else:
            self._out, self._in = _streams
        threading.Thread(target=self._read_loop, daemon=True).start()

    @classmethod
    def connect(cls, host: str, port: int, settings: dict[str, Any] | None = None, timeout: float = 10.0) -> Client:
        """A client over TCP to a server that is already listening."""
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.settimeout(None)
        client = cls(None, settings, name=f"{host}:{port}", _streams=(sock.makefile("wb"), sock.makefile("rb")))
        client._socket = sock
        return client

    # ------------------------------------------------------------------ wire
    def send_bytes(self, data: bytes) -> float:
        """Write raw bytes (any framing, or none); the time they were written."""
        with self._write_lock:
            sent = time.perf_counter()
            self._out.write(data)
            self._out.flush()
        return sent

    def send_body(self, body: bytes) -> float:
        """Write `body` with a correct Content-Length header."""
        return self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict[str, Any]) -> float:
        """Write one message (`"jsonrpc": "2.0"` added unless it has a `jsonrpc` key)."""
        full = message if "jsonrpc" in message else {"jsonrpc": "2.0", **message}
        return self.send_body(json.dumps(full, separators=(",", ":")).encode("utf-8"))

    def _drain_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self._stderr.append(line)
                del self._stderr[:-500]

    def _read_loop(self) -> None:
        stream = self._in
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
        except (OSError, ValueError):
            return
        finally:
            with self._cond:
                self.closed = True
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
            with contextlib.suppress(OSError):  # the server may be gone already
                self.send({"id": message["id"], "result": result})
            return
        with self._cond:
            if "method" in message:
                self.notifications.append((received, message))
            elif message.get("id") is None:
                self.null_id_replies.append(message)
            else:
                self._responses[message["id"]] = (received, message)
            self._cond.notify_all()

    # ------------------------------------------------------------------ waiting
    def wait_for(self, predicate: Callable[[], Any], timeout: float = TIMEOUT, what: str = "a message") -> Any:
        """Block until `predicate()` (called under the lock) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    why = "the server closed the connection" if self.closed else f"timed out after {timeout:.0f} s"
                    raise LspError(f"{self.name}: {why} waiting for {what}; stderr:\n{self.stderr_tail()}")
                self._cond.wait(remaining)

    def wait_until_closed(self, timeout: float = TIMEOUT) -> None:
        """Until the server's output ended (every message it wrote has been filed)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed, timeout)
        if not self.closed:
            raise LspError(f"{self.name}: its output did not end within {timeout:.0f} s")

    def next_id(self) -> int:
        return next(self._ids)

    def reply(self, msg_id: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The whole response to request `msg_id` (result or error)."""
        _, response = self.wait_for(lambda: self._responses.pop(msg_id, None), timeout, f"the reply to id {msg_id!r}")
        return response

    def null_id_reply(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The oldest error reply with a null id not yet taken."""
        return self.wait_for(
            lambda: self.null_id_replies.pop(0) if self.null_id_replies else None, timeout, "a reply with a null id"
        )

    def responses_left(self) -> list[dict[str, Any]]:
        """Every response not taken yet (null-id error replies included), in the order read."""
        with self._cond:
            left = sorted(self._responses.values(), key=lambda item: item[0])
            self._responses.clear()
            nulls, self.null_id_replies = self.null_id_replies, []
        return [message for _, message in left] + nulls

    def timed_request(self, method: str, params: Any, timeout: float = TIMEOUT) -> tuple[float, float, Any]:
        """(sent, received, result) of one request; LspError on an error reply."""
        request_id = self.next_id()
        sent = self.send({"id": request_id, "method": method, "params": params})
        received, response = self.wait_for(
            lambda: self._responses.pop(request_id, None), timeout, f"the reply to {method}"
        )
        if "error" in response:
            raise LspError(f"{self.name}: {method}: {response['error']}")
        return sent, received, response.get("result")

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        return self.timed_request(method, params, timeout)[2]

    def notify(self, method: str, params: Any) -> float:
        return self.send({"method": method, "params": params})

    def mark(self) -> int:
        """A cursor into the notifications: wait only for what arrives after it."""
        with self._cond:
            return len(self.notifications)

    def diagnostics(self, uri: str) -> list[list[dict[str, Any]]]:
        """Every publishDiagnostics list received for `uri`, oldest first (call under wait_for)."""
        return [
            note["params"]["diagnostics"]
            for _, note in self.notifications
            if note["method"] == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri
        ]

    def wait_diagnostics(
        self,
        uri: str,
        after: int = 0,
        version: int | None = None,
        accept: Callable[[list[dict[str, Any]]], bool] | None = None,
        timeout: float = TIMEOUT,
    ) -> tuple[float, list[dict[str, Any]]]:
        """(time read, diagnostics) of the first publishDiagnostics for `uri` after cursor `after`
        that is for `version` (when the server says which version it is) and that `accept` takes."""

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

        found: tuple[float, list[dict[str, Any]]] = self.wait_for(find, timeout, f"diagnostics for {uri}")
        return found

    # ------------------------------------------------------------------ the process
    def stderr_tail(self, lines: int = 20) -> str:
        return b"".join(self._stderr[-lines:]).decode("utf-8", "replace")

    def stderr_text(self, wait: bool = False) -> str:
        """Everything the server wrote to stderr; `wait`: until it closed stderr (it has exited)."""
        if wait and self.proc is not None:
            self.proc.wait(timeout=TIMEOUT)
            self._stderr_thread.join(timeout=TIMEOUT)
        with self._cond:
            return b"".join(self._stderr).decode("utf-8", "replace")

    def status_kib(self, field: str = "VmRSS") -> int | None:
        """A /proc/<pid>/status memory field of the server (VmRSS, VmHWM), in KiB."""
        if self.proc is None:
            return None
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return None

    def rss_mib(self) -> float | None:
        kib = self.status_kib("VmRSS")
        return None if kib is None else kib / 1024

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """The server process's exit code (after closing our end of its stdin)."""
        assert self.proc is not None
        with contextlib.suppress(OSError):
            self._out.close()
        return self.proc.wait(timeout=timeout)

    def close(self) -> int | None:
        """shutdown + exit (when still running); the process's exit code (None over TCP)."""
        try:
            if not self.closed and (self.proc is None or self.proc.poll() is None):
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                if self.proc is not None:
                    self.proc.wait(timeout=10)
        except (LspError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            self.kill()
        return None if self.proc is None else self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):  # the reader threads end on their own at end of output
            self._out.close()
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.kill()

"""Fast start (plxinit.lsp.bootstrap): the early `initialize` answer is pygls' own, only faster.

Raw stdio sessions (tests/jsonrpc_client.py) against `python -m plxinit`, with the fast path (the default) and without
it (`PLX_LSP_NO_FAST_START=1`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pygls.protocol import default_converter

from jsonrpc_client import Client
from plxinit.lsp.bootstrap import DISABLE_ENV
from samples import ONE_HANDLER_MESSAGE, TWO_HANDLERS

from .helpers import POLYAXONFILE_URI, SERVER_COMMAND, TIMEOUT, capabilities


def _plain(value: Any) -> Any:
    """lsprotocol capabilities as the JSON a client sends."""
    return json.loads(json.dumps(default_converter().unstructure(value)))


CAPABILITIES = {
    "none": {},
    "utf-8": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
    "utf-32": {"general": {"positionEncodings": ["utf-32"]}},
    "unknown-encodings": {"general": {"positionEncodings": ["utf-7"]}},
    "pull": _plain(capabilities(pull=True)),
    "snippets": _plain(capabilities(snippets=True)),
    "no-snippets": _plain(capabilities(snippets=False)),
    "will-save": {"textDocument": {"synchronization": {"willSave": True, "willSaveWaitUntil": False}}},
    "workspace-and-notebooks": {
        "workspace": {
            "fileOperations": {"willCreate": True, "didRename": True},
            "diagnostics": {"refreshSupport": True},
        },
        "notebookDocument": {"synchronization": {}},
    },
}


def initialize(caps: dict[str, Any], msg_id: int = 1) -> dict[str, Any]:
    return {
        "id": msg_id,
        "method": "initialize",
        "params": {
            "processId": None,
            "rootUri": "file:///work/project",
            "workspaceFolders": [{"uri": "file:///work/project", "name": "project"}],
            "initializationOptions": {"files": ["**/polyaxonfile*.yaml"]},
            "capabilities": caps,
        },
    }


def start(*, fast: bool = True, pythonpath: Path | None = None) -> Client:
    """A server process spoken to over raw stdio (tests/jsonrpc_client.py)."""
    env = {key: value for key, value in os.environ.items() if key != DISABLE_ENV}
    if not fast:
        env[DISABLE_ENV] = "1"
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return Client(SERVER_COMMAND, env=env, name="plx-lsp" if fast else "plx-lsp (plain start)")


def close(client: Client) -> list[dict[str, Any]]:
    """shutdown + exit; every message received after the replies already taken, until the end."""
    after = client.mark()
    client.send({"id": 999, "method": "shutdown"})
    client.send({"method": "exit"})
    assert client.wait_exit(TIMEOUT) == 0
    client.wait_until_closed(TIMEOUT)
    rest = [message for _, message in client.notifications[after:]]
    return [*rest, client.reply(999, TIMEOUT), *client.responses_left()]


def initialize_reply(caps: dict[str, Any], *, fast: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The initialize reply and every message after it (until exit)."""
    client = start(fast=fast)
    try:
        client.send(initialize(caps))
        reply = client.reply(1, TIMEOUT)
        client.send({"method": "initialized", "params": {}})
        return reply, close(client)
    finally:
        client.kill()


@pytest.mark.parametrize("caps", CAPABILITIES.values(), ids=CAPABILITIES.keys())
def test_early_answer_is_pygls_answer(caps: dict[str, Any]) -> None:
    fast, fast_rest = initialize_reply(caps, fast=True)
    slow, slow_rest = initialize_reply(caps, fast=False)
    assert "result" in slow
    assert fast == slow
    # pygls' own reply to the same initialize was swallowed: one reply in all
    assert [m for m in fast_rest if m.get("id") == 1 and "method" not in m] == []
    assert fast_rest == slow_rest


def test_answers_before_importing_lsprotocol(tmp_path: Path) -> None:
    """With an lsprotocol that cannot be imported, only the fast path still answers."""
    (tmp_path / "lsprotocol").mkdir()
    (tmp_path / "lsprotocol" / "__init__.py").write_text("raise ImportError('blocked by the test')\n")
    expected, _ = initialize_reply(CAPABILITIES["utf-32"], fast=False)
    for fast in (True, False):
        client = start(fast=fast, pythonpath=tmp_path)
        try:
            client.send(initialize(CAPABILITIES["utf-32"]))
            if fast:
                assert client.reply(1, TIMEOUT) == expected
            else:  # the server dies importing lsprotocol, without a reply
                assert client.wait_exit(TIMEOUT) != 0
                client.wait_until_closed(TIMEOUT)
                assert client.responses_left() == []
        finally:
            client.kill()


def test_first_message_not_initialize_takes_the_plain_path() -> None:
    client = start()
    try:
        client.send_body(b"{this is not json")
        assert client.null_id_reply(TIMEOUT)["error"]["code"] == -32700
        client.send(initialize(CAPABILITIES["utf-8"]))
        reply = client.reply(1, TIMEOUT)
        assert reply["result"]["capabilities"]["positionEncoding"] == "utf-8"
        rest = close(client)
        assert [m for m in rest if m.get("id") == 1] == []
    finally:
        client.kill()


@pytest.mark.parametrize("pull", [False, True], ids=["push", "pull"])
def test_session_works_after_fast_initialize(pull: bool) -> None:
    client = start()
    try:
        client.send(initialize(_plain(capabilities(pull=pull))))
        client.reply(1, TIMEOUT)
        client.send({"method": "initialized", "params": {}})
        document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
        if pull:
            params = {"textDocument": {"uri": POLYAXONFILE_URI}}
            diagnostics = client.request("textDocument/diagnostic", params, TIMEOUT)["items"]
        else:
            diagnostics = client.wait_diagnostics(POLYAXONFILE_URI, timeout=TIMEOUT)[1]
        assert [(d["code"], d["message"]) for d in diagnostics] == [("one-handler", ONE_HANDLER_MESSAGE)]
        close(client)
    finally:
        client.kill()


def _cold_start(fast: bool) -> float:
    """Seconds from spawning the server to reading its initialize reply."""
    client = start(fast=fast)
    try:
        _, received, _ = client.timed_request("initialize", initialize(CAPABILITIES["utf-8"])["params"], TIMEOUT)
        return received - client.spawned
    finally:
        client.kill()


def test_cold_start_is_faster() -> None:
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(5):  # interleaved, so load changes hit both alike
        for fast in (True, False):
            times[fast].append(_cold_start(fast))
    quick, plain = statistics.median(times[True]), statistics.median(times[False])
    print(
        f"\ncold start to the initialize reply (median of 5): fast {quick * 1000:.0f} ms, plain {plain * 1000:.0f} ms"
    )
    sys.stdout.flush()
    assert quick < plain


CACHE_PROBE = """
import sys
from plxinit.lsp import codecache
codecache.install()
import plxinit.lsp.server
print(len(codecache._new), len(codecache._cache))
codecache.save()
"""


def _probe(cache_home: Path) -> tuple[int, int]:
    """(code objects compiled anew, code objects known) when importing the server."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("PLX_LSP_NO_CODE_CACHE", None)
    done = subprocess.run([sys.executable, "-c", CACHE_PROBE], capture_output=True, text=True, env=env, check=True)
    new, known = done.stdout.split()
    return int(new), int(known)


def test_generated_code_comes_from_the_cache_on_the_second_start(tmp_path: Path) -> None:
    new, known = _probe(tmp_path)
    assert new > 500 and new == known  # lsprotocol's ~570 attrs classes, all compiled the first time
    [cache] = list((tmp_path / "plx-lsp").iterdir())
    assert cache.name.startswith(f"generated-{sys.implementation.cache_tag}-")
    assert _probe(tmp_path) == (0, known)  # the second start compiles nothing


def test_a_corrupt_code_cache_is_ignored(tmp_path: Path) -> None:
    _probe(tmp_path)
    [cache] = list((tmp_path / "plx-lsp").iterdir())
    cache.write_bytes(b"not marshal data")
    new, known = _probe(tmp_path)
    assert new > 500 and new == known  # compiled as without a cache, and the file is rewritten
    assert _probe(tmp_path) == (0, known)

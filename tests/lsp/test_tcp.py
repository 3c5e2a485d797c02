"""`plx-lsp --tcp HOST:PORT`: usage errors for a bad address, a working session on a good one."""

from __future__ import annotations

import re
import select
import subprocess

import pytest

from jsonrpc_client import Client
from samples import ONE_HANDLER_MESSAGE, TWO_HANDLERS

from .helpers import POLYAXONFILE_URI, SERVER_COMMAND, TIMEOUT

BAD_ADDRESSES = {
    "no port": ("localhost", "argument --tcp: expected HOST:PORT, got 'localhost'"),
    "port not a number": ("localhost:http", "argument --tcp: expected HOST:PORT, got 'localhost:http'"),
    "negative port": ("localhost:-1", "argument --tcp: expected HOST:PORT, got 'localhost:-1'"),
    "port too large": ("127.0.0.1:65536", "argument --tcp: port 65536 is out of range (0-65535)"),
    "host with a space": ("my host:2087", "argument --tcp: not a host name or address: 'my host'"),
}


@pytest.mark.parametrize("address, message", BAD_ADDRESSES.values(), ids=BAD_ADDRESSES.keys())
def test_a_bad_address_is_a_usage_error(address: str, message: str) -> None:
    done = subprocess.run([*SERVER_COMMAND, "--tcp", address], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[0].startswith("usage: plx-lsp ")
    assert done.stderr.splitlines()[-1] == f"plx-lsp: error: {message}"


def test_an_address_it_cannot_listen_on_is_a_usage_error() -> None:
    done = subprocess.run(
        [*SERVER_COMMAND, "--tcp", "no-such-host.invalid:2087"], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 2
    assert done.stderr.startswith("plx-lsp: cannot listen on no-such-host.invalid:2087: ")
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


def _first_stderr_line(process: subprocess.Popen[bytes]) -> str:
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], TIMEOUT)
    assert ready, "the server wrote nothing to stderr"
    return process.stderr.readline().decode()


def test_a_good_address_logs_where_it_listens_and_serves() -> None:
    process = subprocess.Popen(
        [*SERVER_COMMAND, "--tcp", "127.0.0.1:0"], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        line = _first_stderr_line(process)
        match = re.fullmatch(r"plx-lsp: listening on 127\.0\.0\.1:(\d+)\n", line)
        assert match, line
        client = Client.connect("127.0.0.1", int(match.group(1)))
        try:
            client.request("initialize", {"processId": None, "capabilities": {"textDocument": {"diagnostic": {}}}})
            client.notify("initialized", {})
            document = {"uri": POLYAXONFILE_URI, "languageId": "yaml", "version": 1, "text": TWO_HANDLERS}
            client.notify("textDocument/didOpen", {"textDocument": document})
            result = client.request("textDocument/diagnostic", {"textDocument": {"uri": POLYAXONFILE_URI}})
            assert [(d["code"], d["message"]) for d in result["items"]] == [("one-handler", ONE_HANDLER_MESSAGE)]
            assert client.request("shutdown", None) is None
            client.notify("exit", None)
            assert process.wait(TIMEOUT) == 0
        finally:
            client.kill()
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()

"""Running `plx-validate` as a user does, in a fresh process bounded in memory and time, and
checking its SARIF output: shared by the CLI tests."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from conftest import REPO

MEMORY_CAP = 1024 * 1024 * 1024
TIMEOUT = 120  # generous: a hang fails the test through it; nothing measures time


def run_cli(
    *args: str,
    cwd: Path | None = None,
    input: bytes | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    before: Callable[[], None] | None = None,
    code: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """The CLI (or `code`, a script that ends by running it) in a fresh process under MEMORY_CAP.

    `input` is piped to standard input, else `stdin` (a file descriptor) is, else /dev/null;
    `before` runs in the child before the CLI starts (to close a stream, say).
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        if before is not None:
            before()

    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "plxinit.cli", *args]
    completed = subprocess.run(
        command,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL if stdin is None else stdin,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        cwd=cwd,
        preexec_fn=limit,
        env={**os.environ, "NO_COLOR": "1"},
    )
    out = completed.stdout.decode() if completed.stdout is not None else ""
    return subprocess.CompletedProcess(command, completed.returncode, out, completed.stderr.decode())


SARIF_SCHEMA = json.loads((REPO / "tests" / "sarif-schema" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
# RFC 3986: the characters of a URI reference, and a `%` always followed by two hex digits
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def assert_valid_sarif(text: str) -> dict[str, Any]:
    """The output is SARIF 2.1.0 by the official schema, and every artifact URI is a URI reference."""
    sarif: dict[str, Any] = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    for run in sarif["runs"]:
        bases = run.get("originalUriBaseIds", {})
        for base in bases.values():
            assert base["uri"].startswith("file:///") and base["uri"].endswith("/")
        locations = [loc for r in run["results"] for loc in r["locations"] + r.get("relatedLocations", [])]
        for invocation in run.get("invocations", []):
            locations += [loc for n in invocation["toolExecutionNotifications"] for loc in n.get("locations", [])]
        for location in locations:
            artifact = location["physicalLocation"]["artifactLocation"]
            assert URI_REFERENCE.match(artifact["uri"]), artifact
            if "uriBaseId" in artifact:
                assert artifact["uriBaseId"] in bases
                assert ":" not in artifact["uri"].split("/")[0]  # would read as a scheme
    return sarif

"""Hostile texts: completion and hover in bounded memory, and they answer (or decline) rather than hang.

Each case runs in a fresh process with its address space capped; the only time limit is a
generous timeout that catches a hang (the speed itself is measured by the benchmarks).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

MEMORY_CAP = 768 * 1024 * 1024

SCRIPT = r"""
import json, sys
from plxinit.lsp.completion import complete
from plxinit.lsp.documents import Document
from plxinit.lsp.hover import hover

head = "kind: component\nrun:\n  kind: job\n  init:\n"
name = sys.argv[1]
if name == "dashes-30k":
    text = head + "    " + "- " * 30_000 + "x\n"
elif name == "dashes-100k":
    text = head + "    " + "- " * 100_000 + "\n"
elif name == "staircase":
    text = head + "".join(" " * (4 + depth) + "-\n" for depth in range(4_000))
elif name == "brackets":
    text = head + "    - " + "[" * 100_000 + "\n"
elif name == "braces":
    text = head + "    - " + "{git: " * 50_000 + "\n"
else:  # a 20 MB document
    entry = "    - git: {url: https://github.com/org/repo}\n      connection: c\n"
    text = head + entry * (20_000_000 // len(entry)) + "    - \n"
document = Document("file:///polyaxonfile.yaml", text, 1)
lines = document.lines
answers = []
for line in (4, len(lines) // 2, len(lines) - 2):
    width = len(lines[line])
    for column in (width, width // 2, 6):
        items = complete(document, line, column, "utf-16")
        answers.append(len(items))
        hover(document, line, column, "utf-16")
print(json.dumps({"answers": answers, "last": len(complete(document, len(lines) - 2, 6, "utf-16"))}))
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.parametrize("name", ["dashes-30k", "dashes-100k", "staircase", "brackets", "braces", "20mb"])
def test_hostile_text_in_bounded_memory(name: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, name],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_cap_memory,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout)
    assert len(result["answers"]) == 9
    if name == "20mb":
        assert result["last"] == 12  # the empty entry at the end still gets its keys

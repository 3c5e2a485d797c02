"""Honest limits of the YAML reader, run in subprocesses under a memory cap.

The alias limit bounds what aliases add (an alias bomb), not the size of the text: a large
alias-free file is read, and one past the node limit is called too large, not an alias bomb.
Each case runs with `resource.setrlimit(RLIMIT_AS)` and a generous timeout that only
catches hangs; nothing here is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

SERVER = Path(__file__).resolve().parents[1] / "server"
MB = 1024 * 1024
HANG = 600  # seconds: only a hang should ever reach it


def _read_capped(make_text: str, cap_mb: int) -> dict[str, Any]:
    """Build a text with the expression `make_text`, read it under a cap, report what came out."""
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(SERVER)!r})
        from plxinit.yamldoc import parse_document
        text = {make_text}
        resource.setrlimit(resource.RLIMIT_AS, ({cap_mb * MB}, {cap_mb * MB}))
        document = parse_document(text)
        root = document.root
        items = root.value.get("l") if root is not None and isinstance(root.value, dict) else None
        print(json.dumps({{
            "size_mb": len(text) / {MB},
            "read": root is not None,
            "diagnostics": [[d.code, d.message, d.range.start.line] for d in document.diagnostics],
            "shared": None if not items else all(item is items[0] for item in items),
        }}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_large_alias_free_file_is_read_not_called_an_alias_bomb() -> None:
    outcome = _read_capped('"l:\\n" + "- a\\n" * 509_999', cap_mb=1024)  # 510,001 nodes
    assert (outcome["read"], outcome["diagnostics"]) == (True, [])


@pytest.mark.parametrize(
    ("make_text", "line"),
    [
        ('"l: [" + "a," * (10 * 1024 * 1024 - 3) + "]"', 0),  # 20 MB, ten million one-character items
        ('"".join(f"k{i}: v\\n" for i in range(600_000))', 499_999),  # 600,000 keys: where it overflows
    ],
)
def test_a_file_past_the_node_limit_is_plainly_too_large(make_text: str, line: int) -> None:
    outcome = _read_capped(make_text, cap_mb=1024)
    assert outcome["read"] is False
    assert outcome["diagnostics"] == [
        ["too-complex", "The document has more than 1,000,000 YAML nodes; it is too large to validate.", line]
    ]


def test_an_alias_bomb_is_stopped_as_one() -> None:
    layers = ["a: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    outcome = _read_capped(repr("\n".join(layers) + "\n"), cap_mb=512)
    assert outcome["read"] is False
    [[code, message, line]] = outcome["diagnostics"]
    assert (code, line) == ("too-complex", 5)  # in `a5`, whose aliases add 111,111 nodes each
    assert message == "Aliases expand the document by more than 500,000 nodes (an alias bomb?); it is not validated."


def test_a_large_string_repeated_through_aliases_is_shared_not_copied() -> None:
    # 400 KB 300 times over would be 120 MB if the reader copied it; the cap is far below
    outcome = _read_capped('"s: &s " + "x" * 400_000 + "\\nl: [" + "*s, " * 300 + "]\\n"', cap_mb=200)
    assert (outcome["read"], outcome["diagnostics"], outcome["shared"]) == (True, [], True)


def _validate_capped(make_text: str, cap_mb: int) -> list[list[Any]]:
    """Validate the text built by `make_text` under a memory cap: its diagnostics, 1-based positions."""
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(SERVER)!r})
        from plxinit.validate import validate_text
        text = {make_text}
        resource.setrlimit(resource.RLIMIT_AS, ({cap_mb * MB}, {cap_mb * MB}))
        diagnostics = validate_text(text)
        print(json.dumps([[d.code, d.message, d.range.start.line + 1, d.range.start.column + 1] for d in diagnostics]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    diagnostics: list[list[Any]] = json.loads(done.stdout)
    return diagnostics


def _one_megabyte_used(uses: int) -> str:
    """An init entry anchoring a 1 MB string, and one that uses it `uses` times (a list: a type error)."""
    return (
        '"kind: component\\nrun:\\n  kind: job\\n  init:\\n    - connection: &s " + "x" * 1_000_000'
        f' + "\\n    - connection: [" + "*s, " * {uses} + "]\\n"'
    )


def test_a_long_string_used_through_many_aliases_is_stopped_at_the_alias_past_the_character_limit() -> None:
    # every validator copies a string at each use: a thousand uses of 1 MB took 1.1 GB before this limit
    diagnostics = _validate_capped(_one_megabyte_used(1000), cap_mb=300)
    message = (
        "Aliases expand the document by more than 150,000,000 characters of text (a string alias bomb?);"
        " it is not validated."
    )
    assert diagnostics == [["too-complex", message, 6, 20 + 4 * 150]]  # the 151st `*s`: 151 MB


def test_a_long_string_used_just_under_the_character_limit_is_validated_in_bounded_memory() -> None:
    diagnostics = _validate_capped(_one_megabyte_used(150), cap_mb=300)  # 150 MB of text once expanded
    assert diagnostics == [["type", "`connection` must be a string, not a list.", 6, 19]]


@pytest.mark.parametrize(
    ("make_text", "code"),
    [
        ('"a: " + "x" * (20 * 1024 * 1024)', None),  # one 20 MB scalar
        ('"a: " + "[" * (20 * 1024 * 1024)', "too-complex"),  # 20 MB of nesting
        ('"a: |\\n" + "  line\\n" * (3 * 1024 * 1024)', None),  # a 20 MB block scalar
    ],
)
def test_twenty_megabyte_worst_cases_stay_bounded(make_text: str, code: str | None) -> None:
    outcome = _read_capped(make_text, cap_mb=1024)
    assert outcome["size_mb"] >= 18
    assert [d[0] for d in outcome["diagnostics"]] == ([code] if code else [])

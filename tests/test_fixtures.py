"""Positive and negative fixtures: each file states its exact expected diagnostics.

A fixture's header lines `# expect: L:C-L:C severity code: message` list every
diagnostic (1-based lines, code-point columns, exclusive end). Positive fixtures are
files Polyaxon 2.18 accepts (no error may appear); negative ones are files it rejects,
one violation each.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from plxinit.validate import validate_text

EXPECT = re.compile(r"^# expect: (\d+):(\d+)-(\d+):(\d+) (error|warning|info) ([a-z-]+): (.*)$")


def _expectations(text: str) -> list[tuple[int, int, int, int, str, str, str]]:
    found = []
    for line in text.splitlines():
        match = EXPECT.match(line)
        if match:
            a, b, c, d = (int(match.group(i)) for i in range(1, 5))
            found.append((a, b, c, d, match.group(5), match.group(6), match.group(7)))
    return found


def _actual(text: str) -> list[tuple[int, int, int, int, str, str, str]]:
    return [
        (
            d.range.start.line + 1,
            d.range.start.column + 1,
            d.range.end.line + 1,
            d.range.end.column + 1,
            d.severity.value,
            d.code,
            d.message,
        )
        for d in validate_text(text)
    ]


def _files(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*.yaml"))


@pytest.mark.parametrize("path", _files("positive"), ids=lambda p: p.stem)
def test_positive_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = _expectations(text)
    assert all(e[4] != "error" for e in expected), "a positive fixture cannot expect an error"
    assert _actual(text) == expected


@pytest.mark.parametrize("path", _files("negative"), ids=lambda p: p.stem)
def test_negative_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = _expectations(text)
    assert any(e[4] == "error" for e in expected), "a negative fixture must expect an error"
    assert len({e[5] for e in expected if e[4] == "error"}) == 1, "one violation per negative fixture"
    assert _actual(text) == expected


def test_fixture_sets_cover_the_80_facts_cases() -> None:
    ids = {p.stem[:3] for kind in ("positive", "negative") for p in _files(kind) if re.match(r"c\d\d-", p.stem)}
    assert ids == {f"c{n:02d}" for n in range(1, 81)}

"""Which files are polyaxonfiles: by name (globs) or by content (the same rule as the extension).

The expectations live in tests/not-polyaxonfiles/ (a corpus of YAML files that are not
polyaxonfiles, and detection-cases.json), which the extension's unit tests read too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, require_corpus
from plxinit.detect import (
    DEFAULT_GLOBS,
    FILE_KINDS,
    POLYAXON_ONLY_KEYS,
    RUN_KINDS,
    SECTIONS,
    content_matches,
    is_polyaxonfile,
    matches_globs,
)
from plxinit.schema import load_schema

NOT_POLYAXONFILES = REPO / "tests" / "not-polyaxonfiles"
EXPECTATIONS = json.loads((NOT_POLYAXONFILES / "detection-cases.json").read_text(encoding="utf-8"))
MATCHING_TS = REPO / "vscode-extension" / "src" / "matching.ts"


def _corpus() -> list[Path]:
    return sorted(p for p in NOT_POLYAXONFILES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("case", EXPECTATIONS["cases"], ids=lambda case: case["why"])
def test_content_detection(case: dict[str, object]) -> None:
    assert content_matches(str(case["text"])) is case["polyaxonfile"]


def test_the_corpus_of_other_yaml_files_is_big_enough() -> None:
    assert len([p for p in _corpus() if p.name != "detection-cases.json"]) >= 20


@pytest.mark.parametrize("path", [p for p in _corpus() if p.name != "detection-cases.json"], ids=lambda p: p.name)
def test_other_yaml_files_are_not_polyaxonfiles(path: Path) -> None:
    # by content, and also by the whole rule with the file's own name
    assert content_matches(path.read_text(encoding="utf-8")) is False
    assert is_polyaxonfile(str(path), path.read_text(encoding="utf-8")) is False


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixtures_are_polyaxonfiles_unless_listed(path: Path) -> None:
    expected = f"{path.parent.name}/{path.name}" not in EXPECTATIONS["fixturesNotDetected"]
    assert content_matches(path.read_text(encoding="utf-8")) is expected


def test_every_listed_fixture_exists() -> None:
    assert all((FIXTURES / name).is_file() for name in EXPECTATIONS["fixturesNotDetected"])


def test_every_real_world_polyaxonfile_is_detected() -> None:
    files = sorted(require_corpus().glob("*.y*ml"))
    assert len(files) == 40
    missed = [p.name for p in files if not content_matches(p.read_text(encoding="utf-8"))]
    assert missed == []


def test_sections_are_the_schema_top_level_keys() -> None:
    body = load_schema()["$defs"]["polyaxonfile-body"]["properties"]
    assert set(body) == SECTIONS
    assert POLYAXON_ONLY_KEYS <= SECTIONS


def test_run_kinds_are_the_schema_run_kinds_and_the_removed_ones() -> None:
    run_kind = load_schema()["$defs"]["run-kind"]
    assert set(run_kind["enum"]) | set(run_kind["x-plx-removed"]) == RUN_KINDS


def _ts_set(name: str) -> set[str]:
    """The string literals of `const NAME = new Set([...])` in matching.ts."""
    source = MATCHING_TS.read_text(encoding="utf-8")
    match = re.search(rf"const {name} = new Set\(\[(.*?)\]\)", source, re.DOTALL)
    assert match, f"{name} not found in matching.ts"
    return set(re.findall(r"'([^']*)'", match.group(1)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("FILE_KINDS", FILE_KINDS),
        ("RUN_KINDS", RUN_KINDS),
        ("SECTIONS", SECTIONS),
        ("POLYAXON_ONLY_KEYS", POLYAXON_ONLY_KEYS),
    ],
)
def test_the_extension_uses_the_same_word_lists(name: str, expected: frozenset[str]) -> None:
    assert _ts_set(name) == expected


def test_a_run_line_100000_levels_deep_is_read_in_one_pass() -> None:
    # The old detector removed one level per pass (quadratic: minutes here); the generous
    # timeout catches a return to that, the memory cap a recursive reader.
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from plxinit.detect import content_matches;"
        "deep = 'run: ' + '{' * 100_000 + '}' * 99_990;"
        "mixed = 'run: {kind: job, a: ' + '[{' * 60_000;"
        "print(content_matches(deep), content_matches(mixed))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "False True\n", "")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("polyaxonfile.yaml", True),
        ("/repo/ml/polyaxonfile-train.yml", True),
        ("jobs/train.plx.yaml", True),
        ("/repo/polyaxon/jobs/train.yaml", True),
        ("C:\\repo\\.polyaxon\\preset.yml", True),
        ("/repo/k8s/deployment.yaml", False),
        ("/repo/polyaxonfile.json", False),
    ],
)
def test_name_detection(path: str, expected: bool) -> None:
    assert matches_globs(path, DEFAULT_GLOBS) is expected


def test_only_the_first_200000_code_points_are_read() -> None:
    # the same cut as matching.ts, which counts code points too (an emoji counts once)
    assert content_matches("# " + "😀" * 199_990 + "\nkind: component\n") is False
    assert content_matches("# " + "😀" * 10 + "\nkind: component\n") is True


def test_a_byte_order_mark_does_not_hide_the_first_key() -> None:
    assert content_matches("\ufeffkind: component\n") is True
    assert content_matches("\ufeffapiVersion: v1\nkind: Pod\n") is False

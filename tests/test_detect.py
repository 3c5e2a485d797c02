"""Which files are polyaxonfiles: by name (globs) or by content (the same rule as the extension)."""

from __future__ import annotations

import pytest

from plxinit.detect import DEFAULT_GLOBS, content_matches, matches_globs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind: component\n", True),
        ("kind: 'operation'  # comment\n", True),
        ('{"kind": "component", "run": {}}', True),
        ("run:\n  kind: job\n", True),
        ("run:\n  # comment\n  kind: job\n", True),
        ("run: {kind: job}\n", True),
        ("run: {init: [], kind: job}\n", True),
        ("kind: Pod\n", False),
        ("run:\n  init:\n    - kind: x\n", False),
        ("run:\n  container:\n    kind: x\nother:\n  kind: y\n", False),
        ("run: {init: [{kind: a}]}\n", False),
        ("apiVersion: v1\nkind: Pod\nspec:\n  run:\n    kind: x\n", False),
    ],
)
def test_content_detection(text: str, expected: bool) -> None:
    assert content_matches(text) is expected


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

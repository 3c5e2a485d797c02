"""The generated part of the schema (schema/generated/polyaxon.json) is what Polyaxon's models give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))
from harness import REPO, oracle_python

GENERATOR = REPO / "schema" / "tools" / "gen_polyaxon.py"


def test_generated_polyaxon_defs_are_up_to_date() -> None:
    python = oracle_python()
    if python is None or not python.exists():
        pytest.skip("no oracle venv (.venv-oracle or PLX_ORACLE_PYTHON) to run gen_polyaxon.py --check")
    proc = subprocess.run([str(python), str(GENERATOR), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def _diagnostics(text: str) -> list[tuple[int, int, int, int, str, str, str]]:
    from plxinit.validate import validate_text

    return [
        (
            d.range.start.line,
            d.range.start.column,
            d.range.end.line,
            d.range.end.column,
            d.severity.value,
            d.code,
            d.message,
        )
        for d in validate_text(text)
    ]


JOB = "kind: component\nrun:\n  kind: job\n  container: {image: busybox}\n"
NO_TEMPLATE = "a `{{ ... }}` template (templates are not accepted here)."


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        # the keys the Kubernetes client requires are errors (V1Volume(name=None) raises), in any spelling
        # Polyaxon turns into them (`Name`)...
        (
            "  volumes:\n    - emptyDir: {}\n",
            [
                (
                    5,
                    6,
                    5,
                    14,
                    "error",
                    "required",
                    "A Volume needs `name`: Kubernetes requires it.",
                )
            ],
        ),
        (
            "  volumes:\n    - {name: ~, emptyDir: {}}\n",
            [(5, 13, 5, 14, "error", "invalid-value", "`name` cannot be null: Kubernetes requires it in a Volume.")],
        ),
        ("  volumes:\n    - {Name: cache, emptyDir: {}}\n", []),
        # ...while a value of the wrong type stays a warning
        (
            "  volumes:\n    - {name: 1}\n",
            [(5, 13, 5, 14, "warning", "type", '`name` must be a string, not an integer. Quote it: "1".')],
        ),
        # an item that is not a mapping is an error ("This field expects a dict or an instance of V1Volume")
        (
            "  volumes:\n    - cache\n",
            [(5, 6, 5, 11, "error", "type", "Item 1 of `volumes` (`run.volumes[0]`) must be a mapping, not a string.")],
        ),
        # `validate_volumes` / `validate_helper_containers` refuse anything but a list: no template
        (
            "  volumes: '{{ vols }}'\n",
            [
                (
                    4,
                    11,
                    4,
                    23,
                    "error",
                    "type",
                    "`volumes` must be a list of mappings, not " + NO_TEMPLATE,
                )
            ],
        ),
        (
            "  sidecars: '{{ cars }}'\n",
            [
                (
                    4,
                    12,
                    4,
                    24,
                    "error",
                    "type",
                    "`sidecars` must be a list of mappings, not " + NO_TEMPLATE,
                )
            ],
        ),
    ],
)
def test_kubernetes_leaves_and_lists_as_polyaxon_checks_them(section: str, expected: list[tuple[Any, ...]]) -> None:
    assert _diagnostics(JOB + section) == expected


def test_a_pod_failure_policy_takes_no_template() -> None:
    text = "kind: component\nrun: {kind: job, container: {image: b}}\ntermination: {podFailurePolicy: '{{ p }}'}\n"
    message = "`podFailurePolicy` must be a mapping, not a `{{ ... }}` template (templates are not accepted here)."
    assert _diagnostics(text) == [(2, 32, 2, 41, "error", "type", message)]


def test_overlay_rules_are_added_to_generated_ones() -> None:
    sys.path.insert(0, str(REPO / "schema" / "tools"))
    from build import _merge

    generated = {"allOf": [{"if": {"not": {"required": ["num_runs"]}}, "then": {"required": ["numRuns"]}}]}
    overlay = {"allOf": [{"x-plx-rule": "r"}], "x-plx-replace": False}
    assert _merge(generated, overlay)["allOf"] == [*generated["allOf"], {"x-plx-rule": "r"}]
    assert _merge(generated, {"allOf": [{"a": 1}], "x-plx-replace": True}) == {"allOf": [{"a": 1}]}

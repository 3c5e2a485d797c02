"""The YAML reader's verdicts checked against Polyaxon 2.18.0 itself (the oracle).

Merge keys: PyYAML 6.0.x de-duplicates merged keys by the identity of the key's string, so
for `<<: [A, B]` where both set `connection`, B's value wins (not A's, as the YAML spec and
PyYAML 6.0.1 say); Polyaxon accepts or rejects the entry by that value. Tagged values
PyYAML cannot construct are rejected by Polyaxon, and are errors for us.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))
from harness import ORACLE_HELP, oracle_python, run_oracle

from plxinit.yamldoc import MappingNode, SequenceNode, parse_document

HEAD = "kind: component\nrun:\n  kind: job\n  container: {image: busybox}\n  init:\n"
BAD, GOOD = "{connection: 1}", "{connection: data}"
MERGES = {
    "good-last": (f"  - <<: [{BAD}, {GOOD}]\n", "data"),
    "bad-last": (f"  - <<: [{GOOD}, {BAD}]\n", 1),
    # the first entry (valid: GOOD is its last source) anchors both sources for the second
    "alias-bad-last": (f"  - <<: [&b {BAD}, &g {GOOD}]\n  - <<: [*g, *b]\n", 1),
    "alias-good-last": (f"  - <<: [&b {BAD}, &g {GOOD}]\n  - <<: [*b, *g]\n", "data"),
}
TAGGED = ["!!bool maybe", "!!int ''", "!!int +", "!!float ''", "!!timestamp x", "!!omap {a: 1}", "!!pairs [a]",
          "!!set [a]", "!!str [a]", "!!null [a]", "!!map a", "!!seq {a: 1}"]  # fmt: skip


def _cases() -> dict[str, str]:
    cases = {f"merge-{name}": HEAD + entries for name, (entries, _) in MERGES.items()}
    cases.update({f"tag-{value}": HEAD + f"  - connection: {value}\n" for value in TAGGED})
    return cases


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, Any]]:
    if os.environ.get("PLX_SKIP_ORACLE") == "1":
        pytest.skip("PLX_SKIP_ORACLE=1: oracle tests skipped")
    python = oracle_python()
    if python is None or not python.exists():
        pytest.fail(ORACLE_HELP)
    return run_oracle(_cases().items(), python)


def _last_entry_connection(text: str) -> Any:
    document = parse_document(text)
    assert isinstance(document.root, MappingNode) and not document.diagnostics
    run = document.root.get("run")
    assert run is not None and isinstance(run[1], MappingNode)
    init = run[1].get("init")
    assert init is not None and isinstance(init[1], SequenceNode)
    return init[1].value[-1]["connection"]


@pytest.mark.parametrize("name", list(MERGES))
def test_the_merged_value_that_wins_is_pyyamls_and_polyaxon_judges_it(
    name: str, verdicts: dict[str, dict[str, Any]]
) -> None:
    text = HEAD + MERGES[name][0]
    winner = MERGES[name][1]
    assert _last_entry_connection(text) == winner
    assert yaml.safe_load(text)["run"]["init"][-1]["connection"] == winner
    assert verdicts[f"merge-{name}"]["valid"] is (winner == "data")


@pytest.mark.parametrize("value", TAGGED)
def test_a_tag_polyaxon_cannot_construct_is_a_yaml_error_for_both(
    value: str, verdicts: dict[str, dict[str, Any]]
) -> None:
    verdict = verdicts[f"tag-{value}"]
    assert (verdict["valid"], verdict["level"]) == (False, "yaml")
    document = parse_document(HEAD + f"  - connection: {value}\n")
    column = 25 if value == "!!pairs [a]" else 16  # a pair of the wrong shape is reported on itself
    assert [(d.code, d.range.start.line, d.range.start.column) for d in document.diagnostics] == [
        ("yaml-syntax", 5, column)
    ]

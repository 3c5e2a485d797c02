"""The differential generator covers what issue 8 asks of it, within the CI's number of cases.

No oracle needed: this checks the generated cases themselves (their tags and texts), so that a
change to the generator cannot silently stop exercising a rule the differential test is meant
to keep honest. test_differential.py runs the same cases through Polyaxon and through us.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SEED, generate_cases, make_document_case

CI_COUNT = int(os.environ.get("PLX_DIFF_CASES", "3000"))

#: A tag (or tag prefix) per feature; every one must appear among the CI's cases.
REQUIRED_TAGS = [
    # documents of every kind, over references, nested DAGs, presets
    "doc:component", "doc:operation[", "doc:operation-refs", "doc:dag[", "doc:kindless", "doc:preset",
    "doc:compiled_operation", "dag.nested", "dag.node.two-refs", "ref:hubRef", "ref:dagRef", "ref:urlRef",
    "ref:pathRef",
    # every replica layout
    "doc:component[tfjob]", "doc:component[pytorchjob]", "doc:component[mpijob]", "doc:component[daskcluster]",
    "doc:component[raycluster]", "replica='{{ replica }}'", "replica=~", "ray.workers='{{ workers }}'",
    "=~ (ray worker group)", "='{{ g }}' (ray worker group)",
    # the structure rules of issue 8 section 2
    "version=yes", "version=true", "version=off", "version='inf'", "version='nan'", "version='1_1'",
    'version="\\u00a01"', "version='_1'", "version='1__1'", "version='0x1'", "version='1,1'", "version='١'",
    "runPatch.kind=", "patchStrategy=Replace", "patchStrategy=pre_merge", "isPreset=maybe", "isPreset='{{ p }}'",
    "dag.operations='{{ operations }}'", "dag.nested.operations='{{ operations }}'",
    # YAML: anchors, aliases, merge keys in both orders over 1- and 2+-character keys
    "anchor:", "merge:single", "merge:list[good,bad]", "merge:list[bad,good]", "merge:workers.w[good,bad]",
    "merge:workers.w[bad,good]", "merge:workers.gpu[good,bad]", "merge:workers.gpu[bad,good]",
    # explicit tags, including failing constructors and tags on the wrong kind of node
    "=!!bool maybe", "=!!int ''", "=!!timestamp x", "=!!omap {a: 1}", "=!!str [a]",
    # text: CRLF, BOM, tabs
    "text:crlf", "text:bom", "text:tab-after-colon", "text:trailing-tab",
]  # fmt: skip

#: Whole-document cases whose field x YAML-type sweep visits every pair (see documents.py)
SWEEP_CASES = 30000


@pytest.fixture(scope="module")
def tags() -> list[str]:
    return [tag for case in generate_cases(CI_COUNT) for tag in case.tags]


@pytest.mark.parametrize("wanted", REQUIRED_TAGS)
def test_ci_cases_cover(tags: list[str], wanted: str) -> None:
    if wanted.endswith(" (ray worker group)"):
        value = wanted.removesuffix(" (ray worker group)")
        found = any(tag.startswith("ray.workers.") and tag.endswith(value) for tag in tags)
    else:
        found = any(wanted in tag for tag in tags)
    assert found, f"no generated case has a tag with {wanted!r}"


def test_both_families_in_ci_run() -> None:
    cases = generate_cases(CI_COUNT)
    assert len(cases) == CI_COUNT >= 2000
    init_cases = [c for c in cases if c.id.startswith("c")]
    documents = [c for c in cases if c.id.startswith("d")]
    assert len(init_cases) == (CI_COUNT + 1) // 2 and len(documents) == CI_COUNT // 2
    assert len({c.id for c in cases}) == CI_COUNT


def test_cases_are_deterministic() -> None:
    assert make_document_case(17).text == make_document_case(17).text
    assert make_document_case(17, SEED).text != make_document_case(17, SEED + 1).text


def test_every_init_field_meets_every_yaml_type() -> None:
    """Every (init field, YAML type) pair appears in the first SWEEP_CASES whole documents."""
    from documents import INIT_FIELDS, YAML_TYPES

    swept = {tag for index in range(SWEEP_CASES) for tag in make_document_case(index).tags if tag.startswith("sweep:")}
    missing = [
        f"sweep:{handler or 'entry'}.{field}={token}"
        for handler, field in INIT_FIELDS
        for token in YAML_TYPES
        if f"sweep:{handler or 'entry'}.{field}={token}" not in swept
    ]
    assert not missing, missing

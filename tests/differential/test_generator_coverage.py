"""The differential generators cover what issues 8 and 10 ask of them, within the CI's number of cases.

No oracle needed: this checks the generated cases themselves (their tags and texts), so that a
change to a generator cannot silently stop exercising a rule the differential test is meant
to keep honest. test_differential.py (init, issue 8) and test_wholefile_differential.py (the
whole file, issue 10) run the same cases through Polyaxon and through us.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SEED, generate_cases, make_document_case
from wholefile import (
    DAG_DEFECTS,
    ENUMS,
    IO_BUILTIN_TYPES,
    IO_GENERIC_TYPES,
    IO_NAMED_TYPES,
    SWEEP,
    SWEEP_EVERY,
    VALIDATION_ARGS,
    generate_wholefile_cases,
    load_seeds,
)

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


# ---------------------------------------------------------------- the whole-file generator (issue 10 §2)

#: What test_wholefile_differential.py runs in CI (PLX_WHOLEFILE_CASES, default 2,000).
CI_WHOLEFILE_COUNT = int(os.environ.get("PLX_WHOLEFILE_CASES", "2000"))


@pytest.fixture(scope="module")
def wholefile_tags() -> dict[str, list[str]]:
    """Tags of the CI's whole-file cases: `section` (g*, one tag per generated section), `mutation` (m*)."""
    cases = generate_wholefile_cases(CI_WHOLEFILE_COUNT, seeds=load_seeds())
    return {
        "section": [tag for case in cases if case.id.startswith("g") for tag in case.tags[1:]],
        "mutation": [case.tags[0] for case in cases if case.id.startswith("m")],
    }


def _io_tags(tags: list[str]) -> list[tuple[str, bool, str, list[str]]]:
    """(type, isList, value kind, predicates) of every `io:` tag."""
    found = []
    for tag in tags:
        if tag.startswith("io:"):
            head, predicates = tag[3:].split("+", 1)
            io_type, kind = head.rsplit("=", 1)
            found.append((io_type.removesuffix("[list]"), io_type.endswith("[list]"), kind, predicates.split("+")))
    return found


def test_the_sweep_fits_in_the_ci_run() -> None:
    """Every SWEEP item gets its own section case among the CI's (the rare rules are not left to chance)."""
    section_cases = CI_WHOLEFILE_COUNT - CI_WHOLEFILE_COUNT * 7 // 10
    assert section_cases // SWEEP_EVERY >= len(SWEEP), (section_cases, SWEEP_EVERY, len(SWEEP))
    assert len(set(SWEEP)) == len(SWEEP)


def test_every_io_type_and_predicate_is_met(wholefile_tags: dict[str, list[str]]) -> None:
    """IO `value` against `type` (the 21 names, the builtins, generics, isList) and each `validation` predicate."""
    ios = _io_tags(wholefile_tags["section"] + wholefile_tags["mutation"])
    types = {io_type for io_type, *_ in ios}
    missing = [t for t in IO_NAMED_TYPES + IO_BUILTIN_TYPES if t not in types]
    assert not missing, f"IO types never generated: {missing}"
    assert len(types & set(IO_GENERIC_TYPES)) >= len(IO_GENERIC_TYPES) // 2, types
    assert sum(1 for _, is_list, _, _ in ios if is_list) >= 20
    predicates = {name for *_, names in ios for name in names}
    missing = [name for name in VALIDATION_ARGS if name not in predicates]
    assert not missing, f"validation predicates never generated: {missing}"
    assert {"io.options"} & predicates and any(p.startswith("io.delay") for p in predicates)
    # a value that fits its type and one that does not, for most types: both verdicts are measured
    kinds_per_type = {t: {kind for io_type, _, kind, _ in ios if io_type == t} for t in IO_NAMED_TYPES}
    assert sum(1 for kinds in kinds_per_type.values() if len(kinds) >= 2) >= 15, kinds_per_type
    assert len(ios) >= 0.1 * CI_WHOLEFILE_COUNT, "IO entries should be a tenth of the cases or more"


def test_every_dag_defect_is_met(wholefile_tags: dict[str, list[str]]) -> None:
    section = {d for tag in wholefile_tags["section"] if tag.startswith("dag:") for d in tag[4:].split("+")}
    missing = [defect for defect in DAG_DEFECTS if defect not in section]
    assert not missing, f"DAG defects never generated: {missing}"
    assert "valid" in section
    assert any(tag.startswith("dag:") for tag in wholefile_tags["mutation"]), "no seed DAG was mutated"


def test_params_hooks_build_schedule_environment_aliases_are_met(wholefile_tags: dict[str, list[str]]) -> None:
    tags = wholefile_tags["section"]
    params = ",".join(tag for tag in tags if tag.startswith("params:"))
    for wanted in ("short", "full:", "ref", "toInit", "toEnv", "contextOnly", "connection"):
        assert wanted in params, f"no generated param with {wanted!r}"
    triggers = {part.split("=", 1)[1] for tag in tags if tag.startswith("hooks:") for part in tag[6:].split(",")}
    missing = [trigger for trigger in ENUMS["trigger"] if trigger not in triggers]
    assert not missing, f"hook triggers never generated: {missing}"
    builds = {field for tag in tags if tag.startswith("build:") for field in tag[6:].split("+")}
    assert {"hubRef", "hub_ref", "connection", "params", "queue"} <= builds, builds
    schedules = ",".join(tag for tag in tags if tag.startswith("schedule:"))
    for wanted in ("cron:", "interval:", "datetime:", "startAt=str", "startAt=datetime", "startAt=date", "start_at="):
        assert wanted in schedules, f"no generated schedule with {wanted!r}"
    environment = ",".join(tag for tag in tags if tag.startswith("environment:"))
    # GenericStr values (FINDINGS, "Whole file"): every YAML type, in each of the three mappings
    for kind in ("str", "int", "float", "bool", "list", "dict", "null"):
        assert f".value={kind}" in environment, f"no labels/annotations/nodeSelector value of type {kind}"
    for key in ("labels", "annotations", "nodeSelector"):
        assert environment.count(f"{key}.value=") >= 5, f"{key}: too few generated values"
    assert "tolerations=dict" in environment and "tolerations=str" in environment
    aliases = {tag for tag in tags if tag.startswith("matrix-alias:")}
    assert any(tag.endswith(":snake") for tag in aliases) and any(tag.endswith(":both") for tag in aliases)


def test_wholefile_generation_is_deterministic() -> None:
    seeds = load_seeds()
    first = generate_wholefile_cases(400, seeds=seeds)
    assert [c.text for c in first] == [c.text for c in generate_wholefile_cases(400, seeds=seeds)]
    other = generate_wholefile_cases(400, seed=SEED + 1, seeds=seeds)
    assert [c.text for c in first] != [c.text for c in other]

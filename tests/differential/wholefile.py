"""Whole-file cases for the differential test (issue 10): mutations of real files, and sections.

Two families, deterministic from a seed number:

* `m*` mutations: a seed polyaxonfile (tests/differential/seeds/, the positive fixtures, and
  ../shared/corpus/realworld/*.yaml when that corpus is present) is parsed, ONE mutation is
  applied somewhere outside `init`, as a user would make it, and the data is dumped back:
  key typos (a letter changed, snake_case for camelCase, a wrong case), a value of the wrong
  type (int, str, float, bool, list, dict, null, a `{{ }}` template), a deleted key, an added
  unknown key, an enum value changed (to another valid one or to a wrong one); and, for
  RULE_MUTATION_SHARE of them, a mutation aimed at a rule (`mutate_rule`): an IO entry rebuilt
  by `make_io`, or one DAG_DEFECTS item applied to a DAG of the seed.
* `g*` sections: a small valid component or operation, then 1-3 sections each set to one
  documented shape, valid or not (SECTION_VALUES), or built by a rule-directed maker
  (SECTION_MAKERS: IO type x value x validation, params, DAG structure, hooks, build,
  schedule dates, environment values and tolerations, snake_case aliases of required keys).

Each case is a `generate.Case`: `placement` is the section (`run.<key>` inside run), `tags`
are [mutation kind, path]. Mutations under a `runPatch` are `compare=False` (Polyaxon keeps
patches untyped at check time: FINDINGS N1-N3).

    python tests/differential/wholefile.py --show 17            # m17, as in a run's report
    python tests/differential/wholefile.py --show-section 17    # g17
    python tests/differential/wholefile.py --count 20000      # runs the oracle, prints agreement
"""

from __future__ import annotations

import argparse
import copy
import datetime
import random
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from generate import Case

SEED = 20261202
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEEDS_DIR = HERE / "seeds"
FIXTURES_POSITIVE = REPO / "tests" / "fixtures" / "positive"
CORPUS_DIR = REPO.parent / "shared" / "corpus" / "realworld"

Path_ = tuple[Any, ...]

#: Enumerations Polyaxon 2.18.0 types (facts §1.3), by the key that holds them.
ENUMS: dict[str, list[str]] = {
    "kind": [
        "component", "operation", "job", "service", "dag", "tfjob", "pytorchjob", "mpijob", "daskcluster",
        "raycluster", "notifier", "cleaner", "tuner", "random", "grid", "hyperband", "bayes", "tpe", "iterative",
        "mapping", "choice", "pchoice", "range", "daterange", "datetimerange", "linspace", "logspace", "geomspace",
        "uniform", "quniform", "loguniform", "qloguniform", "normal", "qnormal", "lognormal", "qlognormal", "cron",
        "interval", "datetime", "metric_early_stopping", "failure_early_stopping", "median", "diff", "truncation",
    ],
    "trigger": [
        "all_succeeded", "all_failed", "all_done", "one_succeeded", "one_failed", "one_done", "succeeded", "failed",
        "stopped", "done", "skipped", "upstream_failed",
    ],
    "sections": ["containers", "init", "connections"],
    "patchStrategy": ["replace", "isnull", "post_merge", "pre_merge"],
    "cleanPodPolicy": ["All", "Running", "None"],
    "restartPolicy": ["Always", "OnFailure", "Never", "ExitCode"],
    "optimization": ["maximize", "minimize"],
    "acquisitionFunction": ["ucb", "ei", "poi"],
    "kernel": ["rbf", "matern"],
    "kinds": ["run_status_succeeded", "run_status_failed", "run_status_done", "connection_git_commit"],
    "logLevel": ["INFO", "DEBUG", "WARNING", "ERROR"],
    "type": ["int", "float", "str", "bool", "dict", "list", "path", "uri", "git", "image", "date", "datetime"],
}  # fmt: skip
WRONG_ENUM = ["foo", "Job", "JOB", "all-succeeded", "minimise", "", "random_search", "cronjob", "{{ k }}"]
TYPE_SWAPS: list[Any] = [1, 0, -3, 2.5, "text", "1", "true", True, False, None, [], ["a"], [1, 2], {}, {"a": 1}]
TEMPLATE = "{{ value }}"
UNKNOWN_KEYS = ["foo", "extra", "nmae", "comment", "labels", "x", "isoptional", "Name", "value2"]

#: How often a mutation is aimed at a rule (mutate_rule) when the seed has IO entries or a DAG.
RULE_MUTATION_SHARE = 0.3

#: Keys whose subtree is `init` (issue 8's domain, covered by test_differential.py).
SKIP_KEYS = {"init"}


def load_seeds() -> list[tuple[str, Any]]:
    """(label, data) for every seed that parses to a mapping: ours, positive fixtures, the corpus."""
    paths = sorted(SEEDS_DIR.glob("*.yaml")) + sorted(FIXTURES_POSITIVE.glob("*.yaml"))
    if CORPUS_DIR.is_dir():
        paths += sorted(p for p in CORPUS_DIR.iterdir() if p.suffix in (".yaml", ".yml"))
    seeds = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if isinstance(data, dict):
            seeds.append((f"{path.parent.name}/{path.name}", data))
    return seeds


def accepted_seeds(python: Path) -> tuple[list[tuple[str, Any]], list[str]]:
    """The seeds Polyaxon and we both accept as they are (a mutation of a rejected seed tells nothing).

    Returns (kept, dropped), dropped as "label: why". The real-world DAGs whose operations use
    hubRef/urlRef fail offline ("Pipeline op has no definition field"): the oracle cannot fetch them.
    """
    from harness import has_error, our_diagnostics, run_oracle

    seeds = load_seeds()
    verdicts = run_oracle(((label, _dump(data)) for label, data in seeds), python)
    kept, dropped = [], []
    for label, data in seeds:
        verdict = verdicts[label]
        if not verdict["valid"]:
            dropped.append(f"{label}: polyaxon rejects it: {(verdict['error'] or '').splitlines()[0][:120]}")
        elif has_error(our_diagnostics(_dump(data))):
            dropped.append(f"{label}: we reject it (Polyaxon accepts)")
        else:
            kept.append((label, data))
    return kept, dropped


def _walk(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SKIP_KEYS:
                continue
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def section_of(path: Path_) -> str:
    """`run.<key>` under run, `component.run.<key>` under an inline component, else the top key."""
    keys = [step for step in path if isinstance(step, str)]
    if not keys:
        return "(root)"
    if keys[0] == "component" and len(keys) > 1:
        return "component." + section_of(tuple(keys[1:]))
    if keys[0] == "run" and len(keys) > 1:
        return f"run.{keys[1]}"
    return keys[0]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _typo(key: str, rng: random.Random) -> tuple[str, str]:
    """(how, new key): one letter changed, snake_case of a camelCase key, or a wrong case."""
    options = ["letter", "case"]
    if any(c.isupper() for c in key[1:]):
        options += ["snake", "snake"]
    how = rng.choice(options)
    if how == "snake":
        return "typo-snake", _snake(key)
    if how == "case":
        variant = rng.choice([key.upper(), key.capitalize(), key.lower(), key.swapcase()])
        if variant != key:
            return "typo-case", variant
    chars = list(key) or ["k"]
    index = rng.randrange(len(chars))
    chars[index] = rng.choice([c for c in string.ascii_lowercase if c != chars[index].lower()])
    return "typo-letter", "".join(chars)


def _rename(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    """Rename a key in place, keeping its position."""
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def _io_entries(data: Any) -> list[Path_]:
    """Paths of the inputs/outputs entries anywhere in a file (a DAG's components too)."""
    return [
        path
        for path, node in _walk(data)
        if isinstance(node, dict) and len(path) >= 2 and path[-2] in ("inputs", "outputs") and isinstance(path[-1], int)
    ]


def _dag_runs(data: Any) -> list[Path_]:
    """Paths of the dag runs (`kind: dag` with a list of operations) anywhere in a file."""
    return [
        path
        for path, node in _walk(data)
        if isinstance(node, dict) and node.get("kind") == "dag" and isinstance(node.get("operations"), list)
    ]


def mutate_rule(data: Any, rng: random.Random) -> tuple[str, Path_, Any] | None:
    """A mutation aimed at a rule: an IO entry rebuilt by make_io, or a DAG_DEFECTS item on a dag."""
    data = copy.deepcopy(data)
    entries, dags = _io_entries(data), _dag_runs(data)
    if entries and (not dags or rng.random() < 0.5):
        path = rng.choice(entries)
        old = _get(data, path)
        io, tag = make_io(rng)
        if isinstance(old.get("name"), str) and "name" in io and rng.random() < 0.8:
            io["name"] = old["name"]  # keep the references to it (params, templates) meaningful
        _get(data, path[:-1])[path[-1]] = io
        return tag, path, data
    if dags:
        path = rng.choice(dags)
        defect = rng.choice(DAG_DEFECTS)
        if apply_dag_defect(_get(data, path), defect, rng):
            return f"dag:{defect}", (*path, "operations"), data
    return None


def mutate(data: Any, rng: random.Random) -> tuple[str, Path_, Any] | None:
    """Apply one mutation outside `init`; returns (kind, path, the data) or None when nothing applies."""
    if rng.random() < RULE_MUTATION_SHARE:
        aimed = mutate_rule(data, rng)
        if aimed is not None:
            return aimed
    data = copy.deepcopy(data)
    by_section: dict[str, list[tuple[Path_, Any]]] = {}
    for path, node in _walk(data):
        if path:
            by_section.setdefault(section_of(path), []).append((path, node))
    # A section first (weighted by the square root of its size), then a node in it: the big
    # `run` trees do not crowd out cache, hooks or termination, nor do one-node scalars dominate.
    sections = sorted(by_section)
    weights = [len(by_section[name]) ** 0.5 for name in sections]
    for _ in range(20):
        path, node = rng.choice(by_section[rng.choices(sections, weights=weights)[0]])
        parent = _get(data, path[:-1])
        last = path[-1]
        kind = rng.choice(["typo", "typo", "type", "type", "delete", "unknown", "enum", "template"])
        if kind == "typo" and isinstance(last, str):
            how, new = _typo(last, rng)
            if new in parent:
                continue
            _rename(parent, last, new)
            return how, path, data
        if kind == "type":
            choices = [v for v in TYPE_SWAPS if type(v) is not type(node) or v != node]
            parent[last] = copy.deepcopy(rng.choice(choices))
            return f"type-{type(parent[last]).__name__}", path, data
        if kind == "template" and not isinstance(node, str):
            parent[last] = TEMPLATE
            return "template", path, data
        if kind == "delete":
            del parent[last]
            return "delete", path, data
        if kind == "unknown" and isinstance(node, dict):
            key = rng.choice(UNKNOWN_KEYS)
            if key in node:
                continue
            node[key] = rng.choice(["x", 1, True, None])
            return "unknown-key", (*path, key), data
        if kind == "enum" and isinstance(node, str):
            key = next((step for step in reversed(path) if isinstance(step, str)), "")
            if key in ENUMS:
                if rng.random() < 0.5:
                    parent[last] = rng.choice([v for v in ENUMS[key] if v != node])
                    return "enum-other", path, data
                parent[last] = rng.choice(WRONG_ENUM)
                return "enum-wrong", path, data
    return None


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1000)


def _path_text(path: Path_) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _is_preset(data: Any) -> bool:
    """`isPreset` as Polyaxon reads it (a lax bool): true, 1, `yes`, `on`, ..."""
    flag = data.get("isPreset", data.get("is_preset")) if isinstance(data, dict) else None
    return flag is True or flag == 1 or (isinstance(flag, str) and flag.lower() in ("true", "yes", "on", "t", "y", "1"))


def _untyped_patch(data: Any, path: Path_) -> bool:
    """A path inside a patch Polyaxon keeps untyped at check time (FINDINGS N1-N3).

    `build.runPatch` is never validated; a root `runPatch` only once a reference or preset is
    resolved, or once a kindless override is layered on a base; a preset's kindless `run` is
    such a patch too (Polyaxon keeps it a plain dict). A patch over an inline component is
    composed, so it is compared.
    """
    keys = [step for step in path if isinstance(step, str)]
    if keys[:1] == ["run"] and _is_preset(data) and not (isinstance(data.get("run"), dict) and "kind" in data["run"]):
        return True  # a preset's kindless `run` is a patch for a base it is layered on: only read (N2)
    patch = next((i for i, key in enumerate(keys) if key in ("runPatch", "run_patch")), None)
    if patch is None:
        return False
    if patch > 0:  # build.runPatch, hooks[].runPatch, a DAG operation's runPatch...
        return True
    refs = ("hubRef", "urlRef", "pathRef", "dagRef", "hub_ref", "url_ref", "path_ref", "dag_ref")
    if any(data.get(key) for key in refs) or data.get("isPreset") or data.get("is_preset"):
        return True
    # A kindless file without a runtime is an override, only read (the oracle's `_has_runtime`).
    run = data.get("run")
    runtime = (isinstance(run, dict) and "kind" in run) or isinstance(data.get("component"), dict)
    return "kind" not in data and not runtime


#: How often a mutation starts from each seed family (the init-centred fixtures are many and small).
SEED_WEIGHTS = {"seeds": 0.4, "realworld": 0.4, "positive": 0.2}


def _pick_seed(seeds: list[tuple[str, Any]], rng: random.Random) -> tuple[str, Any]:
    families: dict[str, list[tuple[str, Any]]] = {}
    for item in seeds:
        families.setdefault(item[0].split("/", 1)[0], []).append(item)
    names = sorted(families)
    family = rng.choices(names, weights=[SEED_WEIGHTS.get(name, 0.2) for name in names])[0]
    return rng.choice(families[family])


def make_mutation_case(index: int, seeds: list[tuple[str, Any]], seed: int = SEED) -> Case:
    rng = random.Random(f"{seed}-m-{index}")
    label, data = _pick_seed(seeds, rng)
    result = None
    while result is None:
        result = mutate(data, rng)
    kind, path, mutated = result
    return Case(
        id=f"m{index}",
        text=_dump(mutated),
        placement=section_of(path),
        tags=[kind, _path_text(path), label],
        compare=not _untyped_patch(mutated, path),
    )


# ---------------------------------------------------------------- section-by-section generator

_IO_OK = [
    {"name": "lr", "type": "float", "value": 0.1, "isOptional": True},
    {"name": "n", "type": "int"},
    {"name": "flag", "type": "bool", "isOptional": True, "value": False},
    {"name": "p", "type": "path", "isList": True, "isOptional": True, "value": ["/a"]},
    {"name": "opt", "type": "str", "isOptional": True, "value": "a", "validation": {"options": ["a", "b"]}},
    {"name": "x", "type": "float", "isOptional": True, "value": 2, "validation": {"ge": 0, "le": 5}},
    {"name": "lst", "type": "List[int]", "isOptional": True, "value": [1, 2]},
]
_IO_BAD = [
    {"type": "float"},
    {"name": "lr", "type": "float", "value": "abc", "isOptional": True},
    {"name": "lr", "type": 1},
    {"name": "lr", "is_optional": "maybe"},
    {"name": "lr", "type": "int", "isOptional": True, "value": 2, "validation": {"le": 1}},
    {"name": "lr", "type": "str", "isOptional": True, "value": "c", "validation": {"options": ["a"]}},
    {"name": "lr", "delayValidation": "x"},
    {"name": "lr", "argFormat": 3},
    {"name": 3},
    "lr",
]
SECTION_VALUES: dict[str, list[Any]] = {
    "inputs": [[v] for v in _IO_OK + _IO_BAD] + [[_IO_OK[0], _IO_OK[0]], None, {}, "x"],
    "outputs": [[v] for v in _IO_OK[:4] + _IO_BAD[:4]] + [None],
    "cache": [
        {"disable": True}, {"ttl": 10}, {"io": ["a"]}, {"sections": ["init"]}, {"sections": ["foo"]},
        {"ttl": "10"}, {"disable": "maybe"}, {"ttl": 1.5}, {"io": "a"}, {"foo": 1}, [], "{{ c }}",
    ],
    "termination": [
        {"maxRetries": 2}, {"ttl": 5}, {"timeout": 60}, {"maxRetries": "2"}, {"timeout": 1.5}, {"retries": 1},
        {"maxRetries": -1}, {"timeout": "{{ t }}"}, [], "x",
    ],
    "plugins": [
        {"auth": True}, {"docker": False}, {"shm": True}, {"collectLogs": "no"}, {"logLevel": "info"},
        {"logLevel": 5}, {"sidecar": {"syncInterval": 5}}, {"sidecar": {"syncInterval": "5"}}, {"authz": True},
        {"externalHost": True}, {"mountArtifactsStore": 1}, [],
    ],
    "hooks": [
        [{"hubRef": "slack", "trigger": "succeeded"}], [{"hubRef": "slack", "trigger": "started"}],
        [{"hubRef": "slack"}], [{"trigger": "done"}], [{"hubRef": "slack", "connection": 1}],
        [{"hubRef": "slack", "trigger": "failed", "params": {"a": {"value": 1}}}],
        [{"hubRef": "slack", "disableDefaults": "no"}], [{"hubRef": "slack", "foo": 1}], {"hubRef": "slack"},
        [{"hubRef": "slack", "presets": ["a"]}], [{"hubRef": "slack", "presets": "a"}], ["slack"],
    ],
    "tags": [["a"], "a", [1], [], None, [["a"]]],
    "presets": [["a"], "a", [1]],
    "queue": ["agent/q", 1, ["q"], "{{ q }}"],
    "namespace": ["ns", 1],
    "description": ["d", 1, True],
    "name": ["ok-name", "Bad Name!", 1, "a_b", "{{ n }}"],
    "isApproved": [True, "yes", 1, "maybe", "{{ a }}"],
    "cost": [1.5, 1, "1.5", "high", [1]],
    "strictParams": [True, "no", 2],
    "schedule": [
        {"kind": "cron", "cron": "0 0 * * *"}, {"kind": "cron"}, {"kind": "cron", "cron": 5},
        {"kind": "interval", "frequency": 60, "startAt": "2024-01-01T00:00:00"}, {"kind": "interval"},
        {"kind": "interval", "frequency": "daily", "startAt": "2024-01-01T00:00:00"},
        {"kind": "datetime", "startAt": "2024-01-01T00:00:00"}, {"kind": "datetime", "startAt": "soon"},
        {"kind": "datetime"}, {"kind": "weekly"}, {"cron": "* * * * *"},
        {"kind": "cron", "cron": "0 0 * * *", "maxRuns": "3"}, {"kind": "cron", "cron": "0 0 * * *", "foo": 1},
        {"kind": "cron", "cron": "0 0 * * *", "dependsOnPast": "x"},
    ],
    "events": [
        [{"kinds": ["run_status_done"], "ref": "ops.a"}], [{"kinds": ["run_done"], "ref": "ops.a"}],
        [{"kinds": ["run_status_done"]}], [{"ref": "ops.a"}], [{"kinds": "run_status_done", "ref": "ops.a"}],
        [{"kinds": [], "ref": "ops.a"}], [{"kinds": ["run_status_done"], "ref": 1}], {"kinds": []},
    ],
    "joins": [
        [{"query": "status:succeeded", "params": {"a": {"value": "outputs.a"}}}],
        [{"query": "status:succeeded"}], [{"params": {"a": {"value": "x"}}}],
        [{"query": "q", "limit": "5", "params": {"a": {"value": "x"}}}],
        [{"query": "q", "sort": 1, "params": {"a": {"value": "x"}}}],
        [{"query": "q", "params": {"a": {"value": "x"}}, "foo": 1}],
    ],
    "dependencies": [["a"], "a", [1]],
    "trigger": ["all_succeeded", "one_done", "any", 1],
    "conditions": ["{{ a }}", 1, ["a"]],
    "skipOnUpstreamSkip": [True, "x"],
    "mount": [["bucket"], [{"from": "/a", "to": "/b"}], [{"from": "/a", "bad": 1}], "bucket", [1]],
    "build": [
        {"hubRef": "kaniko"}, {"hubRef": "kaniko", "connection": "reg"}, {"connection": "reg"},
        {"hubRef": "kaniko", "params": {"a": {"value": 1}}}, {"hubRef": "kaniko", "params": [1]},
        {"hubRef": "kaniko", "queue": 1}, {"hubRef": "kaniko", "foo": 1}, "kaniko", [],
        {"hubRef": "kaniko", "cache": {"disable": True}}, {"hubRef": "kaniko", "cache": {"ttl": "x"}},
    ],
    "params": [
        {"p": {"value": 1}}, {"p": 1}, {"p": {"ref": "ops.a", "value": "outputs.b"}}, {"p": {"foo": 1}},
        {"p": {"value": 1, "contextOnly": "yes"}}, {"p": {"value": 1, "connection": 1}}, [], "x",
        {"p": {"value": 1, "toInit": True}}, {"p": {"value": 1, "toEnv": "MY_ENV"}},
    ],
    "matrix": [
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "choice", "value": [1, 2]}}},
        {"kind": "random", "params": {"p": {"kind": "choice", "value": [1, 2]}}},
        {"kind": "random", "numRuns": "2", "params": {"p": {"kind": "choice", "value": [1, 2]}}},
        {"kind": "grid", "params": {"p": {"kind": "choice", "value": [1, 2]}}},
        {"kind": "grid", "params": {"p": {"kind": "uniform", "value": [0, 1]}}},
        {"kind": "grid", "params": {"p": {"kind": "range", "value": [0, 10, 2]}}},
        {"kind": "grid", "params": {"p": {"kind": "range", "value": "0:10:2"}}},
        {"kind": "grid", "params": {"p": {"kind": "linspace", "value": [0, 1, 5]}}},
        {"kind": "grid", "params": {"p": {"kind": "choice", "value": 1}}},
        {"kind": "grid", "params": {"p": {"kind": "foo", "value": [1]}}},
        {"kind": "grid", "params": {"p": {"value": [1]}}},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "normal", "value": [0, 1]}}},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "pchoice", "value": [[1, 0.5], [2, 0.5]]}}},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "pchoice", "value": [1, 2]}}},
        {"kind": "mapping", "values": [{"p": 1}]}, {"kind": "mapping", "values": {"p": 1}}, {"kind": "mapping"},
        {"kind": "hyperband", "maxIterations": 9, "eta": 3, "resource": {"name": "p", "type": "int"},
         "metric": {"name": "loss", "optimization": "minimize"}, "params": {"q": {"kind": "choice", "value": [1]}}},
        {"kind": "hyperband", "maxIterations": 9, "eta": 3, "resource": {"name": "p", "type": "str"},
         "metric": {"name": "loss", "optimization": "minimize"}, "params": {"q": {"kind": "choice", "value": [1]}}},
        {"kind": "bayes", "numInitialRuns": 2, "maxIterations": 2, "metric": {"name": "l", "optimization": "max"},
         "params": {"p": {"kind": "uniform", "value": [0, 1]}}},
        {"kind": "bayes", "numInitialRuns": 2, "maxIterations": 2, "metric": {"name": "l", "optimization": "maximize"},
         "params": {"p": {"kind": "uniform", "value": [0, 1]}}},
        {"kind": "tpe", "numRuns": 2, "metric": {"name": "l", "optimization": "maximize"},
         "params": {"p": {"kind": "uniform", "value": [0, 1]}}},
        {"kind": "iterative", "maxIterations": 2, "tuner": {"hubRef": "t"},
         "params": {"p": {"kind": "choice", "value": [1]}}},
        {"kind": "random", "numRuns": 2, "concurrency": "x", "params": {"p": {"kind": "choice", "value": [1]}}},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "choice", "value": [1]}},
         "earlyStopping": [{"kind": "failure_early_stopping", "percent": 10}]},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "choice", "value": [1]}},
         "earlyStopping": [{"kind": "metric_early_stopping", "metric": "l", "value": 1}]},
        {"kind": "random", "numRuns": 2, "params": {"p": {"kind": "choice", "value": [1]}},
         "earlyStopping": [{"kind": "metric_early_stopping", "metric": "l", "value": 1,
                            "optimization": "minimize", "policy": {"kind": "median", "evaluationInterval": 1}}]},
        {"kind": "random"}, "random", [],
    ],
    "run.environment": [
        {"labels": {"a": "b"}}, {"labels": {"a": 1}}, {"labels": ["a"]}, {"restartPolicy": "Never"},
        {"restartPolicy": "never"}, {"nodeSelector": {"a": "b"}}, {"serviceAccountName": 1},
        {"imagePullSecrets": ["a"]}, {"imagePullSecrets": "a"}, {"hostNetwork": "x"}, {"foo": 1},
        {"tolerations": [{"key": "a", "operator": "Exists"}]}, {"tolerations": {"key": "a"}},
        {"securityContext": {"runAsUser": 1000}}, {"priorityClassName": "high"}, {"dnsPolicy": "None"},
    ],
    "run.connections": [["a"], "a", [1], None],
    "run.volumes": [[{"name": "v", "emptyDir": {}}], [{"emptyDir": {}}], "v", [{"name": "v", "foo": 1}]],
    "run.sidecars": [[{"name": "s", "image": "b"}], [{"image": "b"}], {"name": "s"}, [{"name": "s", "foo": 1}]],
    "run.container": [
        {"image": "b"}, {"image": 1}, {"image": "b", "command": "echo"}, {"image": "b", "args": [1]},
        {"image": "b", "foo": 1}, {"image": "b", "resources": {"limits": {"cpu": 1}}}, "b", None,
        {"image": "b", "env": [{"name": "A", "value": "1"}]}, {"image": "b", "env": {"A": "1"}},
        {"image": "b", "ports": [{"containerPort": 80}]}, {"image": "b", "imagePullPolicy": "sometimes"},
    ],
}  # fmt: skip
_C = {"image": "busybox"}
_R = {"replicas": 1, "container": _C}
SECTION_VALUES["run"] = [
    {"kind": "tfjob", "chief": _R, "worker": {"replicas": 2, "container": _C}},
    {"kind": "tfjob", "chief": _R, "cleanPodPolicy": "all"}, {"kind": "tfjob", "master": _R},
    {"kind": "tfjob", "chief": {"replicas": "1", "container": _C}}, {"kind": "tfjob", "chief": "{{ r }}"},
    {"kind": "tfjob", "chief": _R, "enableDynamicWorker": True, "successPolicy": "ChiefWorker"},
    {"kind": "pytorchjob", "master": _R, "worker": _R}, {"kind": "pytorchjob", "master": _R, "chief": _R},
    {"kind": "pytorchjob", "master": _R, "elasticPolicy": {"minReplicas": "1"}},
    {"kind": "mpijob", "launcher": _R, "worker": _R, "slotsPerWorker": 1},
    {"kind": "mpijob", "launcher": _R, "slotsPerWorker": "2"},
    {"kind": "daskcluster", "scheduler": {"container": _C}, "worker": _R},
    {"kind": "daskcluster", "worker": {"replicas": 1.5, "container": _C}},
    {"kind": "raycluster", "head": {"container": _C}, "workers": {"w": _R}},
    {"kind": "raycluster", "head": {"container": _C}, "workers": [_R]},
    {"kind": "raycluster", "head": {"container": _C}, "rayVersion": 2},
    {"kind": "service", "container": _C, "ports": [80]}, {"kind": "service", "container": _C, "ports": ["80"]},
    {"kind": "service", "container": _C, "rewritePath": "yes"}, {"kind": "service", "container": _C, "replicas": 2},
    {"kind": "notifier", "container": _C}, {"kind": "cleaner", "container": _C}, {"kind": "tuner", "container": _C},
    {"kind": "job"}, {"kind": "job", "container": _C, "replicas": 2}, {"kind": "jobs", "container": _C},
    {"container": _C}, {"kind": "dag", "operations": [{"name": "a", "dagRef": "c"}],
                        "components": [{"name": "c", "run": {"kind": "job", "container": _C}}]},
    {"kind": "dag", "operations": [{"name": "a", "dagRef": "missing"}]}, {"kind": "dag", "operations": []},
    {"kind": "dag", "operations": [{"dagRef": "c"}], "components": [{"name": "c", "run": {"kind": "job"}}]},
    {"kind": "dag", "concurrency": "2", "operations": [{"name": "a", "component": {"run": {"kind": "job"}}}]},
    "{{ run }}", [], None,
]  # fmt: skip
# ---------------------------------------------------------------- rule-directed makers (issue 10 §2)
#
# Each maker builds one section value from the rng and says what it built (a tag), so that the
# rules other helpers model (IO values, params, DAG checks, hooks, build, schedule dates, k8s
# values, snake_case aliases) are met at rates a 2,000-case run can measure, not once in a while.

#: Polyaxon 2.18's IO type names (`polyaxon.types.MAPPING`), the builtins, typing generics, and
#: type strings that crash its TypeAdapter once a `value` is given (FINDINGS, "Whole file").
IO_NAMED_TYPES = [
    "any", "artifacts", "date", "datetime", "dockerfile", "email", "event", "file", "gcs", "git", "image",
    "metadata", "metric", "path", "s3", "str", "tensorboard", "timedelta", "uri", "uuid", "wasb",
]  # fmt: skip
IO_BUILTIN_TYPES = ["int", "float", "bool", "dict", "list"]
IO_GENERIC_TYPES = [
    "List[int]", "List[str]", "List[float]", "List[bool]", "Dict[str, int]", "Dict[str, float]", "Dict[str, Any]",
    "Optional[int]", "Optional[str]", "List[Dict[str, int]]", "Dict[str, List[int]]",
]  # fmt: skip
IO_ODD_TYPES = ["integer", "Int", "number", "Union[int, str]", "Tuple[int]", "foo", "List[foo]", "list[int]", "", 1]

_WHEN = datetime.datetime(2024, 1, 1, 10, 30)
#: Values that fit a type, by type (a value from the others is likely a misfit).
IO_FITTING: dict[str, list[Any]] = {
    "int": [1, 0, -3, "7", 2.0, 10**20], "float": [0.1, 1, "2.5", -1e-3, 1e300], "bool": [True, False, "true", 1],
    "str": ["a", "abc", "1", ""], "dict": [{"a": 1}, {}, {"a": {"b": [1]}}], "list": [[1, "a"], [], ["x"]],
    "any": [1, "a", [1], {"a": 1}], "date": [datetime.date(2024, 1, 31), "2024-01-31", "2024-02-30"],
    "datetime": [_WHEN, "2024-01-01T10:00:00", "2024-01-01 10:00", "2024-01-01T10:00:00Z", "yesterday"],
    "timedelta": [60, "00:01:00", "P1D", "1 day", 1.5], "email": ["a@b.co", "not-an-email"],
    "uuid": ["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0", "3F2504E04F8941D39A0C0305E82C3301"],
    "uri": ["https://x.io/a", "user:pass@host", "x"], "path": ["/tmp/a", "a/b", 1],
    "image": ["busybox:1.0", "reg.io/a/b:1", 1], "file": [{"filename": "a.txt", "content": "x"}, "a.txt"],
    "dockerfile": [{"image": "busybox"}, {"image": 1}, "busybox"], "git": [{"url": "https://github.com/a/b"}, "a"],
    "artifacts": [{"files": ["a"]}, {"dirs": ["d"]}, ["a"]], "tensorboard": [{"uuids": ["a"]}, "a"],
    "gcs": ["gs://bucket/a", "s3://bucket/a"], "s3": ["s3://bucket/a", "gs://bucket/a"],
    "wasb": ["wasbs://c@acc.blob.core.windows.net/p", "s3://x"], "metric": [0.5, "x"], "metadata": [{"a": 1}, 1],
    "event": [{"name": "e", "kind": "run_status_done"}, "x"],
    "List[int]": [[1, 2], [1, "a"], [], 1, "[1, 2]"], "List[str]": [["a"], [1], "a"], "List[float]": [[0.1, 1], ["x"]],
    "List[bool]": [[True, "no"], [2]], "Dict[str, int]": [{"a": 1}, {"a": "x"}, {1: 1}],
    "Dict[str, float]": [{"a": 0.5}],
    "Dict[str, Any]": [{"a": [1]}], "Optional[int]": [1, None, "x"], "Optional[str]": ["a", None, 1],
    "List[Dict[str, int]]": [[{"a": 1}], [{"a": "b"}]], "Dict[str, List[int]]": [{"a": [1]}, {"a": 1}],
}  # fmt: skip
IO_ANY_VALUES: list[Any] = [
    1, 0, -3, 2.5, "1", "2.5", "abc", "", True, False, "yes", None, [], [1, 2], ["a", "b"], [1, "a"], {}, {"a": 1},
    datetime.date(2024, 1, 1), _WHEN, "2024-01-01", "{{ v }}", 10**30, float("nan"), float("inf"), "a" * 30,
]  # fmt: skip
#: Arguments per `validation` predicate: values that pass for some IO values, fail for others,
#: and are of the wrong type.
VALIDATION_ARGS: dict[str, list[Any]] = {
    "gt": [0, 1, 5, -1.5, "a", None], "ge": [0, 1, 2.5, "1"], "lt": [1, 10, 0.5, [1]], "le": [1, 5, 0, True],
    "multipleOf": [2, 0.5, 3, 0, "x"], "minDigits": [1, 3, -1, "a"], "maxDigits": [1, 2, 10],
    "decimalPlaces": [0, 1, 2, "x"], "regex": ["^a", "^[0-9]+$", "[", 1], "minLength": [1, 3, 0, "a"],
    "maxLength": [1, 2, 100], "contains": ["a", 1, [1]], "excludes": ["a", "x", 2],
    "options": [["a", "b"], [1, 2], [], "a", [True]], "minItems": [1, 2, 0, "x"], "maxItems": [1, 3],
    "keys": [["a"], ["a", "b"], "a"], "containsKeys": [["a"], ["z"], 1], "excludesKeys": [["a"], ["z"]],
    "delay": [True, False, "x"], "foo": [1],
}  # fmt: skip
_IO_NAMES = ["lr", "n", "x", "data", "flag"]
_IO_RESERVED = ["params", "globals", "connections"]


def _io_type(rng: random.Random) -> Any:
    group = rng.choices(
        [IO_NAMED_TYPES, IO_BUILTIN_TYPES, IO_GENERIC_TYPES, IO_ODD_TYPES, None], weights=[8, 6, 4, 1, 1]
    )[0]
    return None if group is None else rng.choice(group)


def _io_value(rng: random.Random, io_type: Any) -> Any:
    fitting = IO_FITTING.get(io_type) if isinstance(io_type, str) else None
    if fitting and rng.random() < 0.6:
        return copy.deepcopy(rng.choice(fitting))
    return copy.deepcopy(rng.choice(IO_ANY_VALUES))


def _key(rng: random.Random, camel: str, snake: str) -> str:
    """The camelCase key, or (about one time in eight) its snake_case alias."""
    return snake if rng.random() < 0.12 else camel


def make_io(rng: random.Random, focus: str | None = None) -> tuple[dict[str, Any], str]:
    """One V1IO entry: a type (the 21 names, builtins, generics, odd strings), maybe isList, a value that
    fits or not, maybe 1-2 validation predicates; tag `io:<type>[list]=<value kind>+<predicates>`.

    `focus` (from SWEEP): `type=<name>` forces the type, `predicate=<name>` one validation predicate."""
    io: dict[str, Any] = {}
    if rng.random() < 0.95:
        io["name"] = rng.choice(_IO_RESERVED) if rng.random() < 0.03 else rng.choice(_IO_NAMES)
    io_type = _io_type(rng)
    if focus and focus.startswith("type="):
        io_type = focus[5:]
    if io_type is not None:
        io["type"] = io_type
    is_list = rng.random() < 0.15
    if is_list:
        io[_key(rng, "isList", "is_list")] = rng.choice([True, True, False, "yes", 2])
    has_value = rng.random() < 0.8
    if has_value:
        value = _io_value(rng, io_type)
        if is_list and rng.random() < 0.6:
            value = [value, _io_value(rng, io_type)] if rng.random() < 0.7 else value
        io["value"] = value
        io[_key(rng, "isOptional", "is_optional")] = rng.choices([True, False, "true", None], weights=[12, 1, 1, 1])[0]
    elif rng.random() < 0.3:
        io[_key(rng, "isOptional", "is_optional")] = rng.choice([True, False])
    predicates: list[str] = []
    forced = focus[10:] if focus and focus.startswith("predicate=") else None
    if forced or rng.random() < 0.45:
        predicates = [forced] if forced else rng.sample(sorted(VALIDATION_ARGS), rng.choice([1, 1, 2]))
        validation = {name: copy.deepcopy(rng.choice(VALIDATION_ARGS[name])) for name in predicates}
        # `options` and `delayValidation` at the IO's level, which Polyaxon folds into `validation`
        if not forced and rng.random() < 0.1:
            key, arg = rng.choice([("options", ["a", 1]), (_key(rng, "delayValidation", "delay_validation"), True)])
            io[key] = arg
            predicates.append(f"io.{key}")
        else:
            io["validation"] = validation if rng.random() < 0.95 else rng.choice([[], "x", None])
    if rng.random() < 0.05:
        io[_key(rng, "isFlag", "is_flag")] = True
    kind = value_kind_tag(io["value"]) if has_value else "none"
    return io, f"io:{io_type}{'[list]' if is_list else ''}={kind}+{'+'.join(predicates) or '-'}"


def value_kind_tag(value: Any) -> str:
    """A short name of a value's YAML type, for tags."""
    if value is None:
        return "null"
    if isinstance(value, datetime.datetime):
        return "datetime"
    return type(value).__name__


def make_ios(rng: random.Random, focus: str | None = None) -> tuple[list[Any], str]:
    entries = [make_io(rng, focus if i == 0 else None) for i in range(rng.choice([1, 1, 1, 2]))]
    return [io for io, _ in entries], ",".join(tag for _, tag in entries)


#: Param values: strings, references' forms, wrong types.
PARAM_VALUES: list[Any] = [1, "a", 0.5, True, None, [1], {"a": 1}, "{{ x }}", "outputs.x", "inputs.lr", ""]


def make_params(rng: random.Random) -> tuple[dict[str, Any], str]:
    """Operation params: short form (`p: 1`), full form with value/ref/toInit/toEnv/contextOnly/connection."""
    params: dict[str, Any] = {}
    tags = []
    for name in rng.sample(["lr", "n", "data", "x"], rng.choice([1, 1, 2])):
        if rng.random() < 0.15:
            params[name] = copy.deepcopy(rng.choice(PARAM_VALUES))
            tags.append("short")
            continue
        param: dict[str, Any] = {"value": copy.deepcopy(rng.choice(PARAM_VALUES))} if rng.random() < 0.92 else {}
        extra = rng.sample(["ref", "toInit", "toEnv", "contextOnly", "connection", "foo"], rng.choice([0, 1, 1, 2]))
        for key in extra:
            param[key] = copy.deepcopy(
                {
                    "ref": rng.choice(["ops.a", "dag", "runs.0f1e2d3c4b5a69788796a5b4c3d2e1f0", "ops", 1, "x"]),
                    "toInit": rng.choice([True, False, "yes", 2]),
                    "toEnv": rng.choice(["MY_ENV", True, 1, "", "lower_case"]),
                    "contextOnly": rng.choice([True, False, "no", 3]),
                    "connection": rng.choice(["conn", 1, None]),
                    "foo": 1,
                }[key]
            )
        tags.append("full:" + "+".join(sorted(param)))
    return params, "params:" + ",".join(tags)


WRONG_HOOK_TRIGGERS: list[Any] = ["Succeeded", "started", "all-done", "{{ t }}", 1, None]


def make_hooks(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    """1-2 hooks: a trigger from the whole enum (and wrong ones), hubRef/connection, aliases, extras.
    `focus` (from SWEEP): the first hook's trigger."""
    hooks = []
    tags = []
    for number in range(rng.choice([1, 1, 2])):
        hook: dict[str, Any] = {}
        if rng.random() < 0.9:
            hook[_key(rng, "hubRef", "hub_ref")] = rng.choice(["slack", "slack", "", 1])
        if rng.random() < 0.3:
            hook["connection"] = rng.choice(["slack-conn", 1, None])
        if rng.random() < 0.85:
            hook["trigger"] = rng.choice(ENUMS["trigger"] if rng.random() < 0.8 else WRONG_HOOK_TRIGGERS)
        if focus and number == 0:
            hook["trigger"] = focus
        for key, values in (
            ("conditions", ["{{ status == 'failed' }}", 1]),
            ("params", [{"channel": {"value": "x"}}, {"channel": 1}, []]),
            ("presets", [["a"], "a"]),
            ("disableDefaults", [True, "maybe"]),
            ("queue", ["q", 1]),
        ):
            if rng.random() < 0.12:
                hook[key] = copy.deepcopy(rng.choice(values))
        hooks.append(hook)
        tags.append(f"trigger={hook.get('trigger', '-')}")
    value: Any = hooks if focus or rng.random() < 0.95 else hooks[0]
    return value, "hooks:" + ",".join(str(tag) for tag in tags)


BUILD_FIELDS: dict[str, list[Any]] = {
    "connection": ["registry", 1, ["a"], None],
    "queue": ["agent/q", 1],
    "presets": [["p"], "p", [1]],
    "params": [{"context": {"value": "."}}, {"context": "."}, [1], {"context": {"value": 1, "foo": 1}}],
    "runPatch": [{"environment": {"nodeSelector": {"a": "b"}}}, "x"],
    "patchStrategy": ["replace", "post_merge", "Replace", 1],
    "cache": [{"disable": True}, {"ttl": "x"}],
    "nodeSelector": [{"a": "b"}],
    "foo": [1],
}


def make_build(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    """`build`: hubRef (required, or its alias) and 0-2 other fields of any shape.
    `focus` (from SWEEP): a field that is set (`hubRef`/`hub_ref`: that spelling of the reference)."""
    build: dict[str, Any] = {}
    if focus in ("hubRef", "hub_ref") or (focus is None and rng.random() < 0.85):
        build[focus or _key(rng, "hubRef", "hub_ref")] = rng.choice(["kaniko", "kaniko", 1, ""])
    fields = rng.sample(sorted(BUILD_FIELDS), rng.choice([0, 1, 1, 2]))
    if focus in BUILD_FIELDS and focus not in fields:
        fields.append(focus)
    for key in fields:
        build[key] = copy.deepcopy(rng.choice(BUILD_FIELDS[key]))
    return build, "build:" + "+".join(sorted(build)) if build else "build:empty"


SCHEDULE_DATES: list[Any] = [
    "2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00+02:00", "2024-01-01 00:00", "2024-01-01",
    datetime.date(2024, 1, 1), _WHEN, "2024-13-01T00:00:00", "tomorrow", 1704067200, "", None, "{{ start }}",
]  # fmt: skip


def make_schedule(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    """A cron/interval/datetime schedule whose dates (startAt/endAt) and frequency vary in form.
    `focus` (from SWEEP): `<kind>=<n>`, that kind starting at item n of SCHEDULE_DATES."""
    kind = rng.choice(["cron", "interval", "datetime", "cron", "interval"])
    forced_kind, _, forced = (focus or "").partition("=")
    kind = forced_kind or kind
    schedule: dict[str, Any] = {"kind": kind}
    if kind == "cron" and rng.random() < 0.9:
        schedule["cron"] = rng.choice(["0 0 * * *", "*/5 * * * *", "@daily", 5, "not cron"])
    if kind == "interval" and rng.random() < 0.9:
        schedule["frequency"] = rng.choice([60, 3600.5, "60", "P1D", "1 day", "00:01:00", -1, "{{ f }}"])
    date_keys = ["startAt", "endAt"] if kind != "datetime" or rng.random() < 0.3 else ["startAt"]
    for key in date_keys:
        if forced and key == "startAt":
            schedule[_key(rng, key, _snake(key))] = copy.deepcopy(SCHEDULE_DATES[int(forced)])
        elif rng.random() < (0.8 if key == "startAt" else 0.35):
            schedule[_key(rng, key, _snake(key))] = copy.deepcopy(rng.choice(SCHEDULE_DATES))
    for key, values in (("maxRuns", [3, "3", -1]), ("dependsOnPast", [True, "x"])):
        if rng.random() < 0.12:
            schedule[key] = rng.choice(values)
    shown = {k: value_kind_tag(v) for k, v in schedule.items() if k not in ("kind",)}
    return schedule, f"schedule:{kind}:" + ",".join(f"{k}={v}" for k, v in sorted(shown.items()))


GENERIC_STR_VALUES: list[Any] = ["b", 1, 2.5, True, None, ["a"], {"a": 1}, "", "{{ v }}"]
TOLERATIONS: list[Any] = [
    {"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}, {"key": "a", "operator": "Equal", "value": "b"},
    {"key": 1}, {"key": "a", "tolerationSeconds": "10"}, {"key": "a", "toleration_seconds": 10},
    {"key": "a", "foo": 1}, {"effect": ["NoSchedule"]}, "gpu", None, [],
]  # fmt: skip


def make_environment(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    """`environment`: labels/annotations/nodeSelector values of every YAML type, tolerations, a few others.
    `focus` (from SWEEP): `<key>=<n>`, that key with item n of TOLERATIONS or GENERIC_STR_VALUES."""
    environment: dict[str, Any] = {}
    tags = []
    keys = rng.sample(["labels", "annotations", "nodeSelector", "tolerations"], rng.choice([1, 1, 2]))
    forced_key, _, forced = (focus or "").partition("=")
    if forced_key:
        keys = [forced_key]
    for key in keys:
        if key == "tolerations":
            value = copy.deepcopy(TOLERATIONS[int(forced)] if forced else rng.choice(TOLERATIONS))
            environment[key] = [value] if forced or rng.random() < 0.85 else value
            tags.append(f"tolerations={value_kind_tag(value)}")
        elif forced or rng.random() < 0.9:
            value = copy.deepcopy(GENERIC_STR_VALUES[int(forced)] if forced else rng.choice(GENERIC_STR_VALUES))
            environment[key] = {rng.choice(["a", "app.kubernetes.io/name", 1]): value}
            tags.append(f"{key}.value={value_kind_tag(value)}")
        else:
            environment[key] = rng.choice([["a"], "a=b", 1])
            tags.append(f"{key}=not-a-mapping")
    return environment, "environment:" + ",".join(tags)


def make_matrix_aliases(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    """A matrix whose required keys are written as their snake_case aliases, sometimes both names
    (`focus`, from SWEEP: `snake`, `both` or `camel`)."""
    kind, required = rng.choice(
        [("random", {"numRuns": 2}), ("grid", {}), ("iterative", {"maxIterations": 2}), ("tpe", {"numRuns": 2})]
    )
    matrix: dict[str, Any] = {"kind": kind}
    how = focus or rng.choice(["snake", "snake", "both", "camel"])
    for key, value in required.items():
        if how in ("camel", "both"):
            matrix[key] = value
        if how in ("snake", "both"):
            matrix[_snake(key)] = value
    if kind == "tpe":
        matrix["metric"] = {"name": "loss", "optimization": "minimize"}
    if kind == "iterative":
        matrix["tuner"] = {_key(rng, "hubRef", "hub_ref"): "t"}
    matrix["params"] = {"lr": {"kind": rng.choice(["choice", "uniform"]), "value": [0, 1]}}
    if rng.random() < 0.3:
        matrix[rng.choice(["early_stopping", "earlyStopping"])] = [{"kind": "failure_early_stopping", "percent": 10}]
    return matrix, f"matrix-alias:{kind}:{how}"


# ---------------------------------------------------------------- DAGs and their structure defects

#: A defect applied to a valid DAG; each is one mistake a user makes in `operations`/`components`.
DAG_DEFECTS = [
    "op-no-name", "op-duplicate-name", "dependency-missing", "cycle", "self-dependency", "dagref-missing",
    "ref-missing-op", "ref-missing-output", "ref-output-type", "node-schedule", "events-missing-op",
    "component-no-name", "component-duplicate-name", "node-no-definition", "required-input-missing",
    "node-matrix", "template-dependency", "template-ref-missing-op", "ref-dag-input-missing",
    "param-wrong-type", "param-fails-validation", "param-undeclared", "param-undeclared-strict", "param-ref-non-string",
]  # fmt: skip


def make_dag(rng: random.Random, focus: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """A valid dag run (2-3 ops over 2 components, a `ref: ops.x` param), then 0-2 defects
    (`focus`, from SWEEP: that one)."""
    components = [
        {"name": "prep", "inputs": [{"name": "data", "type": "str", "isOptional": True, "value": "d"}],
         "outputs": [{"name": "path", "type": "str"}, {"name": "count", "type": "int"}],
         "run": {"kind": "job", "container": {"image": "busybox"}}},
        {"name": "train", "inputs": [{"name": "path", "type": "str"},
                                     {"name": "epochs", "type": "int", "isOptional": True, "value": 1,
                                      "validation": {"ge": 1}}],
         "run": {"kind": "job", "container": {"image": "busybox"}}},
    ]  # fmt: skip
    operations: list[dict[str, Any]] = [
        {"name": "a", "dagRef": "prep"},
        {"name": "b", "dagRef": "train", "params": {"path": {"ref": "ops.a", "value": "outputs.path"}}},
    ]
    if rng.random() < 0.3:  # the template form of the same reference
        operations[1]["params"]["path"] = {"value": "{{ ops.a.outputs.path }}"}
    if rng.random() < 0.5:
        operations.append({"name": "c", "dagRef": "prep", "dependencies": ["b"]})
    if rng.random() < 0.3:
        operations[0] = {"name": "a", "component": copy.deepcopy(components[0])}
        del operations[0]["component"]["name"]
    dag: dict[str, Any] = {"kind": "dag", "operations": operations, "components": components}
    chosen = [focus] if focus else rng.sample(DAG_DEFECTS, rng.choice([0, 1, 1, 2, 2]))
    return dag, [defect for defect in chosen if apply_dag_defect(dag, defect, rng)]


def apply_dag_defect(dag: dict[str, Any], defect: str, rng: random.Random) -> bool:
    """Apply one DAG_DEFECTS item to a dag run in place; False when this DAG cannot take it."""
    operations = [op for op in dag.get("operations") or [] if isinstance(op, dict)]
    components = [c for c in dag.get("components") or [] if isinstance(c, dict)]
    if not operations:
        return False
    op = rng.choice(operations)
    if defect.startswith("param-"):  # a node over `train`, whose inputs these defects are about
        op = next((o for o in operations if o.get("dagRef") == "train"), op)
    names = [o["name"] for o in operations if isinstance(o.get("name"), str)]
    others = [name for name in names if name != op.get("name")]
    if defect == "op-no-name":
        op.pop("name", None)
    elif defect == "op-duplicate-name" and others:
        op["name"] = rng.choice(others)
    elif defect == "dependency-missing":
        op["dependencies"] = [*(op.get("dependencies") or [])[:1], "missing"]
    elif defect == "cycle" and others:
        wanted = rng.choice(others)
        other = next(o for o in operations if o.get("name") == wanted)
        op["dependencies"] = [other["name"]]
        other["dependencies"] = [op.get("name")]
    elif defect == "self-dependency" and isinstance(op.get("name"), str):
        op["dependencies"] = [op["name"]]
    elif defect == "dagref-missing":
        op.pop("component", None)
        op["dagRef"] = "missing"
    elif defect in ("ref-missing-op", "ref-missing-output", "ref-output-type") and others:
        source = "missing" if defect == "ref-missing-op" else rng.choice(others)
        output = {"ref-missing-output": "nope", "ref-output-type": "count"}.get(defect, "path")
        op.setdefault("params", {})["path"] = {"ref": f"ops.{source}", "value": f"outputs.{output}"}
    elif defect == "node-schedule":
        op["schedule"] = {"kind": "cron", "cron": "0 0 * * *"}
    elif defect == "events-missing-op":
        op["events"] = [{"kinds": ["run_status_done"], "ref": "ops.missing"}]
    elif defect == "component-no-name" and components:
        rng.choice(components).pop("name", None)
    elif defect == "component-duplicate-name" and len(components) > 1:
        components[1]["name"] = components[0].get("name")
    elif defect == "node-no-definition":
        op.pop("dagRef", None)
        op.pop("component", None)
    elif defect == "required-input-missing":
        op.pop("params", None)
        if op.get("dagRef") != "train":
            op.pop("component", None)
            op["dagRef"] = "train"
    elif defect == "node-matrix":
        op["matrix"] = {"kind": "random", "numRuns": 2, "params": {"data": {"kind": "choice", "value": ["a"]}}}
    elif defect == "template-dependency":
        op["dependencies"] = "{{ deps }}"
    elif defect.startswith("param-") and op.get("dagRef") == "train":
        _apply_param_defect(op, defect)
    elif defect == "template-ref-missing-op":
        op.setdefault("params", {})["path"] = {"value": "{{ ops.missing.outputs.path }}"}
    elif defect == "ref-dag-input-missing":
        op.setdefault("params", {})["path"] = {"ref": "dag", "value": "inputs.nope"}
    else:
        return False
    return True


def _apply_param_defect(op: dict[str, Any], defect: str) -> None:
    """A node's params against its component's inputs (`train`: path str, epochs int >= 1)."""
    params = op.setdefault("params", {})
    if not isinstance(params, dict):
        return
    if defect == "param-wrong-type":
        params["epochs"] = {"value": "abc"}
    elif defect == "param-fails-validation":
        params["epochs"] = {"value": 0}
    elif defect in ("param-undeclared", "param-undeclared-strict"):
        params["nope"] = {"value": 1, **({"contextOnly": False} if defect.endswith("strict") else {})}
    elif defect == "param-ref-non-string":
        params["path"] = {"ref": "ops.a", "value": 1}


def _make_dag_section(rng: random.Random, focus: str | None = None) -> tuple[Any, str]:
    dag, defects = make_dag(rng, focus)
    return dag, "dag:" + ("+".join(defects) or "valid")


#: Section name -> maker(rng) -> (value, tag). Chosen like SECTION_VALUES keys, more often (MAKER_WEIGHT).
SECTION_MAKERS: dict[str, Callable[..., tuple[Any, str]]] = {
    "inputs": make_ios,
    "outputs": make_ios,
    "params": make_params,
    "hooks": make_hooks,
    "build": make_build,
    "schedule": make_schedule,
    "run.environment": make_environment,
    "matrix": make_matrix_aliases,
    "run": _make_dag_section,
}
#: How often a section with a maker is picked relative to one without (and, once picked, how often
#: its maker builds the value rather than a SECTION_VALUES item); IO values weigh most.
MAKER_WEIGHT = {"inputs": 6.0, "outputs": 2.0, "params": 3.0, "run": 6.0, "hooks": 3.0, "build": 2.0,
                "schedule": 2.0, "run.environment": 3.0, "matrix": 2.0}  # fmt: skip
MAKER_SHARE = {"inputs": 0.85, "outputs": 0.8, "run": 0.7, "hooks": 0.8, "matrix": 0.5}

#: (section, focus) items that every SWEEP_EVERY-th section case goes through in turn, so that a
#: CI run of 2,000 cases (600 section cases, 200 of them swept) meets each of them, not only the
#: frequent ones (test_generator_coverage.py checks it).
SWEEP: list[tuple[str, str]] = (
    [("run", defect) for defect in DAG_DEFECTS]
    + [("hooks", trigger) for trigger in ENUMS["trigger"]]
    + [("build", field) for field in ["hubRef", "hub_ref", *BUILD_FIELDS]]
    + [("inputs", f"type={name}") for name in IO_NAMED_TYPES + IO_BUILTIN_TYPES + IO_GENERIC_TYPES[:4]]
    + [("inputs", f"predicate={name}") for name in VALIDATION_ARGS]
    + [("run.environment", f"{key}={n}") for key in ("labels", "annotations", "nodeSelector")
       for n in range(len(GENERIC_STR_VALUES))]
    + [("run.environment", f"tolerations={n}") for n in range(len(TOLERATIONS))]
    + [("schedule", f"{('cron', 'interval', 'datetime')[n % 3]}={n}") for n in range(len(SCHEDULE_DATES))]
    + [("matrix", how) for how in ("snake", "both", "camel")]
)  # fmt: skip
SWEEP_EVERY = 3


_KEYS_OPERATION_ONLY = {"params", "matrix", "schedule", "events", "joins", "dependencies", "trigger", "conditions",
                        "skipOnUpstreamSkip", "build", "mount", "isApproved", "cost"}  # fmt: skip


def _weighted_sample(sections: list[str], rng: random.Random, count: int) -> list[str]:
    """`count` distinct sections, those with a maker weighted by MAKER_WEIGHT (the others 1)."""
    pool = list(sections)
    chosen: list[str] = []
    for _ in range(min(count, len(pool))):
        pick = rng.choices(pool, weights=[MAKER_WEIGHT.get(name, 1.0) for name in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    return chosen


def make_section_case(index: int, seed: int = SEED) -> Case:
    rng = random.Random(f"{seed}-g-{index}")
    run: dict[str, Any] = {"kind": "job", "container": {"image": "busybox", "command": ["echo", "hi"]}}
    component: dict[str, Any] = {"version": 1.1, "kind": "component", "name": "gen", "run": run}
    operation = rng.random() < 0.5
    doc: dict[str, Any] = (
        {"version": 1.1, "kind": "operation", "name": "gen-op", "component": {"run": run}} if operation else component
    )
    target_component = doc["component"] if operation else doc
    focus: str | None = None
    if index % SWEEP_EVERY == SWEEP_EVERY - 1:
        swept, focus = SWEEP[(index // SWEEP_EVERY) % len(SWEEP)]
        chosen = [swept]
    else:
        chosen = _weighted_sample(sorted(SECTION_VALUES), rng, rng.choice([1, 1, 1, 1, 2, 3]))
    tags = []
    for section in chosen:
        if focus or (section in SECTION_MAKERS and rng.random() < MAKER_SHARE.get(section, 0.6)):
            maker = SECTION_MAKERS[section]
            value, tag = maker(rng, focus) if focus else maker(rng)
            tags.append(tag)
        else:
            value = copy.deepcopy(rng.choice(SECTION_VALUES[section]))
            position = SECTION_VALUES[section].index(value) if value in SECTION_VALUES[section] else "?"
            tags.append(f"{section}#{position}")
        if section == "run":
            run = value if isinstance(value, dict) else run
            target_component["run"] = value
        elif section.startswith("run.") and isinstance(run, dict):
            run[section[4:]] = value
        elif section in ("inputs", "outputs"):
            target_component[section] = value
        elif section in _KEYS_OPERATION_ONLY and not operation:
            doc[section] = value  # a component with an operation-only field: Polyaxon says?
        else:
            (doc if rng.random() < 0.5 else target_component)[section] = value
    return Case(id=f"g{index}", text=_dump(doc), placement="+".join(chosen), tags=["section", *tags])


def generate_wholefile_cases(count: int, seed: int = SEED, seeds: list[tuple[str, Any]] | None = None) -> list[Case]:
    """`count` cases: about 70% mutations of `seeds` (default: load_seeds()) (m*), 30% by section (g*)."""
    seeds = load_seeds() if seeds is None else seeds
    mutations = count * 7 // 10 if seeds else 0
    return [make_mutation_case(i, seeds, seed) for i in range(mutations)] + [
        make_section_case(i, seed) for i in range(count - mutations)
    ]


def main() -> None:  # pragma: no cover - a debugging / measuring aid
    import sys
    import time

    from harness import ORACLE_HELP, compare, oracle_python, run_oracle, settle_at_resolve
    from test_wholefile_differential import ALLOWLIST, REPORT, write_wholefile_report

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, help="print mutation case mSHOW (from all seeds, unfiltered) and exit")
    parser.add_argument("--show-section", type=int, help="print section case gSHOW_SECTION and exit")
    args = parser.parse_args()
    if args.show is not None or args.show_section is not None:
        if args.show is not None:
            python = oracle_python()  # the run's seeds (those both accept) when the oracle is here
            seeds = accepted_seeds(python)[0] if python is not None and python.exists() else load_seeds()
            case = make_mutation_case(args.show, seeds, args.seed)
        else:
            case = make_section_case(args.show_section, args.seed)
        print(f"# {case.id} {case.placement} {case.tags}\n{case.text}")
        return
    python = oracle_python()
    if python is None:
        sys.exit(ORACLE_HELP)
    start = time.perf_counter()
    seeds, dropped = accepted_seeds(python)
    print(f"{len(seeds)} seeds ({len(dropped)} dropped)")
    cases = generate_wholefile_cases(args.count, args.seed, seeds)
    verdicts = run_oracle(((c.id, c.text) for c in cases), python, timeout=3600)
    result = compare(cases, verdicts, ALLOWLIST)
    settle_at_resolve(result, python)  # what we reject for templates, Polyaxon may reject at resolve
    write_wholefile_report(result, REPORT, time.perf_counter() - start, dropped)
    print(result.summary())
    print(f"report: {REPORT}")


if __name__ == "__main__":  # pragma: no cover
    main()

"""Whole-file cases for the differential test (issue 10): mutations of real files, and sections.

Two families, deterministic from a seed number:

* `m*` mutations: a seed polyaxonfile (tests/differential/seeds/, the positive fixtures, and
  ../shared/corpus/realworld/*.yaml when that corpus is present) is parsed, ONE mutation is
  applied somewhere outside `init`, as a user would make it, and the data is dumped back:
  key typos (a letter changed, snake_case for camelCase, a wrong case), a value of the wrong
  type (int, str, float, bool, list, dict, null, a `{{ }}` template), a deleted key, an added
  unknown key, an enum value changed (to another valid one or to a wrong one).
* `g*` sections: a small valid component or operation, then 1-3 sections each set to one
  documented shape, valid or not (SECTION_VALUES).

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
import random
import re
import string
from collections.abc import Iterator
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


def mutate(data: Any, rng: random.Random) -> tuple[str, Path_, Any] | None:
    """Apply one mutation outside `init`; returns (kind, path, the data) or None when nothing applies."""
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


def _untyped_patch(data: Any, path: Path_) -> bool:
    """A path inside a patch Polyaxon keeps untyped at check time (FINDINGS N1-N3).

    `build.runPatch` is never validated; a root `runPatch` only once a reference or preset is
    resolved, or once a kindless override is layered on a base. A patch over an inline
    component is composed, so it is compared.
    """
    keys = [step for step in path if isinstance(step, str)]
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
_KEYS_OPERATION_ONLY = {"params", "matrix", "schedule", "events", "joins", "dependencies", "trigger", "conditions",
                        "skipOnUpstreamSkip", "build", "mount", "isApproved", "cost"}  # fmt: skip


def make_section_case(index: int, seed: int = SEED) -> Case:
    rng = random.Random(f"{seed}-g-{index}")
    run: dict[str, Any] = {"kind": "job", "container": {"image": "busybox", "command": ["echo", "hi"]}}
    component: dict[str, Any] = {"version": 1.1, "kind": "component", "name": "gen", "run": run}
    operation = rng.random() < 0.5
    doc: dict[str, Any] = (
        {"version": 1.1, "kind": "operation", "name": "gen-op", "component": {"run": run}} if operation else component
    )
    target_component = doc["component"] if operation else doc
    chosen = rng.sample(sorted(SECTION_VALUES), rng.choice([1, 1, 1, 1, 2, 3]))
    tags = []
    for section in chosen:
        value = copy.deepcopy(rng.choice(SECTION_VALUES[section]))
        tags.append(f"{section}#{SECTION_VALUES[section].index(value) if value in SECTION_VALUES[section] else '?'}")
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

    from harness import ORACLE_HELP, compare, oracle_python, run_oracle
    from test_wholefile_differential import REPORT, write_wholefile_report

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
    result = compare(cases, verdicts)
    write_wholefile_report(result, REPORT, time.perf_counter() - start, dropped)
    print(result.summary())
    print(f"report: {REPORT}")


if __name__ == "__main__":  # pragma: no cover
    main()

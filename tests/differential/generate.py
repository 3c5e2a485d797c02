"""Deterministic generator of polyaxonfile texts for the differential test.

Two families of cases, half each:

* `c*` (this module): a polyaxonfile whose only questionable part is its `init` list (1-3
  entries from `entries.EntryMaker`), placed in one of the places Polyaxon 2.18.0 accepts or
  rejects an init list (facts §7 / §10.2). The rest of the file is valid, so Polyaxon's
  verdict hinges on `init`.
* `d*` (`documents.py`): whole files whose structure around init varies too (references,
  nested DAGs, replica layouts, presets, root fields, anchors and merge keys, tags).

Both get the same rare text tricks (CRLF, BOM, tabs, comments, document markers).

Usage as a script (prints one case, or writes all of them to a folder):

    python tests/differential/generate.py --show 17 [--documents]
    python tests/differential/generate.py --count 200 --out /tmp/cases
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from documents import render_document
from entries import EntryMaker
from yamltext import Emitter, Raw, quote

SEED = 20250218

Tree = dict[str, Any]


@dataclass
class Case:
    """One generated polyaxonfile and what went into it."""

    id: str
    text: str
    placement: str
    tags: list[str] = field(default_factory=list)
    #: False for placements Polyaxon never validates at check time (`build.runPatch.init`).
    compare: bool = True


def _container(rng: random.Random) -> Tree:
    out: Tree = {"image": Raw("busybox")}
    if rng.random() < 0.3:
        out["command"] = [Raw("echo"), Raw("hi")]
    return out


def _replica(init: Any, rng: random.Random) -> Tree:
    replica: Tree = {"replicas": Raw("1")} if rng.random() < 0.5 else {}
    if init is not None:
        replica["init"] = init
    replica["container"] = _container(rng)
    return replica


def _plain_replica(rng: random.Random) -> Tree:
    return {"replicas": Raw("1"), "container": _container(rng)}


DISTRIBUTED = {
    "tfjob": ("chief", "ps", "worker", "evaluator"),
    "pytorchjob": ("master", "worker"),
    "mpijob": ("launcher", "worker"),
    "daskcluster": ("worker", "scheduler"),
}
SINGLE_KINDS = ("job", "service", "notifier", "cleaner", "tuner")
REMOVED_KINDS = {
    "xgbjob": "master",
    "paddlejob": "master",
    "mxjob": "scheduler",
    "daskjob": "job",
    "rayjob": "head",
}


def job_run(init: Any, rng: random.Random, kind: str = "job") -> Tree:
    """A single-container run (job-like kinds) with `init`."""
    run: Tree = {"kind": Raw(kind), "init": init, "container": _container(rng)}
    if rng.random() < 0.3:
        run = {"kind": run["kind"], "container": run["container"], "init": init}
    if init is None:
        del run["init"]
    return run


def distributed_run(kind: str, replica: str, init: Any, rng: random.Random) -> Tree:
    """A distributed run with `init` in `replica` (other replicas plain)."""
    run: Tree = {"kind": Raw(kind)}
    if kind == "raycluster":
        run["head"] = _replica(init, rng) if replica == "head" else _plain_replica(rng)
        name = replica.split(".", 1)[1] if replica.startswith("workers.") else "small"
        run["workers"] = {Raw(name): _replica(init, rng) if replica.startswith("workers.") else _plain_replica(rng)}
        return run
    for name in DISTRIBUTED[kind]:
        if name == replica:
            run[name] = _replica(init, rng)
        elif name == DISTRIBUTED[kind][0] or rng.random() < 0.4:
            run[name] = _plain_replica(rng)
    return run


def any_run(init: Any, rng: random.Random) -> tuple[str, Tree]:
    """A random run kind with `init` in its (or one replica's) init; returns (label, run)."""
    if rng.random() < 0.55:
        kind = rng.choice(SINGLE_KINDS)
        return kind, job_run(init, rng, kind)
    kind = rng.choice([*DISTRIBUTED, "raycluster"])
    replicas = DISTRIBUTED.get(kind, ("head", "workers.small", "workers.gpu-pool"))
    replica = rng.choice(replicas)
    return f"{kind}.{replica}", distributed_run(kind, replica, init, rng)


def plain_run(rng: random.Random) -> Tree:
    return {"kind": Raw("job"), "container": _container(rng)}


def _component(run: Tree) -> Tree:
    return {"kind": Raw("component"), "run": run}


def _operation(component: Tree, rng: random.Random, **extra: Any) -> Tree:
    inline = dict(component)
    if rng.random() < 0.5:
        inline.pop("kind", None)
    doc: Tree = {"kind": Raw("operation")}
    if rng.random() < 0.3:
        doc["name"] = Raw("op1")
    doc["component"] = inline
    doc.update(extra)
    return doc


def _dag(operations: list[Tree], components: list[Tree] | None = None) -> Tree:
    run: Tree = {"kind": Raw("dag"), "operations": operations}
    if components:
        run["components"] = components
    return _component(run)


# -- placements: (name, builder(init, rng) -> (label, document)) ----------------------------------
def p_component_run(init: Any, rng: random.Random) -> tuple[str, Tree]:
    label, run = any_run(init, rng)
    return f"component.run[{label}]", _component(run)


def p_kindless_run(init: Any, rng: random.Random) -> tuple[str, Tree]:
    label, run = any_run(init, rng)
    return f"kindless.run[{label}]", {"run": run}


def p_kindless_other(init: Any, rng: random.Random) -> tuple[str, Tree]:
    """Kindless files with a runtime (so `polyaxon check` composes them): root init, runPatch."""
    where = rng.choice(["root-init", "root-init", "root-init-dag", "runPatch"])
    if where == "root-init-dag":
        return "kindless.init[root, dag run]", {"init": init, "run": _dag([_dag_node_plain(rng)])["run"]}
    label, run = any_run([{Raw("connection"): Raw("base")}] if rng.random() < 0.3 else None, rng)
    if where == "root-init":
        return f"kindless.init[root, {label}]", {"init": init, "run": run}
    return f"kindless.runPatch.init[{label}]", {"run": run, "runPatch": {"init": init}}


def p_preset_runpatch(init: Any, rng: random.Random) -> tuple[str, Tree]:
    """A preset/override without a runtime: Polyaxon checks its runPatch only once layered."""
    if rng.random() < 0.5:
        return "preset.runPatch.init[kindless] (not compared)", {"runPatch": {"init": init}}
    return "preset.runPatch.init[isPreset] (not compared)", {
        "kind": Raw("operation"),
        "isPreset": Raw("true"),
        "runPatch": {"init": init},
    }


def p_operation_inline(init: Any, rng: random.Random) -> tuple[str, Tree]:
    label, run = any_run(init, rng)
    return f"operation.component.run[{label}]", _operation(_component(run), rng)


def p_operation_runpatch(init: Any, rng: random.Random) -> tuple[str, Tree]:
    if rng.random() < 0.4:
        return "operation.runPatch.init[job]", _operation(_component(plain_run(rng)), rng, runPatch={"init": init})
    kind = rng.choice([*DISTRIBUTED, "raycluster"])
    base = distributed_run(kind, "none", None, rng)
    replicas = [k for k in base if k != "kind"]
    if rng.random() < 0.35:
        return f"operation.runPatch.init[{kind} fan-out]", _operation(_component(base), rng, runPatch={"init": init})
    replica = rng.choice(replicas)
    if replica == "workers":
        name = next(iter(base["workers"]))
        patch = {"workers": {name: {"init": init}}}
        label = f"workers.{name}"
    else:
        patch = {replica: {"init": init}}
        label = replica
    return f"operation.runPatch.{label}.init[{kind}]", _operation(_component(base), rng, runPatch=patch)


def p_operation_root_init(init: Any, rng: random.Random) -> tuple[str, Tree]:
    label, run = any_run([{Raw("connection"): Raw("base")}], rng)
    return f"operation.init[{label}]", _operation(_component(run), rng, init=init)


def p_operation_run_override(init: Any, rng: random.Random) -> tuple[str, Tree]:
    with_kind = rng.random() < 0.5
    override: Tree = {"kind": Raw("job"), "init": init} if with_kind else {"init": init}
    label = "with kind" if with_kind else "no kind"
    return f"operation.run.init[{label}]", _operation(_component(plain_run(rng)), rng, run=override)


def p_root_init(init: Any, rng: random.Random) -> tuple[str, Tree]:
    roll = rng.random()
    if roll < 0.2:
        return "component.init[root, container, no run]", {
            "kind": Raw("component"),
            "init": init,
            "container": _container(rng),
        }
    if roll < 0.3:
        return "component.init[root, dag run]", {
            "kind": Raw("component"),
            "init": init,
            "run": _dag([_dag_node_plain(rng)])["run"],
        }
    label, run = any_run([{Raw("connection"): Raw("base")}] if rng.random() < 0.3 else None, rng)
    doc: Tree = {"kind": Raw("component"), "init": init, "run": run}
    if rng.random() < 0.3:
        doc = {"kind": doc["kind"], "run": run, "init": init}
    return f"component.init[root, {label}]", doc


def _dag_node_plain(rng: random.Random, name: str = "a") -> Tree:
    return {"name": Raw(name), "component": {"run": plain_run(rng)}}


def p_dag(init: Any, rng: random.Random) -> tuple[str, Tree]:
    where = rng.choice(["component", "init", "components", "runPatch", "run-nokind", "node-over-dag"])
    if where == "node-over-dag":
        inner = _dag([_dag_node_plain(rng, "x")])
        node = {"name": Raw("a"), "component": inner}
        slot = rng.choice(["init", "runPatch", "run"])
        node[slot] = init if slot == "init" else {"init": init}
        return f"dag.operations[dag component].{slot}.init", _dag([node])
    if where == "component":
        label, run = any_run(init, rng)
        node = {"name": Raw("a"), "component": {"run": run}}
        return f"dag.operations[].component.run[{label}]", _dag([node, _dag_node_plain(rng, "b")])
    if where == "init":
        node = _dag_node_plain(rng)
        node["init"] = init
        return "dag.operations[].init", _dag([node])
    components = (
        [{"name": Raw("c1"), "run": job_run(init, rng)}]
        if where == "components"
        else [{"name": Raw("c1"), "run": plain_run(rng)}]
    )
    node = {"name": Raw("a"), "dagRef": Raw("c1")}
    if where == "runPatch":
        node["runPatch"] = {"init": init}
    elif where == "run-nokind":
        node["run"] = {"init": init}
    return f"dag.{where}.init", _dag([node], components)


def p_dag_run_init(init: Any, rng: random.Random) -> tuple[str, Tree]:
    run = _dag([_dag_node_plain(rng)])["run"]
    run["init"] = init
    return "component.run[dag].init (never valid)", _component(run)


def p_removed_kind(init: Any, rng: random.Random) -> tuple[str, Tree]:
    kind, replica = rng.choice(list(REMOVED_KINDS.items()))
    return f"component.run[{kind}].{replica}.init (removed kind)", _component(
        {"kind": Raw(kind), replica: _replica(init, rng)}
    )


def p_operation_over_dag(init: Any, rng: random.Random) -> tuple[str, Tree]:
    """Operation-level init placements whose inline component runs a DAG (compose rejects most)."""
    dag = _dag([_dag_node_plain(rng)])
    where = rng.choice(["runPatch", "run-nokind", "root"])
    extra: Tree = {"runPatch": {"init": init}} if where == "runPatch" else {}
    if where == "run-nokind":
        extra = {"run": {"init": init}}
    elif where == "root":
        extra = {"init": init}
    return f"operation[dag component].{where}.init", _operation(dag, rng, **extra)


def p_build_runpatch(init: Any, rng: random.Random) -> tuple[str, Tree]:
    build = {"hubRef": Raw("kaniko"), "connection": Raw("docker-registry"), "runPatch": {"init": init}}
    return "operation.build.runPatch.init (not compared)", _operation(_component(plain_run(rng)), rng, build=build)


#: (builder, weight, compared)
PLACEMENTS: list[tuple[Callable[[Any, random.Random], tuple[str, Tree]], int, bool]] = [
    (p_component_run, 30, True),
    (p_kindless_run, 5, True),
    (p_kindless_other, 4, True),
    (p_operation_inline, 10, True),
    (p_operation_runpatch, 14, True),
    (p_operation_root_init, 6, True),
    (p_operation_run_override, 6, True),
    (p_root_init, 10, True),
    (p_dag, 12, True),
    (p_dag_run_init, 2, True),
    (p_removed_kind, 2, True),
    (p_operation_over_dag, 3, True),
    (p_build_runpatch, 3, False),
    (p_preset_runpatch, 2, False),
]


def init_value(maker: EntryMaker, rng: random.Random, tags: list[str]) -> Any:
    """The value of an `init:` key: mostly a list of 1-3 entries, sometimes another shape."""
    roll = rng.random()
    if roll < 0.03:
        value = rng.choice([quote("{{ params.init }}", rng), Raw("'{{}}'"), Raw("abc"), Raw("~"), Raw("[]")])
        tags.append(f"init-value:{value}")
        return value
    if roll < 0.045:
        tags.append("init-value:mapping")
        return maker.entry(tags)
    return [maker.entry(tags) for _ in range(rng.choice([1, 1, 2, 2, 3]))]


def make_case(index: int, seed: int = SEED) -> Case:
    """Case number `index` (a pure function of index and seed)."""
    rng = random.Random(f"{seed}:{index}")
    maker = EntryMaker(rng)
    tags: list[str] = []
    init = init_value(maker, rng, tags)
    builders, weights, compared = zip(*PLACEMENTS, strict=True)
    choice = rng.choices(range(len(builders)), weights=weights)[0]
    placement, doc = builders[choice](init, rng)
    if rng.random() < 0.2:
        doc = {"version": Raw(rng.choice(["1.1", "'1.1'", "1"])), **doc}
    text = Emitter(rng, flow=rng.choice([0.0, 0.2, 0.5, 1.0])).render(doc)
    text = _text_tricks(text, rng, tags)
    return Case(f"c{index:05d}", text, placement, tags, compared[choice])


def _text_tricks(text: str, rng: random.Random, tags: list[str]) -> str:
    """Rare whole-text variations: CRLF, BOM, document markers, comments, an aliased entry."""
    roll = rng.random()
    if roll < 0.02:
        tags.append("text:crlf")
        return text.replace("\n", "\r\n")
    if roll < 0.03:
        tags.append("text:bom")
        return "\ufeff" + text
    if roll < 0.05:
        tags.append("text:document-markers")
        return "%YAML 1.1\n---\n" + text + "...\n" if rng.random() < 0.5 else "---\n" + text
    if roll < 0.07:
        tags.append("text:comments")
        return "# polyaxonfile\n" + text.replace("\n", "  # c\n", 2)
    if roll < 0.09 and "\n- " not in text and "init: [" in text:
        if rng.random() < 0.5:
            tags.append("text:anchor-alias")
            return text.replace("init: [", "init: [&e {connection: anchored}, *e, ", 1)
        tags.append("text:duplicate-anchor")
        return text.replace("init: [", "init: [&e {connection: a}, *e, &e {path: /x}, ", 1)
    if roll < 0.10:
        tags.append("text:second-document")
        return text + "---\nkind: component\n"
    if roll < 0.12 and "init" in text:
        head, _, tail = text.partition("init")
        lines = tail.split("\n")
        where = rng.randrange(len(lines))
        if rng.random() < 0.5 and ": " in lines[where]:
            lines[where] = lines[where].replace(": ", ":\t", 1)
            tags.append("text:tab-after-colon")
        elif lines[where].strip():
            lines[where] += rng.choice(["\t# c", "\t", " \t"])
            tags.append("text:trailing-tab")
        return head + "init" + "\n".join(lines)
    return text


def make_document_case(index: int, seed: int = SEED) -> Case:
    """Whole-document case number `index` (documents.py), with the same text tricks."""
    rng = random.Random(f"{seed}:doc:{index}")
    tags: list[str] = []
    text, compared = render_document(rng, tags, index)
    text = _text_tricks(text, rng, tags)
    placement = next((tag[4:] for tag in tags if tag.startswith("doc:")), "document")
    return Case(f"d{index:05d}", text, f"document.{placement}", tags, compared)


def generate_cases(count: int, seed: int = SEED) -> list[Case]:
    """`count` cases, deterministic for a given seed: half init cases (c*), half whole documents (d*)."""
    init_count = (count + 1) // 2
    return [make_case(index, seed) for index in range(init_count)] + [
        make_document_case(index, seed) for index in range(count - init_count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, help="print case number SHOW and exit")
    parser.add_argument("--documents", action="store_true", help="with --show: a whole-document case (d*)")
    parser.add_argument("--out", type=Path, help="write every case to OUT/<id>.yaml")
    args = parser.parse_args()
    if args.show is not None:
        case = make_document_case(args.show, args.seed) if args.documents else make_case(args.show, args.seed)
        print(f"# {case.id} {case.placement} {case.tags}\n{case.text}")
        return
    cases = generate_cases(args.count, args.seed)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for case in cases:
            (args.out / f"{case.id}.yaml").write_text(case.text)
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()

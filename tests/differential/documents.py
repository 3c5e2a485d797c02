"""Whole polyaxonfiles for the differential test: the structure around `init` (issue 8).

generate.py varies one init list inside an otherwise valid file; this module varies the file:

* its kind: component, operation (inline component, or over hubRef/dagRef/urlRef/pathRef,
  sometimes two of them), kindless, preset (`isPreset`), `compiled_operation`;
* the root fields Polyaxon types: `version` (a lax float), `patchStrategy`, `isPreset`,
  the references, `runPatch` with or without a `kind`;
* every run kind with every replica layout: a replica as a mapping, null, a `{{ }}` template
  or a plain string; ray worker groups (null, template, empty); DAGs whose operations are inline
  components, dagRefs or nested DAGs (their operations a list, null or a template);
* YAML: anchors and aliases (hosted in `params` values, which Polyaxon never types), merge keys
  `<<: *a` and `<<: [*a, *b]` in both orders over keys of one and of several characters,
  explicit tags whose constructor fails, and every init field at every YAML type.

Each case is a `generate.Case`; its tags say what went in. Files whose verdict Polyaxon only
gives once a reference or preset is resolved (a `runPatch` it keeps as an untyped dict) are
generated with `compare=False`, as generate.py does for presets (FINDINGS N2, N3).
"""

from __future__ import annotations

import random
from typing import Any

from entries import EntryMaker
from yamltext import Anchored, Emitter, Raw, quote

Tree = dict[str, Any]

VERSIONS = [
    "1.1", "1", "'1.1'", "yes", "off", "true", "no", "'inf'", "'nan'", "'-Infinity'", "'1_1'", '"\\u00a01"',
    "'1_000.5'", ".inf", ".nan", "~", "'  2 '", "0x1F", "1.0e+400", "'1e5'", "'.5'", "'5.'", "'+_1'", "'1._1'",
    "'_1'", "'1__1'", "'0x1'", "'1,1'", "'١'", "'abc'", "[1]", "{a: 1}", "2020-01-01", "''", "'1_'", "'1e'",
    '"\\u200b1"', "'infinit'", "'{{ v }}'", "!!str 1.1", "!!float '2'",
]  # fmt: skip
PATCH_STRATEGIES = ["replace", "isnull", "post_merge", "pre_merge", "Replace", "'{{ s }}'", "~", "foo", "1", "''"]
#: isPreset tokens: lax booleans (a true one makes the file a preset, only read), and wrong ones
IS_PRESET = ["true", "false", "yes", "'yes'", "'off'", "maybe", "2", "1", "0", "'{{ p }}'", "~", "1.0", "[]", "'T'"]
REFS = {
    "hubRef": ["tensorboard:single-run", "kaniko", "''", "~", "'{{ c }}'", "1"],
    "dagRef": ["c1", "''", "~"],
    "urlRef": ["https://example.com/c.yaml", "''"],
    "pathRef": ["./c.yaml", "''", "~"],
}
RUN_KINDS = ["job", "service", "dag", "tfjob", "pytorchjob", "mpijob", "daskcluster", "raycluster", "notifier"]
REPLICAS = {
    "tfjob": ("chief", "ps", "worker", "evaluator"),
    "pytorchjob": ("master", "worker"),
    "mpijob": ("launcher", "worker"),
    "daskcluster": ("scheduler", "worker"),
}
#: (handler or "", field) pairs of an init entry, for the field x YAML-type sweep
INIT_FIELDS = [
    ("artifacts", "files"), ("artifacts", "dirs"), ("artifacts", "workers"), ("", "paths"),
    ("git", "url"), ("git", "revision"), ("git", "flags"),
    ("dockerfile", "image"), ("dockerfile", "env"), ("dockerfile", "path"), ("dockerfile", "copy"),
    ("dockerfile", "postRunCopy"), ("dockerfile", "run"), ("dockerfile", "langEnv"), ("dockerfile", "uid"),
    ("dockerfile", "gid"), ("dockerfile", "username"), ("dockerfile", "filename"), ("dockerfile", "workdir"),
    ("dockerfile", "workdirPath"), ("dockerfile", "shell"),
    ("file", "content"), ("file", "filename"), ("file", "chmod"), ("file", "kind"),
    ("tensorboard", "port"), ("tensorboard", "uuids"), ("tensorboard", "useNames"),
    ("tensorboard", "pathPrefix"), ("tensorboard", "plugins"),
    ("", "lineageRef"), ("", "modelRef"), ("", "artifactRef"), ("", "connection"), ("", "path"),
    ("", "container"),
]  # fmt: skip
#: one token per YAML type (and a few shapes of each)
YAML_TYPES = [
    "1", "-3", "0755", "0x1F", "1_000", "1.5", "2.0", "1e3", ".inf", ".nan", "true", "no", "on", "~", "", "'x'",
    "abc", "'1'", "'true'", "''", "2020-01-01", "2020-01-01 10:00:00", "12:30", "[]", "[a]", "[1]", "[[a, b]]",
    "{}", "{a: b}", "{a: 1}", "'{{ x }}'", "!!str 1", "!!int '7'", "!!float '1.5'", "!!bool maybe", "!!int ''",
    "!!timestamp x", "!!omap {a: 1}", "!!str [a]", "!!set {a, b}", "!!pairs [a: 1]", "!!null ''", "!!null [a]",
    "!!map a", "!!seq a", "!!bool 'yes'", "!!timestamp 2020-01-01",
]  # fmt: skip


class DocMaker:
    """Builds one whole polyaxonfile (a tree of `Raw` tokens) from a shared random generator."""

    def __init__(self, rng: random.Random, tags: list[str], index: int = 0) -> None:
        self.rng = rng
        self.tags = tags
        #: the case number: the field x type sweep walks through every pair from it
        self.index = index
        self.sweeps = 0
        self.entries = EntryMaker(rng)
        #: anchored values hosted in `params` (name -> value), written before any alias to them
        self.params: dict[str, Any] = {}
        #: False when Polyaxon would only judge the file once a reference/preset is resolved
        self.compare = True

    # -- small pieces ----------------------------------------------------------------------------
    def pick(self, options: list[str], tag: str) -> Raw:
        token = self.rng.choice(options)
        self.tags.append(f"{tag}={token}")
        return Raw(token)

    def container(self) -> Tree:
        out: Tree = {"image": Raw(self.rng.choice(["busybox", "python:3.11"]))}
        if self.rng.random() < 0.2:
            out["command"] = [Raw("sh"), Raw("-c"), quote("echo hi", self.rng)]
        return out

    def clean_entry(self) -> Tree:
        """A valid init entry (so that the structure decides the verdict)."""
        roll = self.rng.randrange(8)
        if roll == 0:
            return {"git": {"url": Raw("https://github.com/o/r")}}
        if roll == 1:
            return {"paths": [Raw("a"), Raw("b/c")]}
        if roll == 2:
            return {"artifacts": {"files": [Raw("data")]}}
        if roll == 3:
            return {"dockerfile": {"image": Raw("busybox")}}
        if roll == 4:
            return {"file": {"content": quote("echo hi", self.rng), "filename": Raw("s.sh")}}
        if roll == 5:
            return {"container": self.container()}
        if roll == 6:
            return {"connection": Raw("data"), "path": Raw("/data")}
        return {"lineageRef": Raw("m1")}

    def sweep_entry(self) -> Tree:
        """One init field set to one YAML type (the rest of the entry valid)."""
        # 31 is prime to len(INIT_FIELDS) * len(YAML_TYPES): consecutive cases visit every pair
        pair = (self.index * 31 + self.sweeps * 7) % (len(INIT_FIELDS) * len(YAML_TYPES))
        self.sweeps += 1
        handler, field = INIT_FIELDS[pair % len(INIT_FIELDS)]
        token = Raw(YAML_TYPES[pair // len(INIT_FIELDS)])
        self.tags.append(f"sweep:{handler or 'entry'}.{field}={token}")
        if not handler:
            return {field: token} if field != "path" else {"connection": Raw("c"), "path": token}
        base: Tree = {"image": Raw("busybox")} if handler == "dockerfile" else {}
        if handler == "file":
            base = {"content": Raw("x")}
        if handler == "git":
            base = {"url": Raw("https://github.com/o/r")}
        base[field] = token
        return {handler: base}

    def init_list(self) -> Any:
        """Mostly valid, sometimes a swept field, a mutated entry, a template or an alias."""
        roll = self.rng.random()
        if roll < 0.05:
            self.tags.append("init:template")
            return quote("{{ params.init }}", self.rng)
        if roll < 0.42:
            return [self.sweep_entry()]
        if roll < 0.55:
            return [self.entries.entry(self.tags)]
        if roll < 0.63:
            return self.merged_entries()
        if roll < 0.67:
            name = self.anchor([self.clean_entry()], "init-list")
            return Raw(f"*{name}")
        return [self.clean_entry() for _ in range(self.rng.choice([1, 1, 2]))]

    # -- anchors, aliases, merge keys ------------------------------------------------------------
    def anchor(self, value: Any, what: str) -> str:
        """Host `value` under an anchor in `params` (Polyaxon accepts any param value)."""
        name = f"a{len(self.params) + 1}"
        self.params[name] = {"value": Anchored(name, value)}
        self.tags.append(f"anchor:{what}")
        return name

    def merged_entries(self) -> list[Any]:
        """Init entries built with `<<`: one source, or two whose keys overlap (both orders)."""
        good = {Raw("connection"): Raw("c"), Raw("path"): Raw("/x")}
        bad = {Raw("connection"): Raw(self.rng.choice(["1", "[a]", "~", "yes"]))}
        if self.rng.random() < 0.3:
            name = self.anchor(self.rng.choice([good, bad]), "entry")
            entry: Tree = {Raw("<<"): Raw(f"*{name}")}
            if self.rng.random() < 0.5:
                entry[Raw("connection")] = Raw(self.rng.choice(["override", "2"]))
            self.tags.append("merge:single")
            return [entry]
        first, second = self.anchor(good, "entry-good"), self.anchor(bad, "entry-bad")
        order = [first, second] if self.rng.random() < 0.5 else [second, first]
        self.tags.append(f"merge:list[{'good,bad' if order[0] == first else 'bad,good'}]")
        return [{Raw("<<"): Raw(f"[*{order[0]}, *{order[1]}]")}]

    def merged_workers(self) -> Any:
        """Ray worker groups merged from two sources whose group names (1 or 2 chars) overlap."""
        key = self.rng.choice(["w", "gpu"])
        good = {Raw(key): {Raw("replicas"): Raw("1")}, Raw("z"): {}}
        bad = {Raw(key): Raw(self.rng.choice(["~", "'{{ g }}'", "[]"]))}
        first, second = self.anchor(good, "workers-good"), self.anchor(bad, "workers-bad")
        order = [first, second] if self.rng.random() < 0.5 else [second, first]
        self.tags.append(f"merge:workers.{key}[{'good,bad' if order[0] == first else 'bad,good'}]")
        return {Raw("<<"): Raw(f"[*{order[0]}, *{order[1]}]")}

    # -- runs ------------------------------------------------------------------------------------
    def replica(self, with_init: bool) -> Any:
        roll = self.rng.random()
        if roll < 0.1:
            return self.pick(["~", "'{{ replica }}'", '"{{ r }}"', "abc", "[]", "'{{}}'"], "replica")
        out: Tree = {}
        if self.rng.random() < 0.5:
            out["replicas"] = Raw(self.rng.choice(["1", "2", "'{{ n }}'"]))
        if with_init and self.rng.random() < 0.5:
            out["init"] = self.init_list()
        out["container"] = self.container()
        return out

    def ray_workers(self) -> Any:
        roll = self.rng.random()
        if roll < 0.08:
            return self.pick(["~", "{}", "'{{ workers }}'"], "ray.workers")
        if roll < 0.16:
            return self.merged_workers()
        groups: Tree = {}
        for name in self.rng.sample(["small", "gpu", "w"], self.rng.randint(1, 2)):
            if self.rng.random() < 0.15:
                groups[Raw(name)] = self.pick(["~", "'{{ g }}'", "{}", "abc"], f"ray.workers.{name}")
            else:
                groups[Raw(name)] = self.replica(True)
        return groups

    def run(self, kind: str, depth: int = 0) -> Tree:
        """A run of `kind` (init lists here and there)."""
        run: Tree = {"kind": Raw(kind)}
        if self.rng.random() < 0.03:
            run["kind"] = Raw(self.rng.choice([f"!!str {kind}", f"'{kind}'", f'"{kind}"', f"!!str {kind.upper()}"]))
            self.tags.append(f"run.kind={run['kind']}")
        if kind in ("job", "service", "notifier"):
            if self.rng.random() < 0.6:
                run["init"] = self.init_list()
            run["container"] = self.container()
            if kind == "service" and self.rng.random() < 0.3:
                run["ports"] = [Raw("8888")]
        elif kind in REPLICAS:
            for role in REPLICAS[kind]:
                if role == REPLICAS[kind][0] or self.rng.random() < 0.5:
                    run[role] = self.replica(True)
        elif kind == "raycluster":
            if self.rng.random() < 0.7:
                run["head"] = self.replica(True)
            if self.rng.random() < 0.8:
                run["workers"] = self.ray_workers()
        else:
            run.update(self.dag_body(depth))
        return run

    def dag_body(self, depth: int) -> Tree:
        """operations (and components) of a DAG; a nested DAG may have a template or no operations."""
        body: Tree = {}
        if depth > 0 and self.rng.random() < 0.25:
            body["operations"] = self.pick(["'{{ operations }}'", "~", "[]"], "dag.nested.operations")
            return body
        if depth == 0 and self.rng.random() < 0.05:
            body["operations"] = self.pick(["'{{ operations }}'", "~", "[]"], "dag.operations")
            return body
        components = [{"name": Raw("c1"), "run": self.run(self.rng.choice(["job", "tfjob", "raycluster"]), 2)}]
        operations: list[Any] = []
        for index in range(self.rng.randint(1, 3)):
            operations.append(self.dag_node(f"op{index}", depth))
        body["operations"] = operations
        if any("dagRef" in node for node in operations if isinstance(node, dict)):
            body["components"] = components
        return body

    def dag_node(self, name: str, depth: int) -> Tree:
        node: Tree = {"name": Raw(name)}
        roll = self.rng.random()
        if roll < 0.3:
            node["dagRef"] = Raw("c1")
            if self.rng.random() < 0.3:
                node["runPatch"] = {"init": self.init_list()}
                self.tags.append("dag.node.dagRef+runPatch")
                if depth > 0:
                    # a nested DAG's nodes are compiled when it runs: Polyaxon keeps their runPatch
                    # an untyped dict at check time, we validate it (FINDINGS N4)
                    self.compare = False
            if self.rng.random() < 0.15:
                other = self.rng.choice(["hubRef", "urlRef", "pathRef"])
                node[other] = Raw(self.rng.choice(REFS[other]))
                self.tags.append(f"dag.node.two-refs:{other}")
        elif roll < 0.45 and depth < 2:
            node["component"] = {"run": self.run("dag", depth + 1)}
            self.tags.append("dag.nested")
        else:
            kind = self.rng.choice(RUN_KINDS[:2] + RUN_KINDS[3:])
            node["component"] = {"run": self.run(kind, depth + 1)}
            if self.rng.random() < 0.15:
                node["init"] = self.init_list()
                if depth > 0 and kind == "raycluster":
                    # the shortcut is patched onto the ray groups when the nested DAG runs (N4)
                    self.tags.append("dag.nested.node-shortcut")
                    self.compare = False
        return node

    def shortcut(self, key: str) -> Any:
        if key == "init":
            return self.init_list()
        if key == "container":
            return self.container()
        if key == "cmd":
            return self.pick(["'echo hi'", "[echo, hi]", "''", "1", "~"], "cmd")
        if key == "environment":
            return {"nodeSelector": {Raw("pool"): Raw("gpu")}}
        return [Raw("data")]

    # -- documents -------------------------------------------------------------------------------
    def root_fields(self, doc: Tree, operation: bool) -> None:
        """version / patchStrategy / isPreset, each now and then."""
        if self.rng.random() < 0.35:
            doc["version"] = self.pick(VERSIONS, "version")
        if operation and self.rng.random() < 0.3:
            doc["patchStrategy"] = self.pick(PATCH_STRATEGIES, "patchStrategy")
        if self.rng.random() < 0.03:
            doc["kind"] = self.pick([f"!!str {doc.get('kind', 'component')}", "!!bool maybe", "!!null ''"], "kind-tag")

    def refs(self, doc: Tree) -> int:
        """0-2 references; returns how many are truthy."""
        count = self.rng.choice([1, 1, 1, 2])
        truthy = 0
        for ref in self.rng.sample(list(REFS), count):
            token = self.rng.choice(REFS[ref])
            doc[ref] = Raw(token)
            self.tags.append(f"ref:{ref}={token}")
            truthy += token not in ("''", "~")
        return truthy

    def run_patch(self, base_kind: str | None) -> Tree:
        patch: Tree = {}
        roll = self.rng.random()
        if roll < 0.4:
            kind = base_kind if base_kind and self.rng.random() < 0.6 else self.rng.choice([*RUN_KINDS, "foo"])
            patch["kind"] = Raw(kind)
            self.tags.append(f"runPatch.kind={kind}(base {base_kind})")
        if base_kind in REPLICAS and self.rng.random() < 0.5:
            role = self.rng.choice(REPLICAS[base_kind])
            patch[role] = self.replica(True)
        elif base_kind == "raycluster" and self.rng.random() < 0.5:
            patch["workers"] = self.ray_workers()
            self.tags.append("runPatch.workers")
        elif base_kind != "dag" or self.rng.random() < 0.2:
            patch["init"] = self.init_list()
        return patch

    def component(self) -> Tree:
        kind = self.rng.choice(RUN_KINDS)
        doc: Tree = {"kind": Raw("component")}
        self.root_fields(doc, operation=False)
        doc["run"] = self.run(kind)
        self.tags.append(f"doc:component[{kind}]")
        return doc

    def operation_inline(self) -> Tree:
        kind = self.rng.choice(RUN_KINDS)
        doc: Tree = {"kind": Raw("operation")}
        self.root_fields(doc, operation=True)
        doc["component"] = {"run": self.run(kind)}
        if self.rng.random() < 0.6:
            doc["runPatch"] = self.run_patch(kind)
        if self.rng.random() < 0.15:
            # root shortcuts (2.18) patch the component's run
            key = self.rng.choice(["init", "init", "container", "cmd", "environment", "connections"])
            doc[key] = self.shortcut(key)
            self.tags.append(f"shortcut:{key}")
        self.tags.append(f"doc:operation[{kind}]")
        return doc

    def operation_refs(self) -> Tree:
        doc: Tree = {"kind": Raw("operation")}
        self.root_fields(doc, operation=True)
        truthy = self.refs(doc)
        preset = self.rng.random() < 0.2
        if preset:
            doc["isPreset"] = self.pick(IS_PRESET, "isPreset")
        if self.rng.random() < 0.4:
            doc["init"] = self.init_list()
        if self.rng.random() < 0.3:
            # untyped until the reference is resolved: Polyaxon reads it as a plain dict (N3)
            doc["runPatch"] = self.run_patch(None)
            self.compare = False
        if truthy == 0 and not preset and "runPatch" not in doc:
            # nothing to compose without a reference: give the operation a component
            doc["component"] = {"run": self.run("job")}
        self.tags.append(f"doc:operation-refs[{truthy}]")
        return doc

    def dag_component(self) -> Tree:
        doc: Tree = {"kind": Raw(self.rng.choice(["component", "component", "operation"]))}
        self.root_fields(doc, operation=False)
        run = self.run("dag")
        if doc["kind"] == "operation":
            doc["component"] = {"run": run}
        else:
            doc["run"] = run
        self.tags.append(f"doc:dag[{doc['kind']}]")
        return doc

    def kindless(self) -> Tree:
        kind = self.rng.choice(RUN_KINDS)
        doc: Tree = {}
        self.root_fields(doc, operation=False)
        doc["run"] = self.run(kind)
        if self.rng.random() < 0.4 and kind != "dag":
            doc["runPatch"] = self.run_patch(kind)
        self.tags.append(f"doc:kindless[{kind}]")
        return doc

    def preset(self) -> Tree:
        doc: Tree = {"kind": Raw("operation")}
        doc["isPreset"] = self.pick(IS_PRESET, "isPreset")
        if self.rng.random() < 0.5:
            self.refs(doc)
        if self.rng.random() < 0.4:
            doc["runPatch"] = {"init": self.init_list()}
            # a preset's runPatch is checked once it is layered (N2); a non-preset one needs a runtime
            self.compare = False
        else:
            # `component` is typed when the file is read, preset or not; its DAG nodes' runPatch
            # only once the file is composed (N4)
            doc["component"] = {"run": self.run(self.rng.choice(["job", "dag", "tfjob"]))}
            if "dag.node.dagRef+runPatch" in self.tags:
                self.compare = False
        self.tags.append("doc:preset")
        return doc

    def compiled(self) -> Tree:
        doc: Tree = {"kind": Raw("compiled_operation")}
        self.root_fields(doc, operation=False)
        doc["run"] = self.run(self.rng.choice(RUN_KINDS))
        if self.rng.random() < 0.2:
            doc[self.rng.choice(["hubRef", "init", "contexts", "isPreset"])] = Raw("x")
        if "dag.node.dagRef+runPatch" in self.tags:
            # a compiled operation is only read: its DAG nodes' runPatch stays untyped (N4)
            self.compare = False
        self.tags.append("doc:compiled_operation")
        return doc

    BUILDERS = (
        ("component", 25),
        ("operation_inline", 22),
        ("operation_refs", 12),
        ("dag_component", 16),
        ("kindless", 8),
        ("preset", 6),
        ("compiled", 5),
    )

    def document(self) -> Tree:
        names, weights = zip(*self.BUILDERS, strict=True)
        doc: Tree = getattr(self, self.rng.choices(names, weights=weights)[0])()
        if self.params:
            # params first, so that every anchor is written before its aliases
            head: Tree = {key: doc[key] for key in ("kind", "version") if key in doc}
            doc = {**head, "params": dict(self.params), **{k: v for k, v in doc.items() if k not in head}}
        return doc


def render_document(rng: random.Random, tags: list[str], index: int = 0) -> tuple[str, bool]:
    """(text, compare) of whole polyaxonfile number `index`."""
    maker = DocMaker(rng, tags, index)
    doc = maker.document()
    text = Emitter(rng, flow=rng.choice([0.0, 0.2, 0.5, 1.0])).render(doc)
    return text, maker.compare

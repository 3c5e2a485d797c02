"""Random `init` entries (valid and broken) as trees of `Raw` YAML tokens.

Each entry starts from a valid shape (one built-in handler, or a bare
connection / path / container / nothing) and then gets zero or more
mutations: wrong scalar types (YAML 1.1 bare scalars included), templates in
every field, unknown keys, snake_case aliases and alias conflicts, a second
handler (truthy or falsy), missing required fields, odd docker images, ...
Every mutation appends a short tag to `tags` so reports can group findings.
"""

from __future__ import annotations

import random
from typing import Any

from yamltext import BlockScalar, DupKey, Raw, quote, string

HANDLERS = (
    "artifacts",
    "paths",
    "git",
    "dockerfile",
    "file",
    "tensorboard",
    "lineageRef",
    "modelRef",
    "artifactRef",
)
REF_FIELDS = ("lineageRef", "modelRef", "artifactRef")

#: camelCase key -> its snake_case Python name (accepted thanks to populate_by_name).
SNAKE = {
    "lineageRef": "lineage_ref",
    "modelRef": "model_ref",
    "artifactRef": "artifact_ref",
    "langEnv": "lang_env",
    "postRunCopy": "post_run_copy",
    "copy": "copy_",
    "workdirPath": "workdir_path",
    "useNames": "use_names",
    "pathPrefix": "path_prefix",
}

#: Bare and quoted scalar tokens whose YAML 1.1 type is the interesting part.
ODD_SCALARS = [
    "1",
    "0",
    "-5",
    "6006",
    "0755",
    "0x1F",
    "0b101",
    "1_000",
    "12:30",
    "+1",
    "0o17",
    "1.0",
    "1.5",
    "6006.0",
    "1e3",
    "1.0e3",
    ".inf",
    ".nan",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "True",
    "FALSE",
    "y",
    "n",
    "~",
    "null",
    "",
    "2020-01-01",
    "2020-01-01 10:00:00",
    "'1000'",
    "'true'",
    "'yes'",
    "'1.0'",
    "''",
    "'0755'",
    '"6006"',
    "'2'",
    "' '",
    "abc",
    "'a b'",
    "maybe",
]
ODD_COLLECTIONS: list[Any] = [
    [],
    [Raw("a")],
    [Raw("1")],
    [[Raw("a"), Raw("b")]],
    {},
    {Raw("a"): Raw("b")},
    [Raw("~")],
]
TEMPLATES = [
    "{{ params.x }}",
    "{{params.x}}",
    "{{}}",
    "{{ }}",
    "pre {{ a }} post",
    "{ { x } }",
    "{{ x }",
    "{{ globals.ports[0] }}",
    "{{ uuids | list }}",
    "{{  }}",
    "{{x}} {{y}}",
]
#: Explicitly tagged scalars and collections (safe_load knows the `!!` ones, not `!custom`).
TAGGED = [
    "!!str 1",
    "!!str yes",
    "!!str 0755",
    "!!int '7'",
    "!!float '1'",
    "!!bool 'yes'",
    "!!null ''",
    "!!binary aGVsbG8=",
    "!!timestamp 2020-01-01",
    "!custom x",
    "!!python/name:os.system ''",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!str",
    "! x",
    "!!map {}",
    "!!seq [a]",
    "!",
    '"\\uD800"',
    '"\\x41"',
    '"\\N"',
]
#: Pieces of YAML syntax for "token soup" values (one line, no tab, no `!`/`%`/escapes).
SOUP = ["a", "b", "1", " ", ":", "?", "#", " #", "-", "[", "]", "{", "}", ",", "'", '"', "&x", "*x", "|", ">", "@"]
SOUP += ["`", "=", ".", "/", "~", "? ", ": ", "- ", "x?y", "https://h/r.git?ref=main", "a:b", "<<"]
BLOCK_HEADERS = ["|", "|-", "|+", ">", ">-", "|2", "|#c", "| #c", ">-2#x", "|1"]
UNKNOWN_KEYS = [
    "foo",
    "name",
    "dir",
    "Connection",
    "connections",
    "url",
    "image",
    "kind",
    "extra_field",
    "yes",
    "1",
    "~",
    "lineageref",
    "LineageRef",
    "modelref",
]

K8S_KEYS = [
    "args",
    "command",
    "env",
    "envFrom",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "name",
    "ports",
    "readinessProbe",
    "resizePolicy",
    "resources",
    "restartPolicy",
    "restartPolicyRules",
    "securityContext",
    "startupProbe",
    "stdin",
    "stdinOnce",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
]
ODD_CONTAINER_KEYS = [
    "Image",
    "IMAGE",
    "image_pull_policy",
    "ImagePullPolicy",
    "imagePULLPolicy",
    "image-pull-policy",
    "foo",
    "localVarsConfiguration",
    "volume_mounts",
    "VolumeMounts",
    "WorkingDir",
    "workingdir",
    "ENV_FROM",
    "env_from",
    "Command",
    "resources_",
    "_image",
    "working__dir",
    "image pull policy",
    "1",
    "yes",
    "~",
    "1.5",
    "2020-01-01",
]

UUIDS = [
    "d1410a914d18457d8a0c3d3f4a4d9ab6",
    "56f1a7f2-2b0b-4f5b-9f5e-7c1c0d1e2f3a",
    "{56f1a7f2-2b0b-4f5b-9f5e-7c1c0d1e2f3a}",
    "urn:uuid:56f1a7f2-2b0b-4f5b-9f5e-7c1c0d1e2f3a",
]
BAD_UUIDS = ["abc", "1234", "d1410a914d18457d8a0c3d3f4a4d9ab", "zz410a914d18457d8a0c3d3f4a4d9ab6", ""]
IMAGES = [
    "busybox",
    "python:3.11",
    "host:5000/a:b",
    "https://reg/img:1",
    "gcr.io/p/img",
    "polyaxon/polyaxon-examples",
]
ODD_IMAGES = [
    "a b",
    "a:b:c",
    "",
    "UPPER",
    "img:",
    ":tag",
    "a//b",
    "img@sha256:abc",
    "http://h/i",
    "-x",
    "a:b c",
    "{{ params.img }}",
    "img:{{ params.tag }}",
]
ARTIFACT_KINDS = ["file", "dir", "model", "dockerfile", "docker_image", "tensorboard", "span", "csv"]
ODD_KINDS = ["script", "File", "FILE", "docker-image", "dockerImage", "", "files"]


class EntryMaker:
    """Builds one init entry at a time from a shared random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # -- leaf tokens -----------------------------------------------------------------------------
    def s(self, text: str) -> Raw:
        """A token reading back as the string `text`."""
        return string(text, self.rng)

    def odd(self) -> Any:
        """A value of a surprising type (bare YAML 1.1 scalars, small collections)."""
        if self.rng.random() < 0.85:
            return Raw(self.rng.choice(ODD_SCALARS))
        return self.rng.choice(ODD_COLLECTIONS)

    def template(self) -> Raw:
        """A quoted template-ish string: valid (`{{ x }}`, `{{ }}`) or not (`{{}}`, `{ { x } }`)."""
        return quote(self.rng.choice(TEMPLATES), self.rng)

    def str_list(self, words: list[str], pairs: bool = True) -> list[Any]:
        """A list of strings and, when `pairs`, [from, to] pairs (or odd-length inner lists)."""
        items: list[Any] = []
        for _ in range(self.rng.randint(0, 3)):
            if pairs and self.rng.random() < 0.3:
                inner = [self.s(self.rng.choice(words)) for _ in range(self.rng.choice([0, 1, 2, 2, 2, 3]))]
                items.append(inner)
            else:
                items.append(self.s(self.rng.choice(words)))
        return items

    # -- handlers --------------------------------------------------------------------------------
    def artifacts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        words = ["data", "a/b", "/plx/x", "file1", "to/file1", "outputs"]
        if self.rng.random() < 0.6:
            out["files"] = self.str_list(words)
        if self.rng.random() < 0.6:
            out["dirs"] = self.str_list(words)
        if self.rng.random() < 0.3:
            out["workers"] = Raw(str(self.rng.choice([1, 2, 8, -5, 0])))
        return out

    def paths(self) -> Any:
        if self.rng.random() < 0.15:
            return self.s(self.rng.choice(["a/b", "data", "x,y"]))
        return self.str_list(["a", "b/c", "/to/a", "data"])

    def git(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.rng.random() < 0.85:
            out["url"] = self.s(
                self.rng.choice(["https://github.com/o/r", "git@github.com:o/r.git", "https://x/y.git"])
            )
        if self.rng.random() < 0.4:
            out["revision"] = self.s(self.rng.choice(["main", "branch2", "v1.0", "abc123"]))
        if self.rng.random() < 0.3:
            out["flags"] = [
                self.s(f) for f in self.rng.sample(["--recursive", "-c http.sslVerify=false", "--depth 1"], 2)
            ]
        return out

    def dockerfile(self) -> dict[str, Any]:
        out: dict[str, Any] = {"image": self.s(self.rng.choice(IMAGES))}
        options: dict[str, Any] = {
            "env": lambda: (
                {Raw("KEY1"): self.s("en_US.UTF-8"), Raw(self.rng.choice(["KEY2", "=", "1", "yes", "~"])): Raw("2")}
                if self.rng.random() < 0.6
                else [[self.s("K"), self.s("v")]]
            ),
            "path": lambda: [self.s("/m")],
            "copy": lambda: [self.s("req.txt"), [self.s("a"), self.s("/b")]],
            "postRunCopy": lambda: [self.s("c")],
            "run": lambda: [self.s("pip install x"), self.s("ls")],
            "langEnv": lambda: self.s("en_US.UTF-8"),
            "uid": lambda: Raw(self.rng.choice(["2222", "1000", "0"])),
            "gid": lambda: Raw(self.rng.choice(["1111", "1000"])),
            "username": lambda: self.s("u"),
            "filename": lambda: self.s("Dockerfile2"),
            "workdir": lambda: self.s("/w"),
            "workdirPath": lambda: self.s("./"),
            "shell": lambda: self.s("/bin/sh"),
        }
        for key in self.rng.sample(list(options), self.rng.randint(0, 4)):
            out[key] = options[key]()
        return out

    def file(self) -> dict[str, Any]:
        out: dict[str, Any] = {"content": self.s(self.rng.choice(["echo test", "x", "", "print(1)"]))}
        if self.rng.random() < 0.6:
            out["filename"] = self.s(self.rng.choice(["script.sh", "s.py"]))
        if self.rng.random() < 0.4:
            out["chmod"] = self.rng.choice([quote("+x", self.rng), quote("0755", self.rng), Raw("'755'")])
        if self.rng.random() < 0.4:
            out["kind"] = self.s(self.rng.choice(ARTIFACT_KINDS))
        return out

    def tensorboard(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.rng.random() < 0.5:
            out["port"] = Raw(self.rng.choice(["6006", "-1", "8080"]))
        if self.rng.random() < 0.5:
            if self.rng.random() < 0.5:
                out["uuids"] = [quote(u, self.rng) for u in self.rng.sample(UUIDS, 2)]
            else:
                out["uuids"] = quote(",".join(self.rng.sample(UUIDS[:2], 2)), self.rng)
        if self.rng.random() < 0.4:
            out["useNames"] = Raw(self.rng.choice(["true", "false", "yes", "'true'", "1", "0"]))
        if self.rng.random() < 0.3:
            out["pathPrefix"] = self.s("/prefix")
        if self.rng.random() < 0.4:
            out["plugins"] = [self.s("tensorboard-plugin-profile")] if self.rng.random() < 0.5 else self.s("a, b")
        return out

    def ref(self) -> Raw:
        return self.s(
            self.rng.choice(
                [
                    "281081ab11794df0867e80d6ff20f960:artifactLineageRef",
                    "m1",
                    "otherProject:version",
                    "org/model:v2",
                ]
            )
        )

    def container(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.rng.random() < 0.7:
            out["image"] = self.s(self.rng.choice(["busybox", "busybox:1.28"]))
        extras = {
            "name": lambda: self.s("myapp"),
            "command": lambda: [self.s("sh"), self.s("-c"), self.s("echo hi")],
            "args": lambda: [self.s("--x")],
            "resources": lambda: {Raw("requests"): {Raw("memory"): Raw("256Mi"), Raw("cpu"): Raw("500m")}},
            "imagePullPolicy": lambda: Raw("Always"),
            "volumeMounts": lambda: [{Raw("name"): Raw("v"), Raw("mountPath"): Raw("/v")}],
            "env": lambda: [{Raw("name"): Raw("A"), Raw("value"): quote("1", self.rng)}],
            "workingDir": lambda: Raw("/w"),
        }
        for key in self.rng.sample(list(extras), self.rng.randint(0, 3)):
            out[key] = extras[key]()
        return out

    def handler(self, name: str) -> Any:
        """A valid value for handler `name`."""
        if name in REF_FIELDS:
            return self.ref()
        return getattr(self, name)()

    def falsy_handler(self, name: str) -> Any:
        """A value for `name` that Polyaxon's one-handler rule may or may not count."""
        choices: dict[str, list[Any]] = {
            "paths": [[], Raw("''"), Raw("~")],
            "lineageRef": [Raw("''"), Raw("~")],
            "modelRef": [Raw("''"), Raw("~")],
            "artifactRef": [Raw("''")],
            "artifacts": [{}, Raw("~")],
            "tensorboard": [{}],
            "git": [{}],
            "dockerfile": [Raw("~")],
            "file": [Raw("~")],
        }
        return self.rng.choice(choices[name])

    # -- entries ---------------------------------------------------------------------------------
    def entry(self, tags: list[str]) -> Any:
        """One init entry (usually a mapping), mutated with probability; tags describe it."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:
            tags.append("entry:not-a-mapping")
            return Raw(rng.choice(["~", "'connection'", "1", "[]", "connection"]))
        entry: dict[str, Any] = {}
        base = rng.choice([*HANDLERS, *HANDLERS, "connection", "container", "path", "empty"])
        tags.append(f"base:{base}")
        if base in HANDLERS:
            entry[base] = self.handler(base)
        elif base == "connection":
            entry["connection"] = self.s(rng.choice(["repo1", "s3-ds", "gcs"]))
        elif base == "container":
            entry["container"] = self.container()
        elif base == "path":
            entry["path"] = self.s("/some/path")
        if base != "connection" and rng.random() < 0.3:
            entry["connection"] = self.s(rng.choice(["repo2", "c", "{{ params.conn }}"]))
        if base != "path" and rng.random() < 0.15:
            entry["path"] = self.s("/x")
        if base != "container" and rng.random() < 0.2:
            entry["container"] = self.container()
        if rng.random() < 0.12:
            keys = list(entry)
            rng.shuffle(keys)
            entry = {key: entry[key] for key in keys}
        for _ in range(rng.choice([0, 0, 0, 1, 1, 1, 1, 2, 2, 3])):
            self.mutate(entry, tags)
        return entry

    def mutate(self, entry: dict[str, Any], tags: list[str]) -> None:
        """Apply one random mutation in place."""
        name = self.rng.choice(MUTATIONS)
        getattr(self, f"_m_{name}")(entry, tags)

    # -- mutations -------------------------------------------------------------------------------
    @staticmethod
    def _only(entry: dict[str, Any], name: str) -> None:
        """Drop every handler but `name`, so a handler probe is not masked by the one-handler rule."""
        for key in list(entry):
            if key in HANDLERS and key != name:
                del entry[key]

    def _target(self, entry: dict[str, Any]) -> tuple[dict[str, Any], str, str] | None:
        """A random (mapping, key, dotted path) among the entry and its handler mappings."""
        spots: list[tuple[dict[str, Any], str, str]] = [(entry, key, key) for key in entry]
        for key, value in entry.items():
            if isinstance(value, dict) and key != "container":
                spots.extend((value, sub, f"{key}.{sub}") for sub in value)
        return self.rng.choice(spots) if spots else None

    def _m_wrong_type(self, entry: dict[str, Any], tags: list[str]) -> None:
        spot = self._target(entry)
        if spot:
            mapping, key, path = spot
            mapping[key] = self.odd()
            tags.append(f"odd:{path}={mapping[key]!s}")

    def _m_template(self, entry: dict[str, Any], tags: list[str]) -> None:
        spot = self._target(entry)
        if spot:
            mapping, key, path = spot
            mapping[key] = self.template()
            tags.append(f"template:{path}={mapping[key]}")

    def _m_template_handler(self, entry: dict[str, Any], tags: list[str]) -> None:
        key = self.rng.choice([*HANDLERS, "container", "connection", "path"])
        entry[key] = self.template()
        tags.append(f"template:{key}={entry[key]}")

    def _m_extra_key(self, entry: dict[str, Any], tags: list[str]) -> None:
        nested = [k for k, v in entry.items() if isinstance(v, dict) and k != "container"]
        where = entry if not nested or self.rng.random() < 0.4 else entry[self.rng.choice(nested)]
        key = self.rng.choice(UNKNOWN_KEYS)
        if key in where:
            return
        where[key] = self.s("x")
        tags.append(f"extra:{key}")

    def _m_snake(self, entry: dict[str, Any], tags: list[str], conflict: bool = False) -> None:
        for mapping in [entry, *[v for k, v in entry.items() if isinstance(v, dict) and k != "container"]]:
            for key in list(mapping):
                if key in SNAKE:
                    value = mapping[key]
                    if not conflict:
                        del mapping[key]
                    mapping[SNAKE[key]] = value
                    tags.append(f"{'conflict' if conflict else 'snake'}:{SNAKE[key]}")
                    return
        if self.rng.random() < 0.5:
            key = self.rng.choice(["lineage_ref", "model_ref", "artifact_ref"])
            entry[key] = self.ref()
            tags.append(f"snake:{key}")

    def _m_alias_conflict(self, entry: dict[str, Any], tags: list[str]) -> None:
        self._m_snake(entry, tags, conflict=True)

    def _m_second_handler(self, entry: dict[str, Any], tags: list[str]) -> None:
        name = self.rng.choice([h for h in HANDLERS if h not in entry] or list(HANDLERS))
        if self.rng.random() < 0.45:
            entry[name] = self.falsy_handler(name)
            tags.append(f"handler+falsy:{name}={entry[name]!s}")
        else:
            entry[name] = self.handler(name)
            tags.append(f"handler+:{name}")

    def _m_drop_required(self, entry: dict[str, Any], tags: list[str]) -> None:
        for key, required in (("dockerfile", "image"), ("file", "content"), ("git", "url")):
            if isinstance(entry.get(key), dict) and required in entry[key]:
                if self.rng.random() < 0.5:
                    del entry[key][required]
                    tags.append(f"drop:{key}.{required}")
                else:
                    entry[key][required] = Raw(self.rng.choice(["''", "~", ""]))
                    tags.append(f"empty:{key}.{required}")
                return

    def _m_git_connection(self, entry: dict[str, Any], tags: list[str]) -> None:
        self._only(entry, "git")
        entry["git"] = self.template() if self.rng.random() < 0.4 else {Raw("revision"): Raw("main")}
        choice = self.rng.choice(["none", "none", "c", "''", "~"])
        entry.pop("connection", None)
        if choice != "none":
            entry["connection"] = Raw(choice)
        tags.append(f"git-connection:{entry['git']!s}/{choice}")

    def _m_docker_image(self, entry: dict[str, Any], tags: list[str]) -> None:
        image = self.rng.choice(ODD_IMAGES + IMAGES)
        self._only(entry, "dockerfile")
        entry.setdefault("dockerfile", {})
        if not isinstance(entry["dockerfile"], dict):
            entry["dockerfile"] = {}
        entry["dockerfile"]["image"] = (
            quote(image, self.rng) if not image or "{" in image or " " in image else self.s(image)
        )
        tags.append(f"image:{image!r}")

    def _m_lax_int(self, entry: dict[str, Any], tags: list[str]) -> None:
        target, key = self.rng.choice(
            [("dockerfile", "uid"), ("dockerfile", "gid"), ("tensorboard", "port"), ("artifacts", "workers")]
        )
        value = Raw(self.rng.choice(["'1000'", "1.0", "true", "1.5", "'1.0'", "1e3", "0755", "'-3'", "' 7 '", "2.0"]))
        self._only(entry, target)
        if not isinstance(entry.get(target), dict):
            entry[target] = self.dockerfile() if target == "dockerfile" else {}
        entry[target][key] = value
        tags.append(f"laxint:{target}.{key}={value}")

    def _m_tensorboard_lists(self, entry: dict[str, Any], tags: list[str]) -> None:
        self._only(entry, "tensorboard")
        board = entry["tensorboard"] if isinstance(entry.get("tensorboard"), dict) else {}
        entry["tensorboard"] = board
        roll = self.rng.random()
        if roll < 0.4:
            board["uuids"] = quote(", ".join([self.rng.choice(UUIDS[:2]), self.rng.choice(BAD_UUIDS)]), self.rng)
        elif roll < 0.6:
            board["uuids"] = [quote(self.rng.choice(BAD_UUIDS + UUIDS), self.rng)]
        elif roll < 0.8:
            board["plugins"] = Raw(self.rng.choice(["''", "'a,b'", "[a, 1]", "a", "'{{ p }}'", "1"]))
        else:
            board["useNames"] = Raw(
                self.rng.choice(["'maybe'", "'yes'", "'on'", "'1'", "2", "'off'", "'t'", "1.0", "'Y'"])
            )
        tags.append(f"tensorboard:{board}")

    def _m_file_kind(self, entry: dict[str, Any], tags: list[str]) -> None:
        self._only(entry, "file")
        file = entry["file"] if isinstance(entry.get("file"), dict) else {Raw("content"): Raw("x")}
        entry["file"] = file
        if self.rng.random() < 0.5:
            file["kind"] = self.s(self.rng.choice(ODD_KINDS + ARTIFACT_KINDS))
        else:
            file["chmod"] = Raw(self.rng.choice(["0755", "755", "'+x'", "+x", "0o755", "'0755'"]))
        tags.append(f"file:{file}")

    def _m_container_keys(self, entry: dict[str, Any], tags: list[str]) -> None:
        container = entry["container"] if isinstance(entry.get("container"), dict) else {}
        entry["container"] = container
        key = self.rng.choice(ODD_CONTAINER_KEYS + K8S_KEYS)
        container[quote(key, self.rng) if " " in key else key] = self.s("x") if self.rng.random() < 0.5 else self.odd()
        tags.append(f"container-key:{key}")

    def _m_container_values(self, entry: dict[str, Any], tags: list[str]) -> None:
        container = entry["container"] if isinstance(entry.get("container"), dict) else {}
        entry["container"] = container
        key = self.rng.choice(K8S_KEYS)
        container[key] = self.odd() if self.rng.random() < 0.7 else {Raw("a"): Raw("b")}
        tags.append(f"container-value:{key}={container[key]!s}")

    def _m_container_scalar(self, entry: dict[str, Any], tags: list[str]) -> None:
        entry["container"] = self.rng.choice(
            [self.template(), Raw("busybox"), Raw("~"), Raw("[]"), Raw("'{{ params.c }}'")]
        )
        tags.append(f"container-scalar:{entry['container']}")

    def _m_duplicate_key(self, entry: dict[str, Any], tags: list[str]) -> None:
        if entry:
            key = self.rng.choice(list(entry))
            entry[DupKey(key)] = self.s("dup")
            tags.append(f"duplicate:{key}")

    def _m_yaml_tag(self, entry: dict[str, Any], tags: list[str]) -> None:
        spot = self._target(entry)
        if spot:
            mapping, key, path = spot
            mapping[key] = Raw(self.rng.choice(TAGGED))
            tags.append(f"tag:{path}={mapping[key]}")

    def _m_merge_key(self, entry: dict[str, Any], tags: list[str]) -> None:
        merged = self.rng.choice(
            [
                {Raw("connection"): Raw("m")},
                {Raw("path"): Raw("/m")},
                {Raw("paths"): [Raw("a")]},
                {Raw("foo"): Raw("1")},
            ]
        )
        entry[Raw("<<")] = merged
        tags.append(f"merge:{merged}")

    def _m_syntax_soup(self, entry: dict[str, Any], tags: list[str]) -> None:
        """A one-line string of YAML punctuation where any string is fine: the parser decides."""
        soup = "".join(self.rng.choice(SOUP) for _ in range(self.rng.randint(1, 5))).strip() or "a"
        key = self.rng.choice(["connection", "path", "lineageRef"])
        if key in HANDLERS:
            self._only(entry, key)
        entry[key] = Raw(soup)
        tags.append(f"soup:{key}={soup}")

    def _m_block_scalar(self, entry: dict[str, Any], tags: list[str]) -> None:
        """`file.content` as a literal/folded block scalar (flow documents write it quoted)."""
        self._only(entry, "file")
        file = entry["file"] if isinstance(entry.get("file"), dict) else {}
        header = self.rng.choice(BLOCK_HEADERS)
        file["content"] = BlockScalar(header, self.rng.choice([["echo hi"], ["#!/bin/sh", "", "echo ok"], [" x"]]))
        entry["file"] = file
        tags.append(f"block-scalar:{header}")

    def _m_null_field(self, entry: dict[str, Any], tags: list[str]) -> None:
        spot = self._target(entry)
        if spot:
            mapping, key, path = spot
            mapping[key] = Raw(self.rng.choice(["~", "null", ""]))
            tags.append(f"null:{path}")


MUTATIONS = [name[3:] for name in dir(EntryMaker) if name.startswith("_m_")]

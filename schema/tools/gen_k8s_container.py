"""Generate JSON Schema (2020-12) `$defs` for the Kubernetes objects Polyaxon checks by top-level key.

Roots (each gets snake_case aliases, a `<def>-key` pattern and `x-plx-severity: warning`: on the
container as a whole, on the values of the others, whose shape, key names and required keys are errors): V1Container,
V1Volume, V1Toleration, V1Affinity, V1HostAlias, V1PodDNSConfig, V1PodFailurePolicy; plus
`k8s-security-context-key` (environment.securityContext is a V1SecurityContext). The roots other than the
container carry `propertyNames` themselves; the container's key check lives in overlay/10-init.json.

Walks `kubernetes.client.V1Container` and every model it reaches through
`openapi_types`, and writes the result to `schema/generated/kubernetes.json` (then `schema/tools/build.py`
combines it into the canonical schema): def names (`k8s-container`,
`k8s-env-var`, ...) mapping to subschemas, plus `k8s-container-key`, a pattern for
the top-level container keys that Polyaxon accepts (it passes `to_snake_case(key)`
as a kwarg to `V1Container.__init__`). `k8s-container` also gets the snake_case
aliases of its fields and `x-plx-severity: warning` (Polyaxon does not check the
values; Kubernetes rejects them when the job starts).

Run with the oracle venv (polyaxon 2.18.0, kubernetes 36.0.3):

    .venv-oracle/bin/python schema/tools/gen_k8s_container.py          # update the schema
    .venv-oracle/bin/python schema/tools/gen_k8s_container.py --check  # prove the key pattern
"""

import inspect
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys

import kubernetes.client as k8s

SCHEMA_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED = os.path.join(SCHEMA_DIR, "generated", "kubernetes.json")
ROOT = "V1Container"
# Models Polyaxon checks by top-level key only (k8s_validation._validate_schema); V1Container is ROOT.
ROOTS = [
    "V1Container",
    "V1Volume",
    "V1Toleration",
    "V1Affinity",
    "V1HostAlias",
    "V1PodDNSConfig",
    "V1PodFailurePolicy",
]
# Checked by top-level key too (environment.securityContext is V1SecurityContext) but also nested in
# k8s-container, where its def stays strict: only its key pattern is emitted.
KEY_ONLY = ["V1SecurityContext"]
ENUMS = {
    "image_pull_policy": ["Always", "Never", "IfNotPresent"],
    "termination_message_policy": ["File", "FallbackToLogsOnError"],
}
QUANTITY_DOC = re.compile(r"quantit|ResourceList|compute resources", re.I)
# The generated client classes carry no docstring; these follow the Kubernetes API reference.
MODEL_DOCS = {
    "V1AppArmorProfile": "AppArmor profile applied to a container or pod.",
    "V1Capabilities": "POSIX capabilities to add to or drop from a running container.",
    "V1ConfigMapEnvSource": "Selects a ConfigMap whose key-value pairs populate environment variables.",
    "V1ConfigMapKeySelector": "Selects a key from a ConfigMap.",
    "V1Container": "A single application container to run within a pod.",
    "V1ContainerPort": "A network port exposed by a single container.",
    "V1ContainerResizePolicy": "Resource resize policy for a container.",
    "V1ContainerRestartRule": "A rule deciding the container restart action on container exit.",
    "V1ContainerRestartRuleOnExitCodes": "Exit-code condition of a container restart rule.",
    "CoreV1ResourceClaim": "A reference to one entry in the pod's spec.resourceClaims.",
    "V1EnvFromSource": "A source (ConfigMap or Secret) for a set of environment variables.",
    "V1EnvVar": "An environment variable present in a container.",
    "V1EnvVarSource": "A source for the value of an environment variable.",
    "V1ExecAction": "Runs a command inside the container.",
    "V1FileKeySelector": "Selects a key of an env file.",
    "V1GRPCAction": "Performs a gRPC health check.",
    "V1HTTPGetAction": "Performs an HTTP GET request.",
    "V1HTTPHeader": "A custom header used in HTTP probes.",
    "V1Lifecycle": "Actions the management system should take in response to container lifecycle events.",
    "V1LifecycleHandler": (
        "A specific action to take in a lifecycle hook (exactly one of exec, httpGet, sleep, tcpSocket)."
    ),
    "V1ObjectFieldSelector": "Selects a field of the pod (e.g. metadata.name).",
    "V1Probe": "A health check performed against a container to decide whether it is alive or ready.",
    "V1ResourceFieldSelector": "Selects a container resource (limits or requests) and an optional output format.",
    "V1ResourceRequirements": "Compute resource requirements (limits, requests, claims).",
    "V1SELinuxOptions": "SELinux labels applied to the container.",
    "V1SeccompProfile": "Seccomp profile settings.",
    "V1SecretEnvSource": "Selects a Secret whose key-value pairs populate environment variables.",
    "V1SecretKeySelector": "Selects a key of a Secret.",
    "V1SecurityContext": "Security configuration applied to a container; overrides the pod security context.",
    "V1SleepAction": "Sleeps for a number of seconds.",
    "V1TCPSocketAction": "Opens a TCP socket.",
    "V1VolumeDevice": "A mapping of a raw block device within a container.",
    "V1VolumeMount": "Mounting of a volume within a container.",
    "V1WindowsSecurityContextOptions": "Windows-specific options and credentials.",
}
KELVIN = "\u212a"  # KELVIN SIGN: str.lower() maps it to ASCII "k"


# ---------------------------------------------------------------- naming


def def_name(cls_name):
    """V1EnvVar -> k8s-env-var; CoreV1ResourceClaim -> k8s-resource-claim."""
    base = re.sub(r"^(?:Core)?V\d+(?:(?:alpha|beta)\d+)?", "", cls_name)
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", base)
    words = re.sub(r"([a-z\d])([A-Z])", r"\1-\2", words)
    return "k8s-" + words.lower()


def ref(cls_name):
    return {"$ref": "#/$defs/" + def_name(cls_name)}


# ---------------------------------------------------------------- docstrings


def clean_doc(doc):
    """Keep the description paragraph of a generated getter docstring."""
    lines = [ln.strip() for ln in (doc or "").splitlines()][1:]  # drop "Gets the x of ..."
    kept = [ln for ln in lines if not ln.startswith((":return:", ":rtype:"))]
    text = " ".join(ln.replace("# noqa: E501", "").strip() for ln in kept)
    return re.sub(r"\s+", " ", text).strip()


def class_description(cls):
    doc = inspect.cleandoc(cls.__doc__ or "")
    if doc and "auto generated by OpenAPI Generator" not in doc:
        return re.sub(r"\s+", " ", doc)
    text = MODEL_DOCS.get(cls.__name__, f"Kubernetes {cls.__name__} object.")
    return f"{text} (kubernetes.client.{cls.__name__})"


# ---------------------------------------------------------------- types


def model_class(type_str):
    cls = getattr(k8s, type_str, None)
    return cls if inspect.isclass(cls) and hasattr(cls, "openapi_types") else None


def type_schema(type_str):
    """Map an openapi_types string to a schema; returns (schema, models used)."""
    t = type_str.strip()
    m = re.fullmatch(r"list\[(.+)\]", t)
    if m:
        items, used = type_schema(m.group(1))
        return {"type": "array", "items": items}, used
    m = re.fullmatch(r"dict[\[(]\s*str\s*,\s*(.+)[\])]", t)
    if m:
        values, used = type_schema(m.group(1))
        return {"type": "object", "additionalProperties": values}, used
    scalars = {"str": "string", "int": "integer", "bool": "boolean", "float": "number"}
    if t in scalars:
        return {"type": scalars[t]}, []
    if t == "datetime":
        return {"type": "string"}, []  # an RFC 3339 time; no `format`, which strict Ajv would need a plugin for
    if t == "object":
        return {}, []  # IntOrString and friends
    if model_class(t):
        return ref(t), [t]
    raise ValueError(f"unknown openapi type {type_str!r}")


def is_required(cls, attr):
    setter = getattr(cls, attr).fset
    return "must not be `None`" in inspect.getsource(setter)


def property_schema(cls, attr):
    schema, used = type_schema(cls.openapi_types[attr])
    desc = clean_doc(getattr(cls, attr).fget.__doc__)
    if not desc and used:  # the client leaves model-typed fields undocumented
        desc = class_description(getattr(k8s, used[0]))
    if schema.get("additionalProperties") == {"type": "string"} and QUANTITY_DOC.search(desc):
        schema["additionalProperties"] = {"type": ["string", "number"]}
    if cls.__name__ == ROOT and attr in ENUMS:
        schema["enum"] = ENUMS[attr]
    schema["description"] = desc
    return schema, used


def model_def(cls):
    props, required, used = {}, [], []
    for attr in sorted(cls.openapi_types):
        key = cls.attribute_map[attr]
        props[key], deps = property_schema(cls, attr)
        used += deps
        if is_required(cls, attr):
            required.append(key)
    schema = {"type": "object", "description": class_description(cls), "properties": props}
    if cls.__name__ not in ROOTS:
        schema["additionalProperties"] = False
        if required:
            schema["required"] = sorted(required)
    return schema, used


def collect_defs(root=ROOT):
    defs, todo, seen = {}, [root], {}
    while todo:
        name = todo.pop()
        dname = def_name(name)
        if dname in seen:
            assert seen[dname] == name, f"def name clash: {seen[dname]} / {name}"
            continue
        seen[dname] = name
        defs[dname], used = model_def(getattr(k8s, name))
        todo += used
    return defs


# ---------------------------------------------------------------- container keys


def to_snake_case(camel_str):
    """Verbatim copy of Polyaxon's key conversion."""
    regex1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
    regex2 = re.compile(r"([a-z\d])([A-Z])")
    return regex2.sub(r"\1_\2", regex1.sub(r"\1_\2", camel_str)).lower()


def init_params(cls_name=ROOT):
    sig = inspect.signature(getattr(k8s, cls_name).__init__)
    return sorted(p for p in sig.parameters if p != "self")


def unit_casings(unit):
    return sorted({unit, unit.capitalize(), unit.upper()}) if unit else [""]


def word_regex(word):
    """A snake word as lower/Capitalized/UPPER; each 'k' may also be KELVIN SIGN,
    which lowercases to 'k' but is no ASCII letter, so it splits the word into
    independently cased units (to_snake_case inserts no '_' next to it)."""
    forms = set()
    ks = [i for i, ch in enumerate(word) if ch == "k"]
    for kelvin in itertools.product([False, True], repeat=len(ks)):
        cuts = [i for i, kv in zip(ks, kelvin, strict=True) if kv]
        units = [word[a + 1 if a >= 0 else 0 : b] for a, b in zip([-1, *cuts], [*cuts, len(word)], strict=True)]
        for cased in itertools.product(*map(unit_casings, units)):
            forms.add(KELVIN.join(cased))
    return "(?:" + "|".join(sorted(f.replace(KELVIN, "\\u212A") for f in forms)) + ")"


# Between two words: an explicit '_', or nothing where to_snake_case inserts
# one itself: upper after lower (regex2), or upper+lower after upper (regex1).
SEPARATOR = "(?:_|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]))"


def key_regex(name):
    return SEPARATOR.join(word_regex(w) for w in name.split("_"))


def container_key_pattern(names):
    # `$(?!\n)`: Python's `$` also matches before a trailing newline.
    return "^(?:" + "|".join(key_regex(n) for n in names) + ")$(?!\\n)"


def container_key_def(cls_name=ROOT):
    names = init_params(cls_name)
    example = max(names, key=lambda n: (n.count("_"), n))
    camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), example)
    forms = ", ".join([camel, example, camel[0].upper() + camel[1:], example.upper()])
    return {
        "type": "string",
        "description": f"A {cls_name} key as Polyaxon accepts it: any key whose "
        f"to_snake_case() form is a {cls_name}.__init__ parameter (e.g. {forms}).",
        "pattern": container_key_pattern(names),
    }


# ---------------------------------------------------------------- check


def _casings(w):
    return {w, w.capitalize(), w.upper(), w[:-1] + w[-1].upper(), w.swapcase().capitalize().swapcase()}


def candidate_keys(names, rng, mutations=40):
    out = set()
    for name in names:
        words = name.split("_")
        for cased in itertools.product(*map(_casings, words)):
            for seps in itertools.product(["", "_", "__", "-"], repeat=len(words) - 1):
                out.add(cased[0] + "".join(s + c for s, c in zip(seps, cased[1:], strict=True)))
    for name in names:  # exhaustive per-letter casing where affordable
        letters = name.replace("_", "")
        gaps = name.count("_")
        if len(letters) + gaps > 17:
            continue
        for flips in itertools.product([str.lower, str.upper], repeat=len(letters)):
            for seps in itertools.product(["", "_"], repeat=gaps):
                cased, sep = (f(c) for f, c in zip(flips, letters, strict=True)), iter(seps)
                out.add("".join(next(sep) if ch == "_" else next(cased) for ch in name))
    pool = "_-0aZ\n " + KELVIN + "\u0130\u017f"
    for key in sorted(out):
        for _ in range(mutations // 10 if len(out) > 5000 else mutations):
            k = list(key)
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(k) + 1)
                op = rng.randrange(5)
                if op == 0 and i < len(k):
                    k[i] = k[i].swapcase()
                elif op == 1:
                    k.insert(i, rng.choice(pool))
                elif op == 2 and i < len(k):
                    del k[i]
                elif op == 3 and i < len(k) and k[i] in "kK":
                    k[i] = KELVIN
                else:
                    k[i:i] = rng.choice(["x", "X", "_", "9", ""])
            out.add("".join(k))
    out.update(["", "_", "image\n", "\nimage", "image_", "_image", "IMAGEPULLPOLICY", "iMaGe", "image-pull-policy"])
    return sorted(out)


def check_js(pattern, keys, expected):
    node = shutil.which("node")
    if not node:
        print("node not found: ECMAScript check skipped")
        return
    script = (
        "const d=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "const re=new RegExp(d.p,'u');let bad=0;"
        "d.k.forEach((k,i)=>{if(re.test(k)!==d.e[i]){bad++;if(bad<10)console.log(JSON.stringify(k));}});"
        "console.log('ECMAScript mismatches:',bad);process.exit(bad?1:0);"
    )
    payload = json.dumps({"p": pattern, "k": keys, "e": expected})
    subprocess.run([node, "-e", script], input=payload, text=True, check=True)


def check_polyaxon(names):
    from polyaxon._k8s.k8s_validation import validate_k8s_container

    odd = [
        "Image",
        "IMAGE",
        "ImagePullPolicy",
        "IMAGE_PULL_POLICY",
        "imagePULLPolicy",
        "WORKINGDir",
        "restartPolicyRULES",
        "iMaGe",
        "image-pull-policy",
        "IMAGEPULLPOLICY",
        "image__pull_policy",
        "workingDIR",
        "VolumeMOUNTS",
        "wor" + KELVIN + "ING_dir",
        "image\n",
    ]
    pattern = re.compile(container_key_pattern(names))
    for key in odd:
        try:
            validate_k8s_container({key: "x"})
            accepted = True
        except TypeError:
            accepted = False
        except Exception:  # a known key with a bad value, e.g. env: "x"
            accepted = True
        assert accepted == bool(pattern.search(key)), key
        print(f"polyaxon {key!r:<22} accepted={accepted}")


def run_check():
    for cls_name in ROOTS + KEY_ONLY:
        check_root(cls_name)


def check_root(cls_name):
    names = init_params(cls_name)
    pattern = container_key_pattern(names)
    compiled = re.compile(pattern)
    keys = candidate_keys(names, random.Random(0))
    expected = [to_snake_case(k) in names for k in keys]
    bad = [
        k
        for k, e in zip(keys, expected, strict=True)
        if bool(compiled.fullmatch(k)) != e or bool(compiled.search(k)) != e
    ]
    assert not bad, f"pattern mismatches: {bad[:20]!r}"
    print(f"{cls_name} python re: {len(keys)} candidates, {sum(expected)} accepted, 0 mismatches")
    check_js(pattern, keys, expected)
    if cls_name == ROOT:
        check_polyaxon(names)


# ---------------------------------------------------------------- required fields

_MUST_NOT_BE_NONE = re.compile(r"Invalid value for `(\w+)`, must not be `None`")


def client_required(cls_name):
    """The fields the client refuses to leave unset (`V1Volume(name=None)` raises), in its order:
    Polyaxon builds the object from the mapping, so these are errors."""
    cls = getattr(k8s, cls_name)
    found = []
    while True:
        try:
            cls(**{field: "x" for field in found})
            return found
        except ValueError as exc:
            match = _MUST_NOT_BE_NONE.search(str(exc))
            if match is None or match.group(1) in found:
                raise
            found.append(match.group(1))


def add_required(root, cls_name):
    """A rule for each field of `client_required` (errors): some key must name it, and not be null.

    Polyaxon passes `to_snake_case(key)` to the client, so `Name` or `NAME` gives `name` too: the key is
    matched by the field's key pattern, not by its camelCase spelling."""
    model = cls_name[2:]
    names = {to_snake_case(name): name for name in root["properties"]}
    rules = []
    for field in client_required(cls_name):
        name = names[field]
        spelled = container_key_pattern([field])
        prop = root["properties"][name]
        if isinstance(prop.get("type"), str):
            # null is the rule's error below, not also a warning about the value's type
            prop["type"] = [prop["type"], "null"]
        rules.append(
            {
                "if": {"type": "object"},
                "then": {
                    "description": f"Kubernetes requires `{name}` in a {model}.",
                    # not every key fails to spell the field: some key spells it
                    "not": {"propertyNames": {"not": {"pattern": spelled}}},
                    "x-plx-code": "required",
                    "errorMessage": f"A {model} needs `{name}`: Kubernetes requires it.",
                    "patternProperties": {
                        spelled: {
                            "not": {"type": "null"},
                            "x-plx-code": "invalid-value",
                            "errorMessage": f"`{name}` cannot be null: Kubernetes requires it in a {model}.",
                        }
                    },
                },
            }
        )
    if rules:
        # `if`/`then`, not `allOf`: the error mapper reads a def's keys from its first `allOf` branch
        root.update(rules[0] if len(rules) == 1 else {"if": {"type": "object"}, "then": {"allOf": rules}})


# ---------------------------------------------------------------- main


def main():
    if "--check" in sys.argv[1:]:
        run_check()
        return
    defs = {}
    for cls_name in ROOTS:
        for dname, schema in collect_defs(cls_name).items():
            assert defs.get(dname, schema) == schema, f"def differs between roots: {dname}"
            defs[dname] = schema
    for cls_name in ROOTS + KEY_ONLY:
        defs[def_name(cls_name) + "-key"] = container_key_def(cls_name)
    for cls_name in ROOTS:
        dname = def_name(cls_name)
        root = defs[dname]
        if cls_name == ROOT:
            root["x-plx-severity"] = "warning"
        else:
            # the object itself (a mapping, its key names, the keys the client requires) is what
            # Polyaxon checks, so only the values are warnings; the container's rules live in the
            # overlay (10-init.json)
            root["propertyNames"] = {"$ref": f"#/$defs/{dname}-key"}
            for sub in root["properties"].values():
                sub["x-plx-severity"] = "warning"
            add_required(root, cls_name)
        properties = root["properties"]
        for name in list(properties):
            alias = to_snake_case(name)
            if alias != name:
                properties[alias] = {
                    "$ref": f"#/$defs/{dname}/properties/{name}",
                    "description": f"Another name for `{name}`; prefer `{name}`.",
                    "x-plx-alias-of": name,
                }
                if cls_name != ROOT:
                    properties[alias]["x-plx-severity"] = "warning"
    for cls_name in KEY_ONLY:  # a top-level form beside the strict nested def
        dname = def_name(cls_name)
        nested = defs[dname]
        props = {}
        for name, sub in nested["properties"].items():
            props[name] = {"$ref": f"#/$defs/{dname}/properties/{name}", "description": sub["description"]}
            alias = to_snake_case(name)
            if alias != name:
                props[alias] = {
                    "$ref": f"#/$defs/{dname}/properties/{name}",
                    "description": f"Another name for `{name}`; prefer `{name}`.",
                    "x-plx-alias-of": name,
                }
        defs[f"k8s-environment-{dname[4:]}"] = {
            "type": "object",
            "description": nested["description"] + " Checked by Polyaxon by top-level key only.",
            "properties": dict(sorted(props.items())),
            "propertyNames": {"$ref": f"#/$defs/{dname}-key"},
            "x-plx-severity": "warning",
        }
    with open(GENERATED, encoding="utf-8") as fh:
        part = json.load(fh)
    part["$defs"] = dict(sorted(defs.items()))
    with open(GENERATED, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(part, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(defs)} k8s defs to {GENERATED}; now run schema/tools/build.py")


if __name__ == "__main__":
    main()

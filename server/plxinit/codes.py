"""The stable diagnostic codes, with what each means (used by SARIF rules and the docs)."""

from __future__ import annotations

CODES: dict[str, str] = {
    "yaml-syntax": "The file is not valid YAML, or uses a tag that yaml.safe_load cannot construct.",
    "not-polyaxonfile": "The document is not a polyaxonfile: empty, not a mapping, or an unsupported `kind`.",
    "unknown-key": "A key Polyaxon does not accept at this place (with a did-you-mean when one is close).",
    "type": "A value of the wrong type, e.g. an integer where a string is required.",
    "required": "A required key is missing, e.g. `dockerfile.image` or `file.content`.",
    "invalid-value": "A value of the right type that Polyaxon still rejects (enum, Docker image, UUID, ...).",
    "one-handler": "An init entry uses more than one built-in handler.",
    "git-source": "A `git` handler without a `url` (or given as a template) and without a `connection`.",
    "placement": "`init` where Polyaxon does not take it (a `dag` run), or a `schedule` on a DAG operation.",
    "duplicate-name": "Two operations, or two components, of one DAG have the same name.",
    "unknown-reference": (
        "A DAG reference that names nothing: a `dagRef` to no component of the DAG; a dependency, "
        "`ref: ops.x` or `events[].ref` to no operation; a ref `value` the operation or the DAG does not declare."
    ),
    "dag-cycle": "The DAG's operations depend on each other in a cycle, or its components' `dagRef`s do.",
    "ref-type": "A ref param feeds an input whose type or `isList` differs from what the reference declares.",
    "template-syntax": "A `{{ }}` template Jinja cannot parse, or that uses an unknown filter or an `include`.",
    "template-name": (
        "A template name that is not in scope: `params.x` for an undeclared `x`, `inputs.`/`outputs.` "
        "(not namespaces), a bare undeclared name or an unknown `globals.*` key (a warning where Polyaxon "
        "renders it as an empty string)."
    ),
    "template-whole": (
        "An init list or a replica written as one `{{ }}` template: Polyaxon 2.18's resolver reads its "
        "fields before it renders templates, so the run never compiles."
    ),
    "template-unsafe": (
        "Attribute access such as `__class__` or `__globals__` in a template: Polyaxon renders with "
        "unsandboxed Jinja (polyaxon/polyaxon#1540)."
    ),
    "path-ref": (
        "A `pathRef` Polyaxon cannot resolve: no such file, not a regular file, unreadable or not UTF-8, "
        "not a valid polyaxonfile, or a reference cycle (`a.yaml` → `b.yaml` → `a.yaml`)."
    ),
    "remote-ref": (
        "A `hubRef` or `urlRef` (info, once per file): Polyaxon fetches it over the network, "
        "so its component is not checked offline."
    ),
    "catalog": (
        "A connection, preset or queue name the user's catalog (`--catalog`) does not list "
        "(warning, with a did-you-mean)."
    ),
    "duplicate-key": "A key appears twice in one mapping; the last value wins (warning).",
    "too-complex": (
        "Nesting, alias expansion or size beyond safe limits (not validated), "
        "or more invalid init entries than are explained."
    ),
}

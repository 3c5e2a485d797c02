"""A catalog of what a Polyaxon deployment offers, and the names a polyaxonfile uses from it.

Connection names, presets and queues are only known to the agent or the server: Polyaxon
checks connections when the agent resolves a run (against its connections catalog), presets
and queues on the server. A static check can say something only when the user tells it what
exists, in a catalog file (`plx-validate --catalog FILE`), YAML or JSON:

    # plx-catalog.yaml
    connections:          # the agent's connections: names, or mappings with a `name`
      - repo
      - {name: s3-data, kind: s3}
    presets: [gpu, small]
    queues: [agent-1/default, gpu]   # `agent/queue` or `queue`

Every section is optional; a section left out is not checked, and without a catalog nothing
is said. A name not in the catalog is a warning (the catalog may be out of date; Polyaxon
itself would reject an unknown connection only when the run is resolved), with a did-you-mean.

Checked: every `connection` (init entries, IO declarations, full-form params, hooks, build)
and `connections` list (of a run, a runPatch), every `presets` list and `queue` of an
operation. Values holding a `{{ }}` template, and params' and IOs' `value`s, are not.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import Severity
from .findings import Finding
from .messages import clip_message
from .scope import PARAM_KEYS

Path = list[Any]

SECTIONS = ("connections", "presets", "queues")


class CatalogError(Exception):
    """The catalog file cannot be used; the message says why (for a usage error)."""


@dataclass(frozen=True)
class Catalog:
    """The names a deployment offers; None for a section the catalog leaves out (not checked)."""

    connections: frozenset[str] | None = None
    presets: frozenset[str] | None = None
    queues: frozenset[str] | None = None
    shown: str | None = None  # how messages name the catalog (its path as given)

    def knows_queue(self, queue: str) -> bool:
        """`agent/queue` or `queue`: an entry `a/q` accepts both `a/q` and `q`, an entry `q` any `x/q`."""
        assert self.queues is not None
        if queue in self.queues:
            return True
        bare = queue.rsplit("/", 1)[-1]
        return any(entry.rsplit("/", 1)[-1] == bare and ("/" not in queue or "/" not in entry) for entry in self.queues)


def parse_catalog(value: Any, shown: str | None = None) -> Catalog:
    """A catalog from its loaded YAML/JSON value; CatalogError says what is wrong with it.

    `shown` names the catalog in messages (its path), if it has a name.
    """
    name = shown or "the catalog"
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise CatalogError(f"{name}: a catalog is a mapping with `connections`, `presets` and `queues` lists")
    unknown = [key for key in value if key not in SECTIONS]
    if unknown:
        key = str(unknown[0])
        close = difflib.get_close_matches(key, SECTIONS, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else f"; it takes {', '.join(SECTIONS)}"
        raise CatalogError(clip_message(f"{name}: unknown section `{key}`{hint}"))
    sections: dict[str, frozenset[str] | None] = {}
    for section in SECTIONS:
        sections[section] = None if section not in value else _names(value[section], section, name)
    return Catalog(sections["connections"], sections["presets"], sections["queues"], shown)


def _names(items: Any, section: str, shown: str) -> frozenset[str]:
    if items is None:
        return frozenset()
    if not isinstance(items, list):
        raise CatalogError(f"{shown}: `{section}` must be a list of names")
    names = set()
    for index, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) and section == "connections" else item
        if not isinstance(name, str) or not name:
            what = "a name, or a mapping with a `name`" if section == "connections" else "a name"
            raise CatalogError(f"{shown}: item {index + 1} of `{section}` must be {what}")
        names.add(name)
    return frozenset(names)


def load_catalog(path: str) -> Catalog:
    """Read a catalog file (bounded and non-blocking, as polyaxonfiles are read); CatalogError if unusable."""
    import yaml

    from .sources import read_source

    source = read_source(path)
    if source.text is None:
        raise CatalogError(f"{path}: {source.problem or 'cannot be read'}")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        value = yaml.load(source.text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise CatalogError(f"{path}: not valid YAML{where}") from None
    except RecursionError:
        raise CatalogError(f"{path}: nested too deeply") from None
    return parse_catalog(value, path)


# ---------------------------------------------------------------------- the checks


def _is_template(value: str) -> bool:
    return "{{" in value


def _hint(name: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


def _unknown(catalog: Catalog, what: str, name: str, known: frozenset[str], path: Path) -> Finding:
    which = f" `{catalog.shown}`" if catalog.shown else ""
    message = f"{what} `{name}` is not in the catalog{which}.{_hint(name, known)}"
    return Finding(path, clip_message(message), "catalog", Severity.WARNING)


def _connection(catalog: Catalog, name: Any, path: Path) -> Iterator[Finding]:
    known = catalog.connections
    if known is not None and isinstance(name, str) and not _is_template(name) and name not in known:
        yield _unknown(catalog, "Connection", name, known, path)


def _params(catalog: Catalog, params: Any, path: Path) -> Iterator[Finding]:
    """Full-form params' `connection` (a short-form param is a value, and a param's name is not a key)."""
    if not isinstance(params, dict):
        return
    for name, param in params.items():
        if isinstance(param, dict) and PARAM_KEYS.intersection(param):
            yield from _connection(catalog, param.get("connection"), [*path, name, "connection"])


def _walk(catalog: Catalog, value: Any, path: Path, depth: int) -> Iterator[Finding]:
    if depth > 200:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(catalog, item, [*path, index], depth + 1)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        here = [*path, key]
        if key == "connection":
            yield from _connection(catalog, item, here)
        elif key == "connections" and isinstance(item, list):
            for index, name in enumerate(item):
                yield from _connection(catalog, name, [*here, index])
        elif key == "presets" and isinstance(item, list) and catalog.presets is not None:
            for index, name in enumerate(item):
                if isinstance(name, str) and not _is_template(name) and name not in catalog.presets:
                    yield _unknown(catalog, "Preset", name, catalog.presets, [*here, index])
        elif key == "queue" and isinstance(item, str) and catalog.queues is not None:
            if not _is_template(item) and not catalog.knows_queue(item):
                yield _unknown(catalog, "Queue", item, catalog.queues, here)
        elif key == "params":
            yield from _params(catalog, item, here)
        elif key not in ("value", "matrix"):  # values are the user's data, not names of the deployment
            yield from _walk(catalog, item, here, depth + 1)


def catalog_findings(value: Any, catalog: Catalog) -> Iterator[Finding]:
    """A warning for each connection, preset and queue the document names and the catalog does not list."""
    yield from _walk(catalog, value, [], 0)

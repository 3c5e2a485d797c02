"""References to components in other files: `pathRef` followed, `hubRef` and `urlRef` named.

Polyaxon 2.18 resolves references before anything else when it checks a file
(`_polyaxonfile/references.py::collect_references`, the lint level of `polyaxon check`): an
operation's (or component's) inline `component` is followed, else its `hubRef`, `urlRef` or
`pathRef`, and in a DAG every entry of `components` and `operations`, recursively. A `pathRef` is
relative to the directory of the file that holds it; Polyaxon rejects the file when the path is
not a regular file ("Path ref `…` does not exist or is not a file."), when the target cannot be
read (not UTF-8, not a mapping, invalid for the read level) and when the references come back to
a file already on the way ("Polyaxonfile reference cycle: pathRef `a` -> pathRef `b` -> pathRef
`a`"). Then it composes the operation with the component it read, and checks the operation's
params against its inputs as for an inline component (probed: tests/test_refs.py).

So this module
* finds the references (`ref_sites`, Polyaxon's walk),
* reads each pathRef target as the CLI reads a file (sources.py: bounded, never a FIFO or a
  device, undecodable bytes named), validates it at the read level (the schema) and follows its
  own references, with the chain of files on the way for cycles,
* builds the composed value: the document with each usable `pathRef` replaced by
  `component: <the target>`, on which rules.py runs its finders, so the params, DAG, template
  and IO checks see the component exactly as an inline one,
* and says where a finding about the composed value is: in this document, or (moved onto the
  `pathRef` value, with the file and line) in a referenced file.

`hubRef` and `urlRef` are fetched over the network; they are named once per document, as info.
Without the document's path (an unsaved buffer, standard input) pathRefs are not followed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Severity
from .findings import Finding
from .locate import locate
from .messages import clip_message, yaml_text

if TYPE_CHECKING:
    from .catalog import Catalog
    from .yamldoc import Node

Path = list[Any]

#: Polyaxon's order: the first of these an operation sets is its reference.
REFERENCE_KEYS = ("hubRef", "urlRef", "pathRef")
#: Distinct files one validation reads through pathRefs, and how deep a chain of them may go.
MAX_REF_FILES = 200
MAX_REF_DEPTH = 32
#: Characters of referenced files one validation reads at most (each file is bounded as the CLI's).
MAX_REF_CHARS = 64 * 1024 * 1024
_MAX_NESTING = 64  # inline components and DAGs inside one document
_REMOTE_RELATED = 20


@dataclass
class RefSession:
    """What one validation has read through pathRefs, shared with the files it references."""

    targets: dict[str, Target] = field(default_factory=dict)  # by real path, once read and validated
    resolutions: dict[str, Resolution] = field(default_factory=dict)  # by real path of a validated file
    chars_read: int = 0


@dataclass(frozen=True)
class RuleContext:
    """What the rule pass knows besides the document: where it is, and the user's catalog.

    `path` is the document's file (pathRefs are relative to its directory; None: not followed).
    `chain` holds the real paths of the files whose references led here, this one last (empty for
    the document the user asked about). `references_only` is for a referenced file: only its
    references are followed, its rules are checked on the document that composes it.
    """

    path: str | None = None
    catalog: Catalog | None = None
    chain: tuple[str, ...] = ()
    references_only: bool = False
    session: RefSession = field(default_factory=RefSession, compare=False, repr=False)

    def files_on_the_way(self) -> tuple[str, ...]:
        assert self.path is not None
        return self.chain or (os.path.realpath(self.path),)


@dataclass(frozen=True)
class RefSite:
    """A reference: the operation or component mapping holding it, which key, its value."""

    path: Path
    key: str
    value: Any


@dataclass
class Target:
    """A file reached by a pathRef: why it cannot be used, or what it holds."""

    path: str  # absolute, as first reached
    problem: str | None = None  # why it cannot be read
    root: Node | None = None
    errors: list[Diagnostic] = field(default_factory=list)  # what Polyaxon's read of it rejects
    cycle: tuple[str, ...] | None = None  # real paths of a reference cycle it leads to
    resolution: Resolution | None = None  # its value with its own references followed


@dataclass
class Region:
    """Where a referenced file's content sits in the composed value: `path` is the `component` put there."""

    path: Path
    site: RefSite
    target: Target
    shown: str  # the file, as messages name it


@dataclass
class Resolution:
    """The composed value, the findings about the references, and the referenced parts of the value."""

    value: Any
    findings: list[Finding] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    cycle: tuple[str, ...] | None = None  # the first reference cycle this file leads to
    base: str | None = None  # the directory of this document, which file names are shown relative to

    def local(self, finding: Finding) -> Finding | None:
        """`finding` (about the composed value) placed in this document; None to leave it out.

        A finding inside a referenced file is moved onto the `pathRef` value that brings it,
        its message prefixed with the file and line; related places there are moved likewise.
        """
        related = tuple(item for item in (self._related(path, message) for path, message in finding.related) if item)
        region = self._region_of(finding.path)
        if region is None:
            return finding if related == finding.related else dataclasses.replace(finding, related=related)
        ref_path = [*region.site.path, region.site.key]
        if finding.path == region.path:  # the component itself: where the pathRef is
            return dataclasses.replace(finding, path=ref_path, span=None, related=related)
        place = self._place(finding.path)
        if place is None:
            return None
        message = clip_message(f"{place}: {finding.message}")
        return dataclasses.replace(finding, path=ref_path, message=message, on_key=False, span=None, related=related)

    def _region_of(self, path: Path) -> Region | None:
        for region in self.regions:
            if path[: len(region.path)] == region.path:
                return region
        return None

    def _place(self, path: Path) -> str | None:
        """`file` line L, for a path inside a referenced file (the innermost one), the file shown
        relative to this document's directory."""
        region = self._region_of(path)
        if region is None:
            return None
        inner = path[len(region.path) :]
        deeper = region.target.resolution
        while deeper is not None:
            nested = deeper._region_of(inner)
            if nested is None:
                break
            region, inner, deeper = nested, inner[len(nested.path) :], nested.target.resolution
        shown = _shown(region.target.path, self.base) if self.base is not None else region.shown
        node = locate(region.target.root, inner).value if region.target.root is not None else None
        return f"`{shown}` line {node.start.line + 1}" if node is not None else f"`{shown}`"

    def _related(self, path: Path, message: str) -> tuple[Path, str] | None:
        region = self._region_of(path)
        if region is None:
            return path, message
        place = self._place(path)
        return ([*region.site.path, region.site.key], f"{message}, in {place}") if place else None


# ---------------------------------------------------------------------- the references


def ref_sites(config: Any, path: Path | None = None, depth: int = 0) -> Iterator[RefSite]:
    """Every reference Polyaxon's `collect_references` follows in a document, in its order."""
    path = [] if path is None else path
    if not isinstance(config, dict) or depth > _MAX_NESTING:
        return
    component = config.get("component")
    if isinstance(component, dict):
        yield from ref_sites(component, [*path, "component"], depth + 1)
    else:
        for key in REFERENCE_KEYS:
            if config.get(key):  # Polyaxon skips an empty one
                yield RefSite(path, key, config[key])
                break
    run = config.get("run")
    if isinstance(run, dict) and run.get("kind") == "dag":
        for section in ("components", "operations"):
            items = run.get(section)
            for index, item in enumerate(items if isinstance(items, list) else []):
                yield from ref_sites(item, [*path, "run", section, index], depth + 1)


def resolve_references(value: Any, context: RuleContext) -> Resolution:
    """The document's references followed (pathRefs only with a path), and what is wrong with them."""
    resolution = Resolution(value)
    try:
        sites = list(ref_sites(value))
    except RecursionError:
        return resolution
    remote = [site for site in sites if site.key != "pathRef"]
    if remote:
        resolution.findings.append(_remote(remote))
    if context.path is None:
        return resolution
    resolution.base = os.path.dirname(os.path.abspath(context.path))
    components: dict[tuple[Any, ...], Any] = {}
    for site in sites:
        if site.key == "pathRef" and isinstance(site.value, str):
            region = _follow(site, context, resolution)
            if region is not None:
                resolution.regions.append(region)
                assert region.target.resolution is not None
                components[tuple(site.path)] = region.target.resolution.value
    resolution.value = _with_components(value, components)
    context.session.resolutions[os.path.realpath(context.path)] = resolution
    return resolution


def _remote(sites: list[RefSite]) -> Finding:
    first, others = sites[0], sites[1:]
    message = (
        f"`{first.key}: {yaml_text(first.value, 80)}` is fetched over the network when Polyaxon checks "
        "the file, so its component is not checked here (its inputs against the params, its run)."
    )
    if others:
        message += f" The same holds for the {len(others)} other hubRef and urlRef of this file."
    related = tuple(
        ([*site.path, site.key], f"`{site.key}: {yaml_text(site.value, 80)}`") for site in others[:_REMOTE_RELATED]
    )
    return Finding([*first.path, first.key], clip_message(message), "remote-ref", Severity.INFO, related=related)


def _shown(path: str, base: str) -> str:
    """A path as messages show it: relative to the referring file's directory when inside it."""
    relative = os.path.relpath(path, base)
    return path if relative.startswith("..") else relative


def _error(site: RefSite, message: str) -> Finding:
    return Finding([*site.path, site.key], clip_message(message), "path-ref", Severity.ERROR)


def _cycle_message(site: RefSite, cycle: tuple[str, ...], base: str) -> str:
    steps = " → ".join(f"`{_shown(path, base)}`" for path in cycle)
    if len(cycle) == 2 and cycle[0] == cycle[1]:
        return f"pathRef `{site.value}` refers to its own file ({steps}): Polyaxon rejects a reference cycle."
    return f"pathRef `{site.value}` leads to a reference cycle, {steps}: Polyaxon rejects it."


def _follow(site: RefSite, context: RuleContext, resolution: Resolution) -> Region | None:
    """The region of a usable pathRef target; a finding on the site otherwise."""
    assert context.path is not None and isinstance(site.value, str)
    base = os.path.dirname(os.path.abspath(context.path))
    try:
        full = os.path.abspath(os.path.join(base, site.value))
        real = os.path.realpath(full)
    except (ValueError, OSError) as error:  # a NUL character
        resolution.findings.append(_error(site, f"pathRef `{site.value}` is not a usable path ({error})."))
        return None
    on_the_way = context.files_on_the_way()
    if real in on_the_way:
        cycle = (*on_the_way[on_the_way.index(real) :], real)
        resolution.cycle = resolution.cycle or cycle
        resolution.findings.append(_error(site, _cycle_message(site, cycle, base)))
        return None
    target = context.session.targets.get(real)
    if target is None:
        session = context.session
        if (
            len(on_the_way) > MAX_REF_DEPTH
            or len(session.targets) >= MAX_REF_FILES
            or (session.chars_read > MAX_REF_CHARS)
        ):
            message = (
                f"pathRef `{site.value}` is not followed: more than {MAX_REF_DEPTH} files deep, or "
                f"{MAX_REF_FILES} files (or {MAX_REF_CHARS // 2**20} MB) read through references; it is not checked."
            )
            resolution.findings.append(Finding([*site.path, site.key], message, "too-complex", Severity.WARNING))
            return None
        target = _read(full, real, context, on_the_way)
        context.session.targets[real] = target
    shown = _shown(target.path, base)
    problem = _problem(site, target, shown, base)
    if problem is not None:
        if target.cycle is not None:
            resolution.cycle = resolution.cycle or target.cycle
        resolution.findings.append(_error(site, problem))
        return None
    return Region([*site.path, "component"], site, target, shown)


def _problem(site: RefSite, target: Target, shown: str, base: str) -> str | None:
    """Why Polyaxon cannot use the target, as a message on the pathRef (None when it can)."""
    if target.problem is not None:
        if target.problem == "no such file":
            return f"pathRef `{site.value}` names no file: `{target.path}` does not exist."
        if target.problem.startswith("a broken symbolic link"):
            return f"pathRef `{site.value}` names no file: `{target.path}` is {target.problem}."
        if target.problem == "is a directory":
            return f"pathRef `{site.value}` names a directory, `{shown}`: it must name a polyaxonfile."
        return f"pathRef `{site.value}`: `{shown}` cannot be read: {target.problem}."
    if target.cycle is not None:
        return _cycle_message(site, target.cycle, base)
    if target.errors:
        first = target.errors[0]
        more = len(target.errors) - 1
        also = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        where = f"line {first.range.start.line + 1}, column {first.range.start.column + 1}"
        return f"pathRef `{site.value}`: `{shown}` is not valid{also}; at {where}: {first.message}"
    if target.resolution is None:
        return f"pathRef `{site.value}`: `{shown}` holds no component."
    return None


def _read(full: str, real: str, context: RuleContext, on_the_way: tuple[str, ...]) -> Target:
    """Read and validate a referenced file, following its own references (the chain extended)."""
    from .sources import read_source
    from .validate import validate_document  # validate imports this module's user, rules.py
    from .yamldoc import parse_document

    source = read_source(full)
    if source.text is None:
        return Target(full, problem=source.problem or "cannot be read")
    context.session.chars_read += len(source.text)
    document = parse_document(source.text)
    inner = RuleContext(full, None, (*on_the_way, real), references_only=True, session=context.session)
    diagnostics = validate_document(document, inner)
    resolution = context.session.resolutions.get(real)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    cycle = resolution.cycle if resolution is not None else None
    return Target(full, None, document.root, errors, cycle, resolution)


def _with_components(value: Any, components: dict[tuple[Any, ...], Any]) -> Any:
    """`value` with the `pathRef` of the mapping at each path replaced by `component: <its target>`.

    Only the containers on the way are copied; the key keeps its place, so the composed
    operation's keys come in the order the user wrote them.
    """
    if not components:
        return value
    kept: list[Any] = []  # the copies, alive, so that their ids stay theirs
    copied: set[int] = set()

    def copy(container: Any) -> Any:
        duplicate = dict(container) if isinstance(container, dict) else list(container)
        kept.append(duplicate)
        copied.add(id(duplicate))
        return duplicate

    root = copy(value)
    for path, component in components.items():
        node = root
        for part in path:
            child = node[part]
            if id(child) not in copied:
                child = node[part] = copy(child)
            node = child
        items = list(node.items())
        node.clear()
        for key, item in items:
            if key == "pathRef":
                node["component"] = component
            elif key != "component":
                node[key] = item
    return root

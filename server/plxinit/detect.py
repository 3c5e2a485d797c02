"""Decide whether a file is a polyaxonfile: by its name, else by its content.

Shared by the CLI (directory scans) and the language server (which documents to serve).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import PurePosixPath

DEFAULT_GLOBS: tuple[str, ...] = (
    "**/polyaxonfile*.yaml",
    "**/polyaxonfile*.yml",
    "**/*.plx.yaml",
    "**/*.plx.yml",
    "**/polyaxon/**/*.yaml",
    "**/polyaxon/**/*.yml",
    "**/.polyaxon/**/*.yaml",
    "**/.polyaxon/**/*.yml",
)

YAML_SUFFIXES = (".yaml", ".yml", ".json")

# A top-level `kind: component|operation` (quoted or not), or a top-level `run:` whose own
# mapping has a `kind:` key: cheap text checks that also work on drafts that do not parse.
# The VS Code extension applies the same rule (vscode-extension/src/matching.ts).
_KIND_LINE = re.compile(r"""^["']?kind["']?\s*:\s*["']?(component|operation)["']?\s*(#.*)?$""", re.MULTILINE)
_JSON_KIND = re.compile(r""""kind"\s*:\s*"(component|operation)\"""")
_RUN_LINE = re.compile(r"""^["']?run["']?\s*:(.*)$""", re.MULTILINE)
_KIND_KEY = re.compile(r"""^\s*["']?kind["']?\s*:(\s|$)""")
_FLOW_KIND = re.compile(r"""^\{\s*["']?kind["']?\s*:|,\s*["']?kind["']?\s*:""")


def _run_has_kind(text: str, run: re.Match[str]) -> bool:
    """Whether the `run:` at `run` has a `kind:` key of its own (block or flow style)."""
    inline = re.sub(r"\s+#.*$", "", run.group(1)).strip()
    if inline:
        # a flow mapping: only its first level counts, so drop nested {...} and [...]
        flat = inline[1:]
        while re.search(r"[\[{][^\[\]{}]*[\]}]", flat):
            flat = re.sub(r"[\[{][^\[\]{}]*[\]}]", "", flat)
        return inline.startswith("{") and bool(_FLOW_KIND.search("{" + flat))
    indent = -1
    for line in text[run.end() :].split("\n")[1:]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(line.lstrip())
        if depth == 0:
            return False
        if indent < 0:
            indent = depth
        if depth == indent and _KIND_KEY.match(line):
            return True
    return False


def _glob_to_regex(glob: str) -> re.Pattern[str]:
    """Translate a `**`-aware glob into a regex over '/'-separated paths."""
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "{":
            end = glob.find("}", i)
            if end == -1:
                out.append(re.escape(glob[i]))
                i += 1
                continue
            out.append("(?:" + "|".join(re.escape(p) for p in glob[i + 1 : end].split(",")) + ")")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def name_matches(path: str, globs: Sequence[str] = DEFAULT_GLOBS) -> bool:
    """True when `path` (any separator, absolute or relative) matches one of the globs."""
    posix = str(PurePosixPath(path.replace("\\", "/")))
    candidates = {posix, posix.lstrip("/")}
    for glob in globs:
        pattern = _glob_to_regex(glob)
        if any(pattern.match(c) for c in candidates) or fnmatch.fnmatch(PurePosixPath(posix).name, glob):
            return True
    return False


def content_matches(text: str) -> bool:
    """True when the text declares `kind: component|operation` or a `run:` with a `kind:`."""
    head = text[:200_000]
    if _KIND_LINE.search(head) or _JSON_KIND.search(head):
        return True
    return any(_run_has_kind(head, run) for run in _RUN_LINE.finditer(head))


def is_polyaxonfile(path: str | None, text: str, globs: Sequence[str] = DEFAULT_GLOBS) -> bool:
    """A polyaxonfile by name or by content."""
    return bool(path and name_matches(path, globs)) or content_matches(text)

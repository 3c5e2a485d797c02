"""Decide whether a file is a polyaxonfile: by its name, else by its content.

One implementation for the CLI (directory scans) and the language server (which documents
it serves); the VS Code extension applies the same rules (vscode-extension/src/matching.ts).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

DEFAULT_GLOBS: tuple[str, ...] = (
    "**/polyaxonfile*.{yaml,yml}",
    "**/*.plx.{yaml,yml}",
    "**/polyaxon/**/*.{yaml,yml}",
    "**/.polyaxon/**/*.{yaml,yml}",
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


@functools.lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """Translate a minimatch-style glob (`**`, `*`, `?`, `{a,b}`, `[...]`) to a regex."""
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(glob):
        ch = glob[i]
        if ch == "*":
            if glob.startswith("**", i):
                i += 2
                if glob.startswith("/", i):
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "{":
            depth += 1
            out.append("(?:")
        elif ch == "}" and depth:
            depth -= 1
            out.append(")")
        elif ch == "," and depth:
            out.append("|")
        elif ch == "[":
            end = glob.find("]", i + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = glob[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches_globs(path: str, globs: Sequence[str], roots: Sequence[str] = ()) -> bool:
    """Does `path` match a glob, as an absolute path or relative to a workspace root?"""
    if not path:
        return False
    path = path.replace("\\", "/").rstrip("/")
    candidates = [path]
    if path.startswith("/"):
        candidates.append(path[1:])
    for root in roots:
        root = root.replace("\\", "/").rstrip("/")
        if root and path.lower().startswith(root.lower() + "/"):
            candidates.append(path[len(root) + 1 :])
    basename = path.rsplit("/", 1)[-1]
    for glob in globs:
        glob = glob.strip().replace("\\", "/")
        if not glob:
            continue
        pattern = _glob_regex(glob)
        if "/" not in glob and pattern.match(basename):
            return True
        if any(pattern.match(candidate) for candidate in candidates):
            return True
    return False


def content_matches(text: str) -> bool:
    """True when the text declares `kind: component|operation` or a `run:` with a `kind:`."""
    head = text[:200_000]
    if _KIND_LINE.search(head) or _JSON_KIND.search(head):
        return True
    return any(_run_has_kind(head, run) for run in _RUN_LINE.finditer(head))


def is_polyaxonfile(
    path: str | None, text: str, globs: Sequence[str] = DEFAULT_GLOBS, roots: Sequence[str] = ()
) -> bool:
    """A polyaxonfile by name (cheap, first) or by content."""
    return bool(path and matches_globs(path, globs, roots)) or content_matches(text)

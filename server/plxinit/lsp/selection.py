"""Which documents are polyaxonfiles: by file name (globs) or by content.

The same rules as the VS Code extension's `matching.ts`: a path matching one of the
globs, or a top-level `kind: component|operation`, or a top-level `run:` mapping with a
`kind:` key. The content check reads raw lines, so it works while the YAML is broken.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import unquote, urlparse

DEFAULT_GLOBS: tuple[str, ...] = (
    "**/polyaxonfile*.{yaml,yml}",
    "**/*.plx.{yaml,yml}",
    "**/polyaxon/**/*.{yaml,yml}",
    "**/.polyaxon/**/*.{yaml,yml}",
)

_TOP_LEVEL_KEY = re.compile(r"""^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(?=\s|$)(.*)$""")
_KIND_LINE = re.compile(r"""^\s*("kind"|'kind'|kind)\s*:(\s|$)""")
_FLOW_KIND = re.compile(r"""[{,]\s*["']?kind["']?\s*:""")


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


def uri_to_path(uri: str) -> str:
    """The POSIX-style path of a `file:` URI (other schemes: the URI's path part)."""
    parsed = urlparse(uri)
    path = unquote(parsed.path or "")
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/x -> C:/x
        path = path[1:]
    return path.replace("\\", "/")


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


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _scalar(rest: str) -> str:
    value = rest.strip()
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        return value[1:end] if end > 0 else value
    return re.sub(r"(^|\s+)#.*$", "", value).strip()


def is_polyaxon_content(text: str) -> bool:
    """A top-level `kind: component|operation`, or a top-level `run:` with a `kind:` key."""
    if not text:
        return False
    lines = re.split(r"\r\n|\r|\n", text)
    for index, line in enumerate(lines):
        match = _TOP_LEVEL_KEY.match(line)
        if not match:
            continue
        key, rest = _unquote(match.group(1)), match.group(2)
        if key == "kind" and _scalar(rest) in ("component", "operation"):
            return True
        if key != "run":
            continue
        inline = re.sub(r"\s+#.*$", "", rest).strip()
        if inline:
            if inline.startswith("{") and _FLOW_KIND.search(inline):
                return True
            continue
        indent = -1
        for following in lines[index + 1 :]:
            if re.match(r"^\s*(#.*)?$", following):
                continue
            current = len(following) - len(following.lstrip())
            if current == 0:
                break
            if indent < 0:
                indent = current
            if current == indent and _KIND_LINE.match(following):
                return True
    return False


def is_polyaxonfile(uri: str, text: str, globs: Sequence[str], roots: Sequence[str] = ()) -> bool:
    """Both rules: the name globs first (cheap), then the content."""
    if matches_globs(uri_to_path(uri), globs, roots):
        return True
    return is_polyaxon_content(text)

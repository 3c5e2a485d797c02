"""Decide whether a file is a polyaxonfile: by its name, else by its content.

One implementation for the CLI (directory scans) and the language server (which documents
it serves); the VS Code extension applies the same rules (vscode-extension/src/matching.ts),
and both are tested on the same corpus (tests/not-polyaxonfiles/).

Content rule, per YAML document of the stream (no YAML parser: it must work on drafts that do
not parse, and in time linear in the text):

* a top-level `kind: component`, `operation` or `compiled_operation`; or
* no top-level `kind` (a kindless file, as Polyaxon 2.18 reads presets), every top-level key a
  polyaxonfile section, and either a `run` mapping whose `kind` is a Polyaxon run kind, or a key
  only Polyaxon uses (`runPatch`, `hubRef`, `isPreset`, ...).

So `app: demo` + `run: {kind: local}` (a foreign key, and not a run kind) is not a polyaxonfile,
nor is a Kubernetes manifest (`apiVersion`), a compose file, a CI workflow...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_GLOBS: tuple[str, ...] = (
    "**/polyaxonfile*.{yaml,yml}",
    "**/*.plx.{yaml,yml}",
    "**/polyaxon/**/*.{yaml,yml}",
    "**/.polyaxon/**/*.{yaml,yml}",
)

YAML_SUFFIXES = (".yaml", ".yml", ".json")

# Only the head of a huge file is looked at (code points; matching.ts counts the same way).
CONTENT_LIMIT = 200_000

# The values of a top-level `kind` that make a polyaxonfile.
FILE_KINDS = frozenset({"component", "operation", "compiled_operation"})

# `run.kind` values: Polyaxon 2.18's runtimes, plus the kinds it removed in 2.12 (so that the
# validator, not the detector, tells the user `xgbjob` is gone).
RUN_KINDS = frozenset(
    {
        "job", "service", "dag", "tfjob", "pytorchjob", "mpijob", "daskcluster", "raycluster",
        "notifier", "cleaner", "tuner", "xgbjob", "paddlejob", "mxjob", "daskjob", "rayjob",
    }
)  # fmt: skip

# Every top-level key of a polyaxonfile (the schema's `polyaxonfile-body`, aliases included;
# tests/test_detect.py keeps this list equal to the schema and to matching.ts).
SECTIONS = frozenset(
    {
        "version", "kind", "name", "description", "tags", "presets", "queue", "namespace", "cache",
        "termination", "plugins", "build", "hooks", "isApproved", "cost", "mount", "template",
        "schedule", "events", "matrix", "joins", "dependencies", "trigger", "conditions",
        "skipOnUpstreamSkip", "params", "strictParams", "hubRef", "dagRef", "urlRef", "pathRef",
        "component", "patchStrategy", "isPreset", "runPatch", "inputs", "outputs", "run", "init",
        "container", "cmd", "env", "resources", "ports", "environment", "connections", "sidecars",
        "volumes", "is_approved", "skip_on_upstream_skip", "strict_params", "hub_ref", "dag_ref",
        "url_ref", "path_ref", "patch_strategy", "is_preset", "run_patch",
    }
)  # fmt: skip

# Keys no other YAML format uses: with only sections beside them, they make a kindless polyaxonfile.
POLYAXON_ONLY_KEYS = frozenset(
    {
        "runPatch", "run_patch", "isPreset", "is_preset", "hubRef", "hub_ref", "dagRef", "dag_ref",
        "urlRef", "url_ref", "pathRef", "path_ref", "patchStrategy", "patch_strategy",
    }
)  # fmt: skip

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# A top-level `key:` line (plain or quoted key), and the rest of the line.
_TOP_KEY = re.compile(r"""([A-Za-z_][A-Za-z0-9_.-]*|"[^"]*"|'[^']*')[ \t]*:(?![^ \t])([\s\S]*)""")
# Flow-style tokens: blanks, comment, double- and single-quoted scalars, indicators, a `:` that
# is a value indicator, a plain word, any other character. Alternatives never overlap: linear.
_FLOW_TOKEN = re.compile(
    r"""[ \t\r\n]+|#[^\n]*|"(?:[^"\\]|\\[\s\S])*"?|'(?:[^']|'')*'?|[{}\[\],]|:(?![^ \t\r\n{}\[\],])"""
    r"""|[^ \t\r\n{}\[\],:"'#][^ \t\r\n{}\[\],:]*(?::[^ \t\r\n{}\[\],:]+)*|[\s\S]"""
)


@dataclass
class _Entry:
    """One key of a mapping: its name, its value when a scalar, its entries when a mapping."""

    key: str
    scalar: str | None = None
    mapping: list[_Entry] | None = None


@dataclass
class _FlowMapping:
    """A flow mapping being read: the entries so far, and the tokens of the current one."""

    entries: list[_Entry] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    value: list[str] = field(default_factory=list)
    after_colon: bool = False
    child: list[_Entry] | None = None

    def add(self, token: str) -> None:
        (self.value if self.after_colon else self.key).append(token)

    def end_entry(self) -> None:
        if self.key or self.after_colon:
            scalar = " ".join(self.value) if self.child is None else None
            self.entries.append(_Entry(" ".join(self.key), scalar, self.child))
        self.key, self.value, self.after_colon, self.child = [], [], False, None


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1]
    if len(token) >= 2 and token[0] == token[-1] == "'":
        return token[1:-1].replace("''", "'")
    return token


def _scan_flow(text: str, start: int) -> tuple[int, list[_Entry] | None]:
    """Read the flow collection opening at `text[start]`: (offset just after it, its entries).

    Entries are None for a flow sequence. Only the two outer levels are kept; deeper ones are
    only counted, so a 30,000-deep collection costs one pass and no memory. An unclosed
    collection (a draft being typed) runs to the end of the text.
    """
    outer: _FlowMapping | None = None  # the collection at `start`, when a mapping
    inner: _FlowMapping | None = None  # a mapping that is the value of one of outer's keys
    is_mapping = False
    depth = 0
    key_like = False  # the previous token was quoted or closed a collection: `:` may follow directly
    for match in _FLOW_TOKEN.finditer(text, start):
        token = match.group()
        first = token[0]
        if first in " \t\r\n#":
            continue
        if first in "{[":
            depth += 1
            if depth == 1:
                is_mapping = first == "{"
                outer = _FlowMapping() if is_mapping else None
            elif depth == 2 and outer is not None:
                if first == "{" and outer.after_colon and not outer.value and outer.child is None:
                    inner = _FlowMapping()
                    outer.child = inner.entries
                else:
                    outer.add(first)  # a sequence value, or a collection as a key: not a scalar
            key_like = False
        elif first in "}]":
            if depth == 2 and inner is not None:
                inner.end_entry()
                inner = None
            depth -= 1
            if depth == 0:
                if outer is not None:
                    outer.end_entry()
                return match.end(), outer.entries if outer is not None else None
            key_like = True
        else:
            frame = outer if depth == 1 else inner if depth == 2 else None
            if first == ",":
                if frame is not None:
                    frame.end_entry()
                key_like = False
            elif token == ":" and (key_like or _is_value_indicator(text, match.end())):
                if frame is not None:
                    if frame.after_colon:
                        frame.add(token)
                    else:
                        frame.after_colon = True
                key_like = False
            else:
                if frame is not None:
                    frame.add(_unquote(token))
                key_like = first in "\"'"
    if inner is not None:
        inner.end_entry()
    if outer is not None:
        outer.end_entry()
    return len(text), outer.entries if outer is not None else None


def _is_value_indicator(text: str, after: int) -> bool:
    """A `:` in flow style is a value indicator when a blank, an indicator or the end follows."""
    return after >= len(text) or text[after] in " \t\r\n{}[],"


def _block_scalar(rest: str) -> str:
    """The value on a `key: value` line: unquoted, without a trailing comment."""
    if rest[:1] in ("'", '"'):
        match = _FLOW_TOKEN.match(rest)
        return _unquote(match.group()) if match else rest
    return re.sub(r"(?:^|[ \t])#[\s\S]*", "", rest).strip(" \t")


def _value_start(line: str, at: int) -> int:
    """Where the value after `line[:at]` starts: past blanks, anchors and tags (`&r !!map`)."""
    while at < len(line) and line[at] in " \t":
        at += 1
    while at < len(line) and line[at] in "&!":
        while at < len(line) and line[at] not in " \t":
            at += 1
        while at < len(line) and line[at] in " \t":
            at += 1
    return at


def _next_line(text: str, pos: int) -> int:
    """Offset of the line after the one holding `text[pos]`, or len(text)."""
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1


# Where the next line that may hold a top-level key or a document marker starts (after `\n`).
_TOP_LINE = re.compile(r"\n[^ \t\r\n#%]")
# The first line of a block value that is not blank or a comment: its indentation and first character.
_FIRST_CONTENT = re.compile(r"\n([ \t]*)([^ \t\r\n#])")


@functools.lru_cache(maxsize=64)
def _child_kind(indent: int) -> re.Pattern[str]:
    """A `kind:` line indented by exactly `indent` blanks; group 1 is the rest of the line."""
    return re.compile(r"\n[ \t]{" + str(indent) + r"""}(?:kind|"kind"|'kind')[ \t]*:(?![^ \t\r\n])([^\n]*)""")


def _top_line(text: str, pos: int) -> int:
    """The start of the first line at or after the line start `pos` that begins with a key character."""
    if pos == 0 and text[:1] not in ("", " ", "\t", "\r", "\n", "#", "%"):
        return 0
    match = _TOP_LINE.search(text, max(pos - 1, 0))
    return match.start() + 1 if match else len(text)


def _block_run_kind(text: str, pos: int) -> list[_Entry] | None:
    """The `kind` entries of the block mapping on the lines from `pos` (None: not a mapping)."""
    first = _FIRST_CONTENT.search(text, pos - 1)
    if first is None or not first.group(1):
        return None  # nothing indented under the key: a null value
    if first.group(2) == "-" and text[first.end() : first.end() + 1] in ("", " ", "\t", "\r", "\n"):
        return None  # a block sequence
    end = _top_line(text, first.start() + 1)
    found: list[_Entry] = []
    for match in _child_kind(len(first.group(1))).finditer(text, first.start(), end):
        found.append(_Entry("kind", _block_scalar(match.group(1).removesuffix("\r").lstrip(" \t"))))
    return found


def _documents(text: str) -> list[list[_Entry]]:
    """The top-level entries of each document of the stream."""
    documents: list[list[_Entry]] = [[]]
    pos = _top_line(text, 0)
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].removesuffix("\r")
        line_start, pos = pos, _top_line(text, end + 1) if end < len(text) else len(text)
        entries = documents[-1]
        if line.startswith(("---", "...")) and line[3:4] in ("", " ", "\t"):
            documents.append([])
            value_at = _value_start(line, 3)
            if line.startswith("---") and line[value_at : value_at + 1] == "{":  # `--- {kind: ...}`
                flow_end, root = _scan_flow(text, line_start + value_at)
                documents[-1].extend(root or [])
                pos = _top_line(text, _next_line(text, flow_end))
            continue
        if line[0] in "{[":
            flow_end, root = _scan_flow(text, line_start)
            if not entries:
                entries.extend(root or [])
            pos = _top_line(text, _next_line(text, flow_end))
            continue
        match = _TOP_KEY.match(line)
        if not match:
            continue  # a sequence item, a scalar document, a line of a multi-line scalar
        key = _unquote(match.group(1))
        value_at = _value_start(line, match.start(2))
        value = line[value_at:]
        if value[:1] in ("{", "["):
            flow_end, mapping = _scan_flow(text, line_start + value_at)
            entries.append(_Entry(key, None if value[0] == "{" else "[", mapping))
            pos = _top_line(text, _next_line(text, flow_end))
            continue
        scalar = _block_scalar(value)
        if key == "run" and not scalar:
            entries.append(_Entry(key, None, _block_run_kind(text, end + 1 if end < len(text) else end)))
        else:
            entries.append(_Entry(key, scalar))
    return documents


def _last(entries: Sequence[_Entry], key: str) -> _Entry | None:
    """The entry that wins for `key` (the last one, as in YAML readers)."""
    for entry in reversed(entries):
        if entry.key == key:
            return entry
    return None


def _is_polyaxon_document(entries: list[_Entry]) -> bool:
    kind = _last(entries, "kind")
    if kind is not None and kind.mapping is None and kind.scalar in FILE_KINDS:
        return True
    if kind is not None and (kind.mapping is not None or (kind.scalar or "") not in _NULLS):
        return False  # some other format's `kind` (Kubernetes, Argo, ...)
    keys = {entry.key for entry in entries}
    if not keys or not keys <= SECTIONS:
        return False
    if keys & POLYAXON_ONLY_KEYS:
        return True
    run = _last(entries, "run")
    run_kind = _last(run.mapping, "kind") if run is not None and run.mapping is not None else None
    return run_kind is not None and run_kind.scalar in RUN_KINDS


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
    """Whether some document of `text` is a polyaxonfile by the content rule (module docstring)."""
    # a byte order mark is no part of the first line (an editor may leave it in the text)
    head = text[:CONTENT_LIMIT].removeprefix("\ufeff")
    return any(_is_polyaxon_document(entries) for entries in _documents(head))


def is_polyaxonfile(
    path: str | None, text: str, globs: Sequence[str] = DEFAULT_GLOBS, roots: Sequence[str] = ()
) -> bool:
    """A polyaxonfile by name (cheap, first) or by content."""
    return bool(path and matches_globs(path, globs, roots)) or content_matches(text)

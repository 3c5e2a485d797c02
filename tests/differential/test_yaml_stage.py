"""Differential test of the YAML stage alone: our reader vs `yaml.safe_load`.

Polyaxon reads a polyaxonfile with `yaml.safe_load` (pure-Python PyYAML), so before any
schema question the verdict is "does safe_load raise?". Random texts made of YAML
punctuation (flow/block indicators, `?`, `#`, block-scalar headers, anchors, `<<`, tags,
tabs, quotes, odd line breaks) are fed to both; we must report a `yaml-syntax` error exactly
when safe_load raises, and otherwise read the same value. No oracle needed: the dev venv's
PyYAML is the same library Polyaxon uses (the oracle pins the same 6.0.x).

PLX_YAML_FUZZ_CASES sets the number of random texts (default 20000), PLX_YAML_MERGE_CASES
that of merge-key texts (default 1000); both take seconds, mostly in PyYAML itself.
"""

from __future__ import annotations

import math
import os
import random
from typing import Any

import yaml

from plxinit.diagnostics import Position, Range
from plxinit.yamldoc import parse_document

TOKENS = [
    "a", "b", "1", "x y", ":", ": ", " ", "  ", "\n", "\n  ", "\n- ", "- ", "-", "?", "? ", "[", "]", "{", "}",
    ",", ", ", "#", " #c", "'", '"', "&x ", "*x", "|", ">", "|-", ">+", "|2", "|#", "---", "...", "~", "12:30",
    "0755", "yes", "''", '""', "'q'", '"q"', "@", "`", "=", "<<", "<<: ", "{a: b}", "[a, b]", "a:", "b: ", "- a",
    "\n\n", ".", "/", "-1", "0.5", "1e3", "2001-01-01", "a?b", "\t", ":\t", "!", "!!str ", "!!set ", "!!binary ",
    "%", "\\", '"\\t"', '"\\uD800"', "\r\n", "\u2028", "\x85", "\ufeff", "\u00e9", "\xa0", "&a", "*a", "!x ",
    "\r", "x!y", "#!/bin/sh", "echo hi!", "a%b", ":]", ":}", ":,", ":[", "a:b",
    "!!bool ", "!!int ", "!!float ", "!!null ", "!!timestamp ", "!!omap ", "!!pairs ", "!!map ", "!!seq ", "maybe",
]  # fmt: skip
YAML_ERROR_CODES = {"yaml-syntax", "too-complex"}


def _soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 14)))


def _safe_load(text: str) -> tuple[bool, Any]:
    try:
        return True, yaml.safe_load(text)
    except Exception:  # any exception at all is a file Polyaxon rejects (KeyError for `!!bool maybe`, ...)
        return False, None


def _same(left: Any, right: Any, seen: set[tuple[int, int]] | None = None) -> bool:
    """Structural equality that tolerates NaN and the cycles aliases can build.

    `left` is our value, `right` safe_load's: we keep a `!!set` as the list pydantic makes of
    it and an `!!omap`/`!!pairs` pair as a [key, value] list (see yamldoc).
    """
    if isinstance(right, set):
        return isinstance(left, list) and len(left) == len(right) and set(left) == right
    if isinstance(right, tuple):
        right = list(right)
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left) and math.isnan(right):
        return True
    if isinstance(left, (dict, list)) and type(left) is type(right):
        seen = set() if seen is None else seen
        if (id(left), id(right)) in seen:
            return True
        seen.add((id(left), id(right)))
        if isinstance(left, dict):
            return left.keys() == right.keys() and all(_same(left[k], right[k], seen) for k in left)
        return len(left) == len(right) and all(_same(a, b, seen) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def _outside(text: str, ranges: list[Range]) -> list[Range]:
    """The ranges that do not lie inside the text (past its last line or a line's end)."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    lengths = [len(line.rstrip("\r")) for line in lines]

    def inside(position: Position) -> bool:
        return 0 <= position.line < len(lengths) and 0 <= position.column <= lengths[position.line]

    # a text with odd line breaks (\r, \x85, \u2028) counts lines PyYAML's way: check those loosely
    loose = any(mark in text for mark in ("\r", "\x85", "\u2028", "\u2029"))
    return [r for r in ranges if not (inside(r.start) and inside(r.end)) and not loose]


def _compare(texts: list[str]) -> list[str]:
    mismatches: list[str] = []
    for text in texts:
        loads, value = _safe_load(text)
        try:
            document = parse_document(text)
        except Exception as error:  # any escape is the failure this test looks for
            mismatches.append(f"{text!r}: parse_document raised {type(error).__name__}: {error}")
            continue
        ranges = [d.range for d in document.diagnostics] + [r.range for d in document.diagnostics for r in d.related]
        outside = _outside(text, ranges) if not document.root else []
        if outside:
            mismatches.append(f"{text!r}: positions outside the text: {outside}")
        codes = {d.code for d in document.diagnostics if d.severity.value == "error"}
        we_fail = bool(codes & YAML_ERROR_CODES)
        if loads == we_fail:
            mismatches.append(f"{text!r}: safe_load {'ok' if loads else 'raises'}, ours {sorted(codes) or 'ok'}")
        elif loads and document.root is not None and not _same(document.root.value, value):
            mismatches.append(f"{text!r}: safe_load {value!r}, ours {document.root.value!r}")
    return mismatches


def test_yaml_stage_matches_safe_load() -> None:
    rng = random.Random(20250218)
    count = int(os.environ.get("PLX_YAML_FUZZ_CASES", "20000"))
    mismatches = _compare([_soup(rng) for _ in range(count)])
    assert not mismatches, f"{len(mismatches)} of {count} texts differ, e.g.:\n" + "\n".join(mismatches[:15])


TAGS = ["!!str", "!!null", "!!bool", "!!int", "!!float", "!!binary", "!!timestamp", "!!map", "!!seq", "!!set",
        "!!omap", "!!pairs", "!!merge", "!!value", "!", "!x", "!<tag:yaml.org,2002:int>"]  # fmt: skip
TAGGED_VALUES = ["", "''", "maybe", "yes", "+", "-", "0x", "0b", "0o7", "1:", "1:x", "_", "1_0", ".", "._", "1e",
                 ".inf", "x", "2001-01-01", "2001-13-01", "2001-01-01 1:2:3", "AAAA", "AAA", "é", "~", "[]", "{}",
                 "[a]", "[a: 1]", "[a: 1, b: 2]", "[{a: 1, b: 2}]", "[[a]]", "{a: 1}", "{a, b}",
                 "{=: 1}", "{=: [a]}", "{=: {=: x}}", "{=: {b: 1}}", "{b: 2, =: ''}", "&v {=: x}\nw: *v",
                 "[{<<: {a: 1}}]", "\n  - a", "\n  a: 1", "\n  - a: 1"]  # fmt: skip


def test_explicit_tags_on_every_kind_of_node_match_safe_load() -> None:
    """Every safe tag on scalars, sequences and mappings of every shape, at the root and as a value."""
    texts = [
        layout.format(f"{tag} {value}")
        for tag in TAGS
        for value in TAGGED_VALUES
        for layout in ("{}\n", "k: {}\n", "- {}\n")
        if not (value.startswith("\n") and layout == "{}\n")
    ]
    mismatches = _compare(texts)
    assert not mismatches, f"{len(mismatches)} of {len(texts)} texts differ, e.g.:\n" + "\n".join(mismatches[:15])


MERGE_KEYS = ["a", "b", "ab", "abc", "'ab'", "ab ", "1", "11", "~", "<<", "=", "[x]"]
MERGE_TAGS = ["!foo", "!!null", "!!str", "!!omap", "!!set", "!!map", "!!merge", "&t !!int"]


def _merge_text(rng: random.Random) -> str:
    """Anchored mappings sharing keys, merged into one mapping in random orders and ways."""
    lines = []
    for name in ("p", "q", "r"):
        pairs = ", ".join(f"{rng.choice(MERGE_KEYS)}: {name}{i}" for i in range(rng.randint(1, 4)))
        lines.append(f"{name}: &{name} {{{pairs}}}")
    sources = rng.sample(["*p", "*q", "*r"], rng.randint(1, 3))
    if rng.random() < 0.3:  # an inline source with a tag: merged, so never constructed
        sources.insert(rng.randint(0, len(sources)), f"{rng.choice(MERGE_TAGS)} {{{rng.choice(MERGE_KEYS)}: t}}")
    merge = f"[{', '.join(sources)}]" if len(sources) > 1 or rng.random() < 0.5 else sources[0]
    own = [f"  {rng.choice(MERGE_KEYS)}: own{i}" for i in range(rng.randint(0, 2))]
    more = [f"  <<: {rng.choice(['*p', '*q', '*r'])}"] if rng.random() < 0.3 else []
    body = [*own[:1], f"  <<: {merge}", *more, *own[1:]]
    tail = ["n: {<<: *r, ab: n}"] + (["o: *t"] if "&t" in merge and rng.random() < 0.5 else [])
    return "\n".join([*lines, "m:", *body, *tail]) + "\n"


def test_merge_keys_match_safe_load() -> None:
    """Which source wins a merged key is PyYAML 6.0.x's choice (by key object identity), not the spec's."""
    rng = random.Random(8)
    texts = [_merge_text(rng) for _ in range(int(os.environ.get("PLX_YAML_MERGE_CASES", "1000")))]
    mismatches = _compare(texts)
    assert not mismatches, f"{len(mismatches)} of {len(texts)} texts differ, e.g.:\n" + "\n".join(mismatches[:15])

"""Differential test of the YAML stage alone: our reader vs `yaml.safe_load`.

Polyaxon reads a polyaxonfile with `yaml.safe_load` (pure-Python PyYAML), so before any
schema question the verdict is "does safe_load raise?". Random texts made of YAML
punctuation (flow/block indicators, `?`, `#`, block-scalar headers, anchors, `<<`, tags,
tabs, quotes, odd line breaks) are fed to both; we must report a `yaml-syntax` error exactly
when safe_load raises, and otherwise read the same value. No oracle needed: the dev venv's
PyYAML is the same library Polyaxon uses (the oracle pins the same 6.0.x).

PLX_YAML_FUZZ_CASES sets the number of texts (default 20000, a few seconds).
"""

from __future__ import annotations

import math
import os
import random
from typing import Any

import yaml

from plxinit.yamldoc import parse_document

TOKENS = [
    "a", "b", "1", "x y", ":", ": ", " ", "  ", "\n", "\n  ", "\n- ", "- ", "-", "?", "? ", "[", "]", "{", "}",
    ",", ", ", "#", " #c", "'", '"', "&x ", "*x", "|", ">", "|-", ">+", "|2", "|#", "---", "...", "~", "12:30",
    "0755", "yes", "''", '""', "'q'", '"q"', "@", "`", "=", "<<", "<<: ", "{a: b}", "[a, b]", "a:", "b: ", "- a",
    "\n\n", ".", "/", "-1", "0.5", "1e3", "2001-01-01", "a?b", "\t", ":\t", "!", "!!str ", "!!set ", "!!binary ",
    "%", "\\", '"\\t"', '"\\uD800"', "\r\n", "\u2028", "\x85", "\ufeff", "\u00e9", "\xa0", "&a", "*a", "!x ",
    "\r", "x!y", "#!/bin/sh", "echo hi!", "a%b", ":]", ":}", ":,", ":[", "a:b",
]  # fmt: skip
YAML_ERROR_CODES = {"yaml-syntax", "too-complex"}


def _soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 14)))


def _safe_load(text: str) -> tuple[bool, Any]:
    try:
        return True, yaml.safe_load(text)
    except yaml.YAMLError:
        return False, None
    except (ValueError, TypeError, RecursionError):  # e.g. an unhashable merged key
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


def test_yaml_stage_matches_safe_load() -> None:
    rng = random.Random(20250218)
    count = int(os.environ.get("PLX_YAML_FUZZ_CASES", "20000"))
    mismatches: list[str] = []
    for _ in range(count):
        text = _soup(rng)
        loads, value = _safe_load(text)
        document = parse_document(text)
        codes = {d.code for d in document.diagnostics if d.severity.value == "error"}
        we_fail = bool(codes & YAML_ERROR_CODES)
        if loads == we_fail:
            mismatches.append(f"{text!r}: safe_load {'ok' if loads else 'raises'}, ours {sorted(codes) or 'ok'}")
        elif loads and document.root is not None and not _same(document.root.value, value):
            mismatches.append(f"{text!r}: safe_load {value!r}, ours {document.root.value!r}")
    assert not mismatches, f"{len(mismatches)} of {count} texts differ, e.g.:\n" + "\n".join(mismatches[:15])

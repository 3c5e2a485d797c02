"""Combine the generated schema parts and the hand-kept overlay into the canonical schema.

    schema/generated/*.json   structure generated from Polyaxon's and Kubernetes' models (tools in
                              this folder, run in the oracle venv); never edited by hand
    schema/overlay/*.json     written by hand: rules, messages, descriptions, codes, severities
    schema/polyaxonfile.schema.json   the result, committed; `--check` fails when it is stale

Each part is `{"$defs": {...}}` (the overlay's `00-root.json` also holds the top level). A def
named in several parts is merged in this order: generated parts (sorted by file name), then
overlay parts (sorted): objects merge key by key, recursively; `allOf` lists are joined (the
rules of every part apply); anything else is replaced. An object carrying `"x-plx-replace": true`
replaces what it lands on instead of merging.

Plain Python (no Polyaxon): the project venv runs it, and so does the staleness test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[1]
CANONICAL = SCHEMA_DIR / "polyaxonfile.schema.json"
REPLACE = "x-plx-replace"


def _merge(base: Any, patch: Any) -> Any:
    if not isinstance(patch, dict) or not isinstance(base, dict) or patch.get(REPLACE):
        return _strip(patch)
    merged = dict(base)
    for key, value in patch.items():
        if key not in merged:
            merged[key] = _strip(value)
        elif key == "allOf" and isinstance(merged[key], list) and isinstance(value, list):
            # rules add up: the generated ones (a required key given by either name) stay beside the
            # overlay's (`bayes-uniform-only`)
            merged[key] = [*merged[key], *_strip(value)]
        else:
            merged[key] = _merge(merged[key], value)
    return merged


def _strip(value: Any) -> Any:
    """The value without the overlay's merge markers."""
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key != REPLACE}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


def _parts(folder: str) -> list[tuple[Path, dict[str, Any]]]:
    paths = sorted((SCHEMA_DIR / folder).glob("*.json"))
    return [(path, json.loads(path.read_text(encoding="utf-8"))) for path in paths]


def build() -> dict[str, Any]:
    """The canonical schema: the overlay's top level, then every def (hand-written ones first)."""
    generated = _parts("generated")
    overlay = _parts("overlay")
    top: dict[str, Any] = {}
    hand: dict[str, Any] = {}
    machine: dict[str, Any] = {}
    for _path, part in generated:
        for name, schema in part.get("$defs", {}).items():
            machine[name] = _merge(machine[name], schema) if name in machine else schema
    for path, part in overlay:
        for key, value in part.items():
            if key == "$defs":
                continue
            if key in top:
                raise SystemExit(f"{path.name}: top-level `{key}` is already set by an earlier overlay part")
            top[key] = value
        for name, schema in part.get("$defs", {}).items():
            if name in machine:
                machine[name] = _merge(machine[name], schema)
            else:
                hand[name] = _merge(hand[name], schema) if name in hand else _strip(schema)
    return {**top, "$defs": {**hand, **machine}}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        if CANONICAL.read_text(encoding="utf-8") != text:
            print(f"{CANONICAL} is stale: run `python schema/tools/build.py`", file=sys.stderr)
            return 1
        return 0
    CANONICAL.write_text(text, encoding="utf-8")
    print(f"wrote {CANONICAL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

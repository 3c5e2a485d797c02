"""pathRef to local files, hubRef and urlRef (server/plxinit/refs.py), as a user sees them.

The fixtures are small files under tests/fixtures/refs/ that refer to each other. CASES records,
for each, Polyaxon 2.18's verdict on `polyaxon check -f FILE` (the file read from disk, so its
pathRefs resolve beside it) and our exact diagnostics. `test_recorded_verdicts_are_polyaxons`
asks Polyaxon again for every case, and for the cases built in a temporary directory (a FIFO, a
directory, undecodable files), so a recorded verdict cannot drift. tests/oracle/polyaxon_oracle.py
judges texts, not files beside other files; its `path` items call the same `check_polyaxonfile`
on paths. The line between error and warning is Polyaxon's verdict: a case Polyaxon rejects has
an error from us, a case it accepts has none.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from plxinit import refs, sources
from plxinit.refs import MAX_REF_DEPTH, RuleContext, resolve_references
from plxinit.validate import validate_text

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))

from harness import (
    oracle_fixture,  # noqa: F401 - the shared fixture `oracle` (harness.py says why not in a conftest)
    run_oracle,
)

HERE = Path(__file__).resolve().parent / "fixtures" / "refs"

#: `polyaxon check -f PATH [-P k=v]` for each path argument, as JSON {path: [valid, error]}.

Expected = tuple[str, str, tuple[int, int, int, int], str]  # severity, code, 1-based range, message


class Case(NamedTuple):
    name: str
    polyaxon_valid: bool
    ours: list[Expected]


CASES = [
    Case("ok.yaml", True, []),
    Case("nested-ok.yaml", True, []),  # nested/inner.yaml's own pathRef is relative to nested/
    Case("dag.yaml", True, []),  # `ops.a.outputs.loss`: declared by the component a's pathRef reads
    Case(
        "missing.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 19),
                "pathRef `nope.yaml` names no file: `{HERE}/nope.yaml` does not exist.",
            )
        ],
    ),
    Case(
        "dag-missing.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (10, 14, 10, 31),
                "pathRef `../refs/nope.yaml` names no file: `{HERE}/nope.yaml` does not exist.",
            )
        ],
    ),
    Case(
        "cycle-a.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 22),
                "pathRef `cycle-b.yaml` leads to a reference cycle, `cycle-a.yaml` → `cycle-b.yaml` → "
                "`cycle-a.yaml`: Polyaxon rejects it.",
            )
        ],
    ),
    Case(
        "self-cycle.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 25),
                "pathRef `self-cycle.yaml` refers to its own file (`self-cycle.yaml` → `self-cycle.yaml`): "
                "Polyaxon rejects a reference cycle.",
            )
        ],
    ),
    Case(
        "chain-a.yaml",  # the cycle is further on: chain-b → chain-c → chain-b
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 22),
                "pathRef `chain-b.yaml` leads to a reference cycle, `chain-b.yaml` → `chain-c.yaml` → "
                "`chain-b.yaml`: Polyaxon rejects it.",
            )
        ],
    ),
    Case(
        "dag-self.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (6, 14, 6, 27),
                "pathRef `dag-self.yaml` refers to its own file (`dag-self.yaml` → `dag-self.yaml`): "
                "Polyaxon rejects a reference cycle.",
            )
        ],
    ),
    Case(
        "required-missing.yaml",
        False,
        [
            (
                "error",
                "required",
                (3, 1, 3, 7),
                "The required input `lr` gets no value: give this operation a param `lr` (or a matrix param), "
                "or make the input optional.",
            )
        ],
    ),
    Case(
        "param-typo.yaml",
        True,
        [
            (
                "warning",
                "unknown-key",
                (5, 3, 5, 8),
                "Param `epoch` matches no input or output of this operation: Polyaxon keeps it as a context "
                "value without checking it. Did you mean `epochs`?",
            )
        ],
    ),
    Case(
        "param-typo-strict.yaml",
        False,
        [
            (
                "error",
                "unknown-key",
                (6, 3, 6, 8),
                "Param `epoch` matches no input or output, which `strictParams` rejects: declare it, or set "
                "`contextOnly: true` on it. Did you mean `epochs`?",
            )
        ],
    ),
    Case(
        "param-bad-type.yaml",
        False,
        [
            (
                "error",
                "type",
                (4, 7, 4, 11),
                "Param `lr` feeds the input `lr` of type `float`, but its value `fast` is not a number.",
            )
        ],
    ),
    Case(
        "nested-required.yaml",
        False,
        [
            (
                "error",
                "required",
                (3, 1, 3, 7),
                "The required input `x` gets no value: give this operation a param `x` (or a matrix param), "
                "or make the input optional.",
            ),
            (
                "warning",
                "unknown-key",
                (4, 3, 4, 4),
                "Param `y` matches no input or output of this operation: Polyaxon keeps it as a context value "
                "without checking it. Declare it, or set `contextOnly: true`.",
            ),
        ],
    ),
    Case(
        "nested-missing.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 28),
                "pathRef `nested/broken.yaml`: `nested/broken.yaml` is not valid; at line 2, column 10: pathRef "
                "`gone.yaml` names no file: `{HERE}/nested/gone.yaml` does not exist.",
            )
        ],
    ),
    Case(
        "dag-required.yaml",
        False,
        [
            (
                "error",
                "required",
                (7, 5, 7, 11),
                "The required input `lr` gets no value: give operation `a` a param `lr` (or a matrix param), "
                "or make the input optional.",
            )
        ],
    ),
    Case(
        "dag-unknown-output.yaml",
        False,
        [
            (
                "error",
                "unknown-reference",
                (12, 31, 12, 47),
                "`outputs.accuracy`: `a` declares no output named `accuracy`.",
            )
        ],
    ),
    Case(
        "invalid-target.yaml",
        False,
        [
            (
                "error",
                "path-ref",
                (2, 10, 2, 32),
                "pathRef `invalid-component.yaml`: `invalid-component.yaml` is not valid; at line 5, column 3: "
                "Unknown key `bogus` in job run. Expected one of: kind, container, connections, environment, "
                "sidecars, volumes, init.",
            )
        ],
    ),
    Case(
        "bad-default.yaml",
        False,
        [
            (
                "error",
                "invalid-value",
                (2, 10, 2, 36),
                "`bad-default-component.yaml` line 3: `lr` has type `float`, but its value `fast` is not a number.",
            )
        ],
    ),
]


def ours(path: Path, **context: Any) -> list[Expected]:
    diagnostics = validate_text(path.read_text(encoding="utf-8"), RuleContext(path=str(path), **context))
    return [
        (
            d.severity.value,
            d.code,
            (d.range.start.line + 1, d.range.start.column + 1, d.range.end.line + 1, d.range.end.column + 1),
            d.message,
        )
        for d in diagnostics
    ]


def expected(items: list[Expected]) -> list[Expected]:
    return [(s, c, r, m.replace("{HERE}", str(HERE))) for s, c, r, m in items]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_our_diagnostics(case: Case) -> None:
    assert ours(HERE / case.name) == expected(case.ours)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_an_error_exactly_where_polyaxon_rejects(case: Case) -> None:
    assert any(severity == "error" for severity, *_ in case.ours) == (not case.polyaxon_valid)


def test_related_information_names_the_file_and_line_of_the_declaration() -> None:
    path = HERE / "required-missing.yaml"
    (diagnostic,) = validate_text(path.read_text(encoding="utf-8"), RuleContext(path=str(path)))
    related = [(r.range.start.line + 1, r.range.start.column + 1, r.message) for r in diagnostic.related]
    assert related == [(2, 10, "input `lr` is declared here, in `component.yaml` line 4")]
    path = HERE / "nested-required.yaml"  # nested/inner.yaml reads nested/leaf.yaml, which declares `x`
    required, _ = validate_text(path.read_text(encoding="utf-8"), RuleContext(path=str(path)))
    related = [(r.range.start.line + 1, r.range.start.column + 1, r.message) for r in required.related]
    assert related == [(2, 10, "input `x` is declared here, in `nested/leaf.yaml` line 3")]


def test_hub_and_url_refs_are_named_once_as_info() -> None:
    path = HERE / "remote.yaml"
    diagnostics = validate_text(path.read_text(encoding="utf-8"), RuleContext())  # no path needed
    assert [(d.severity.value, d.code, d.range.start.line + 1, d.range.start.column + 1) for d in diagnostics] == [
        ("info", "remote-ref", 6, 13)
    ]
    assert diagnostics[0].message == (
        "`hubRef: polyaxon/notebook` is fetched over the network when Polyaxon checks the file, so its component "
        "is not checked here (its inputs against the params, its run). The same holds for the 2 other hubRef and "
        "urlRef of this file."
    )
    assert [(r.range.start.line + 1, r.message) for r in diagnostics[0].related] == [
        (8, "`urlRef: https://example.com/component.yaml`"),
        (10, "`hubRef: polyaxon/tensorboard`"),
    ]


def test_without_the_documents_path_pathrefs_are_not_followed() -> None:
    for name in ("missing.yaml", "required-missing.yaml"):
        assert validate_text((HERE / name).read_text(encoding="utf-8"), RuleContext()) == []


def test_without_a_context_no_reference_is_followed_or_named() -> None:
    """`validate_text(text)`, as callers that know nothing of the document's place use it."""
    assert validate_text((HERE / "remote.yaml").read_text(encoding="utf-8")) == []
    assert validate_text((HERE / "missing.yaml").read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------------- files that cannot be read


def _unreadable_cases(tmp: Path) -> list[tuple[Path, str]]:
    """(referring file, our expected message) for targets Polyaxon cannot read, built in `tmp`."""
    made = []

    def refer(name: str, target: str) -> Path:
        path = tmp / name
        path.write_text(f"kind: operation\npathRef: {target}\n", encoding="utf-8")
        made.append(path)
        return path

    (tmp / "latin1.yaml").write_bytes(b"kind: component\nrun: {kind: job, container: {image: \xe9}}\n")
    (tmp / "binary.yaml").write_bytes(b"\x00\x01\x02kind")
    (tmp / "utf16.yaml").write_bytes("kind: component\n".encode("utf-16"))
    (tmp / "adir").mkdir()
    (tmp / "empty.yaml").write_text("", encoding="utf-8")
    (tmp / "list.yaml").write_text("[1, 2]\n", encoding="utf-8")
    os.symlink(tmp / "gone.yaml", tmp / "dangling.yaml")
    os.mkfifo(tmp / "pipe.yaml")
    return [
        (
            refer("r-latin1.yaml", "latin1.yaml"),
            "pathRef `latin1.yaml`: `latin1.yaml` cannot be read: not valid UTF-8 (byte 0xe9 at offset 52); "
            "polyaxonfiles must be UTF-8.",
        ),
        (
            refer("r-binary.yaml", "binary.yaml"),
            "pathRef `binary.yaml`: `binary.yaml` cannot be read: not a text file (it contains NUL bytes).",
        ),
        (
            refer("r-utf16.yaml", "utf16.yaml"),
            "pathRef `utf16.yaml`: `utf16.yaml` cannot be read: UTF-16 is not supported; save the file as UTF-8.",
        ),
        (refer("r-dir.yaml", "adir"), "pathRef `adir` names a directory, `adir`: it must name a polyaxonfile."),
        (
            refer("r-empty.yaml", "empty.yaml"),
            "pathRef `empty.yaml`: `empty.yaml` is not valid; at line 1, column 1: The file is empty: a "
            "polyaxonfile must be a mapping (with `kind`, `run`, ...).",
        ),
        (
            refer("r-list.yaml", "list.yaml"),
            "pathRef `list.yaml`: `list.yaml` is not valid; at line 1, column 1: A polyaxonfile must be a mapping "
            "(with `kind`, `run`, ...), not a list or a scalar.",
        ),
        (
            refer("r-dangling.yaml", "dangling.yaml"),
            f"pathRef `dangling.yaml` names no file: `{tmp}/dangling.yaml` is a broken symbolic link "
            f"(to '{tmp}/gone.yaml', which does not exist).",
        ),
        (
            refer("r-pipe.yaml", "pipe.yaml"),
            "pathRef `pipe.yaml`: `pipe.yaml` cannot be read: not a regular file (a FIFO).",
        ),
    ]


def test_unreadable_targets_get_one_error_on_the_pathref_value(tmp_path: Path) -> None:
    for path, message in _unreadable_cases(tmp_path):
        target = path.read_text(encoding="utf-8").split("pathRef: ")[1].strip()
        assert ours(path) == [("error", "path-ref", (2, 10, 2, 10 + len(target)), message)], path.name


def test_a_target_over_the_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 100)
    (tmp_path / "big.yaml").write_text("kind: component\n" + "# padding\n" * 20, encoding="utf-8")
    path = tmp_path / "op.yaml"
    path.write_text("kind: operation\npathRef: big.yaml\n", encoding="utf-8")
    assert ours(path) == [
        (
            "error",
            "path-ref",
            (2, 10, 2, 18),
            "pathRef `big.yaml`: `big.yaml` cannot be read: file is too large (more than 100 bytes).",
        ),
    ]


def test_the_files_read_through_references_are_bounded_in_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refs, "MAX_REF_CHARS", 100)
    component = "kind: component\nrun: {kind: job, container: {image: busybox}}\n"
    (tmp_path / "c.yaml").write_text(component + "# padding\n" * 20, encoding="utf-8")
    (tmp_path / "d.yaml").write_text(component, encoding="utf-8")
    text = "kind: component\nrun:\n  kind: dag\n  operations:\n  - {name: a, pathRef: c.yaml}\n"
    text += "  - {name: b, pathRef: d.yaml}\n"
    diagnostics = validate_text(text, RuleContext(path=str(tmp_path / "dag.yaml")))
    assert [(d.severity.value, d.code, d.range.start.line + 1) for d in diagnostics] == [("warning", "too-complex", 6)]


def test_hostile_paths_never_raise(tmp_path: Path) -> None:
    path = tmp_path / "op.yaml"
    for value in ('"a\\0b"', "/dev/null", "/dev/zero", '"' + "x" * 5000 + '"', "/", "'{{ x }}.yaml'", "42"):
        text = f"kind: operation\npathRef: {value}\n"
        path.write_text(text, encoding="utf-8")
        diagnostics = validate_text(text, RuleContext(path=str(path)))
        assert any(d.severity.value == "error" for d in diagnostics), value


def test_a_long_chain_stops_with_a_warning_not_a_traceback(tmp_path: Path) -> None:
    depth = MAX_REF_DEPTH + 5
    for index in range(depth):
        (tmp_path / f"f{index}.yaml").write_text(f"kind: operation\npathRef: f{index + 1}.yaml\n", encoding="utf-8")
    (tmp_path / f"f{depth}.yaml").write_text(
        "kind: component\nrun: {kind: job, container: {image: busybox}}\n", encoding="utf-8"
    )
    context = RuleContext(path=str(tmp_path / "f0.yaml"))
    assert validate_text((tmp_path / "f0.yaml").read_text(encoding="utf-8"), context) == []
    stopped = [
        (Path(path).name, finding.code, finding.message)
        for path, resolution in context.session.resolutions.items()
        for finding in resolution.findings
    ]
    assert stopped == [
        (
            f"f{MAX_REF_DEPTH}.yaml",
            "too-complex",
            f"pathRef `f{MAX_REF_DEPTH + 1}.yaml` is not followed: more than {MAX_REF_DEPTH} files deep, or "
            "200 files (or 64 MB) read through references; it is not checked.",
        )
    ]


def test_a_dag_reads_a_shared_component_once(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text((HERE / "component.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    nodes = "".join(f"  - {{name: n{i}, pathRef: c.yaml, params: {{lr: 0.1}}}}\n" for i in range(200))
    text = f"kind: component\nrun:\n  kind: dag\n  operations:\n{nodes}"
    context = RuleContext(path=str(tmp_path / "dag.yaml"))
    assert validate_text(text, context) == []
    assert list(context.session.targets) == [str(tmp_path / "c.yaml")]


def test_the_composed_value_puts_the_component_where_the_pathref_was() -> None:
    path = HERE / "ok.yaml"
    value = {"kind": "operation", "pathRef": "component.yaml", "params": {"lr": 0.1}}
    resolution = resolve_references(value, RuleContext(path=str(path)))
    assert list(resolution.value) == ["kind", "component", "params"]
    assert resolution.value["component"]["name"] == "train"
    assert value == {"kind": "operation", "pathRef": "component.yaml", "params": {"lr": 0.1}}  # not modified


# ---------------------------------------------------------------------- the oracle


def polyaxon_verdicts(python: Path, paths: list[Path]) -> dict[str, list[Any]]:
    """{path: [valid, error]}: `polyaxon check -f` on each file where it lies."""
    verdicts = run_oracle([{"id": str(path), "path": str(path)} for path in paths], python, timeout=600)
    return {key: [verdict["valid"], verdict["error"]] for key, verdict in verdicts.items()}


def test_recorded_verdicts_are_polyaxons(oracle: Path, tmp_path: Path) -> None:
    unreadable = [path for path, _ in _unreadable_cases(tmp_path)]
    verdicts = polyaxon_verdicts(oracle, [HERE / case.name for case in CASES] + unreadable)
    wrong = {
        case.name: verdicts[str(HERE / case.name)]
        for case in CASES
        if verdicts[str(HERE / case.name)][0] != case.polyaxon_valid
    }
    assert wrong == {}
    assert {path.name: verdicts[str(path)][0] for path in unreadable} == {path.name: False for path in unreadable}


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    names = ["component.yaml", "cycle-a.yaml", "nested/inner.yaml", "nope.yaml", "dag.yaml", "", "."]
    leaves: list[Any] = [None, 0, 1.5, "x", "{{ x }}", True, [], {}, *names]
    if depth > 5:
        return rng.choice(leaves)
    keys = ["kind", "pathRef", "hubRef", "urlRef", "component", "run", "operations", "components", "params"]
    keys += ["name", "inputs", "value", "dagRef", "connections"]
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(leaves)
    if roll < 0.55:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    found = {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    if rng.random() < 0.3:
        found["run"] = {"kind": "dag", "operations": [_random_value(rng, depth + 1) for _ in range(2)]}
    if rng.random() < 0.4:
        found["pathRef"] = rng.choice(names)
    return found


def test_any_document_never_raises() -> None:
    rng = random.Random(5)
    context_path = str(HERE / "random.yaml")
    for _ in range(1500):
        value = _random_value(rng)
        resolution = resolve_references(value, RuleContext(path=context_path))
        for finding in resolution.findings:
            assert resolution.local(finding) is not None
        if isinstance(value, dict) and rng.random() < 0.2:  # the whole pass, on the composed value
            validate_text(json.dumps(value), RuleContext(path=context_path))

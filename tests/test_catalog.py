"""Connection names, presets and queues against a user's catalog (server/plxinit/catalog.py).

Polyaxon checks connection names only when the agent resolves a run, against its connections
catalog, and presets and queues on the server: `polyaxon check` accepts any name. So a name the
user's catalog does not list is a warning, and `test_polyaxon_accepts_the_names_until_an_agent_resolves_them`
shows both halves with the oracle: the file is VALID at the check level, and the agent's resolve
(the oracle's stub agent offers the connections `repo` and `store`) rejects unknown connections and
accepts the file once its connections are the agent's.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from plxinit.catalog import Catalog, CatalogError, catalog_findings, load_catalog, parse_catalog
from plxinit.refs import RuleContext
from plxinit.validate import validate_text
from random_values import random_value

sys.path.insert(0, str(Path(__file__).resolve().parent / "differential"))

from harness import (
    oracle_fixture,  # noqa: F401 - the shared fixture `oracle` (harness.py says why not in a conftest)
    run_oracle,
)

HERE = Path(__file__).resolve().parent / "fixtures" / "refs"
CATALOG = HERE / "catalog.yaml"


def ours(path: Path, catalog: Catalog | None) -> list[tuple[str, str, tuple[int, int, int, int], str]]:
    diagnostics = validate_text(path.read_text(encoding="utf-8"), RuleContext(path=str(path), catalog=catalog))
    return [
        (
            d.severity.value,
            d.code,
            (d.range.start.line + 1, d.range.start.column + 1, d.range.end.line + 1, d.range.end.column + 1),
            d.message.replace(str(HERE), "{HERE}"),
        )
        for d in diagnostics
    ]


def test_the_catalog_file_is_read() -> None:
    catalog = load_catalog(str(CATALOG))
    assert catalog == Catalog(
        connections=frozenset({"repo", "s3-data"}),
        presets=frozenset({"gpu", "small"}),
        queues=frozenset({"agent-1/default", "gpu"}),
        shown=str(CATALOG),
    )


def test_names_not_in_the_catalog_are_warned_about_with_did_you_mean() -> None:
    assert ours(HERE / "uses-catalog.yaml", load_catalog(str(CATALOG))) == [
        (
            "warning",
            "catalog",
            (3, 16, 3, 20),
            "Preset `smal` is not in the catalog `{HERE}/catalog.yaml`. Did you mean `small`?",
        ),
        (
            "warning",
            "catalog",
            (4, 8, 4, 23),
            "Queue `agent-1/defualt` is not in the catalog `{HERE}/catalog.yaml`. Did you mean `agent-1/default`?",
        ),
        (
            "warning",
            "catalog",
            (6, 44, 6, 50),
            "Connection `s3-dat` is not in the catalog `{HERE}/catalog.yaml`. Did you mean `s3-data`?",
        ),
        ("warning", "catalog", (14, 34, 14, 37), "Connection `gcs` is not in the catalog `{HERE}/catalog.yaml`."),
        (
            "warning",
            "catalog",
            (17, 19, 17, 22),
            "Connection `rpo` is not in the catalog `{HERE}/catalog.yaml`. Did you mean `repo`?",
        ),
    ]


def test_without_a_catalog_nothing_is_said() -> None:
    assert ours(HERE / "uses-catalog.yaml", None) == []
    assert validate_text((HERE / "uses-catalog.yaml").read_text(encoding="utf-8")) == []


def test_a_component_reached_by_pathref_is_checked_where_the_pathref_is() -> None:
    assert ours(HERE / "catalog-through-pathref.yaml", load_catalog(str(CATALOG))) == [
        (
            "warning",
            "catalog",
            (2, 10, 2, 34),
            "`connected-component.yaml` line 4: Connection `s3-dta` is not in the catalog `{HERE}/catalog.yaml`. "
            "Did you mean `s3-data`?",
        )
    ]


def test_a_section_the_catalog_leaves_out_is_not_checked() -> None:
    value = {"presets": ["x"], "queue": "y", "run": {"connections": ["z"]}}
    assert list(catalog_findings(value, Catalog(connections=frozenset({"a"})))) != []
    assert [f.path for f in catalog_findings(value, Catalog(connections=frozenset({"a"})))] == [
        ["run", "connections", 0]
    ]
    assert list(catalog_findings(value, Catalog())) == []


def test_templates_values_and_param_names_are_not_names_of_the_deployment() -> None:
    catalog = Catalog(connections=frozenset({"repo"}), presets=frozenset(), queues=frozenset())
    value = {
        "queue": "{{ globals.queue }}",
        "presets": ["{{ p }}"],
        "params": {"connection": "short-form value", "data": {"value": {"connection": "inside a value"}}},
        "inputs": [{"name": "x", "type": "str", "value": {"connection": "a default"}, "connection": "{{ c }}"}],
        "matrix": {"kind": "grid", "params": {"connection": {"kind": "choice", "value": ["a"]}}},
    }
    assert list(catalog_findings(value, catalog)) == []


@pytest.mark.parametrize(
    ("queue", "known"),
    [("agent-1/default", True), ("default", True), ("gpu", True), ("other/gpu", True), ("agent-2/default", False)],
)
def test_queues_with_and_without_an_agent(queue: str, known: bool) -> None:
    assert Catalog(queues=frozenset({"agent-1/default", "gpu"})).knows_queue(queue) is known


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "{path}: a catalog is a mapping with `connections`, `presets` and `queues` lists"),
        ("connection: [a]\n", "{path}: unknown section `connection` (did you mean `connections`?)"),
        ("hosts: [a]\n", "{path}: unknown section `hosts`; it takes connections, presets, queues"),
        ("presets: gpu\n", "{path}: `presets` must be a list of names"),
        ("connections: [{kind: s3}]\n", "{path}: item 1 of `connections` must be a name, or a mapping with a `name`"),
        ("queues: [1]\n", "{path}: item 1 of `queues` must be a name"),
        ("connections: [a\n", "{path}: not valid YAML (line 2, column 1)"),
    ],
)
def test_an_unusable_catalog_says_why(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(str(path))
    assert str(raised.value) == message.format(path=path)


def test_an_unreadable_catalog_says_why(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    for path, problem in [
        (tmp_path / "missing.yaml", "no such file"),
        (tmp_path, "is a directory"),
        (tmp_path / "fifo", "not a regular file (a FIFO)"),
    ]:
        with pytest.raises(CatalogError) as raised:
            load_catalog(str(path))
        assert str(raised.value) == f"{path}: {problem}"


def test_an_empty_catalog_checks_nothing(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert parse_catalog(None) == Catalog() and load_catalog(str(path)) == Catalog(shown=str(path))


LEAVES: list[Any] = [None, 0, 1.5, "", "x", "{{ x }}", "repo", True, [], {}]
KEYS = ["connection", "connections", "presets", "queue", "params", "value", "matrix", "init", "run", "inputs"]


def _random_value(rng: random.Random) -> Any:
    return random_value(rng, KEYS, LEAVES)


def test_any_value_never_raises() -> None:
    rng = random.Random(11)
    catalog = Catalog(frozenset({"repo"}), frozenset({"gpu"}), frozenset({"a/q"}))
    for _ in range(3000):
        list(catalog_findings(_random_value(rng), catalog))
    deep: Any = "x"
    for _ in range(5000):
        deep = {"run": deep}
    list(catalog_findings(deep, catalog))


def test_polyaxon_accepts_the_names_until_an_agent_resolves_them(oracle: Path) -> None:
    text = (HERE / "uses-catalog.yaml").read_text(encoding="utf-8")
    agents = text.replace("s3-data, gcs", "store").replace("connection: rpo", "connection: repo")
    agents = agents.replace("connection: s3-dat", "connection: repo")
    items = [
        {"id": "check", "text": text, "level": "check"},
        {"id": "resolve", "text": text, "level": "resolve"},
        {"id": "resolve-agents-names", "text": agents, "level": "resolve"},
    ]
    verdicts = run_oracle(items, oracle)
    assert verdicts["check"]["valid"] is True
    assert verdicts["resolve"]["valid"] is False
    assert "not found in the agent.connections catalog" in verdicts["resolve"]["error"]
    assert verdicts["resolve-agents-names"]["valid"] is True  # unknown presets and queue: the server's business

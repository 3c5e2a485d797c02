"""The rule finders' lazy loading (server/plxinit/lazy_finders.py): a gate never changes a finding,
and a document without what a finder reads does not import it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from plxinit import dag_rules, io_values, lazy_finders, params_rules, rendered
from plxinit.yamldoc import parse_document

sys.path.insert(0, str(REPO / "bench"))
from run import two_hundred_node_dag, whole_section_polyaxonfile

PAIRS = [
    (lazy_finders.dag_findings, dag_rules.dag_findings),
    (lazy_finders.io_value_findings, io_values.io_value_findings),
    (lazy_finders.params_findings, params_rules.params_findings),
    (lazy_finders.rendered_template_findings, rendered.rendered_template_findings),
]


def _documents() -> list[Any]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.yaml"))]
    texts += [two_hundred_node_dag(20), whole_section_polyaxonfile(200)]
    return [document.root.value for document in map(parse_document, texts) if document.root is not None]


def test_every_fixture_gets_the_same_findings_through_a_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy_finders, "_imported", lambda module: False)
    documents = _documents()
    gated = 0
    for value in documents:
        for lazy, finder in PAIRS:
            expected = list(finder(value))
            assert list(lazy(value)) == expected, (finder.__name__, value)
            gated += not expected
    assert len(documents) > 300 and gated > 0


def test_the_walk_takes_shared_and_cyclic_values() -> None:
    shared: list[Any] = ["{{ x }}"]
    for _ in range(200):  # 2**200 paths through aliases, 200 containers
        shared = [shared, shared]
    cyclic: dict[str, Any] = {"params": {}}
    cyclic["params"]["self"] = cyclic
    assert lazy_finders._Features({"run": shared}).has_template
    assert lazy_finders._Features(cyclic).keys == {"params", "self"}
    assert not lazy_finders._Features(cyclic).has_template


def test_a_plain_file_imports_no_finder_and_a_dag_imports_what_it_needs(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("kind: component\nrun: {kind: job, container: {image: a}}\n", encoding="utf-8")
    dag = tmp_path / "dag.yaml"
    dag.write_text("kind: component\nrun:\n  kind: dag\n  operations:\n  - name: a\n    dagRef: b\n", encoding="utf-8")
    probe = (
        "import sys; from plxinit.validate import validate_text\n"
        "for path in sys.argv[1:]:\n"
        "    found = [d.code for d in validate_text(open(path).read())]\n"
        "    loaded = [m for m in ('dag_rules', 'io_values', 'params_rules', 'scope', 'templates', 'rendered')"
        " if 'plxinit.' + m in sys.modules]\n"
        "    print(found, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(plain), str(dag)], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.splitlines() == ["[] []", "['unknown-reference'] ['dag_rules', 'scope']"]

"""Hover on the keys of every section shows that key's description from the schema (the branch
the document's `kind`s select), and on enum values of kinds."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.schema import deref, resolve_pointer

from .helpers import at_marker, hover_on, rng

#: (text with the cursor, the schema property whose description is shown, the key's range)
KEYS = [
    ("kind: component\ninputs:\n  - name: a\n    ty‸pe: int\n", "V1IO/properties/type", (3, 4, 3, 8)),
    ("kind: component\noutputs: [{name: a, is‸Optional: true}]\n", "V1IO/properties/isOptional", (1, 20, 1, 30)),
    ("kind: operation\nparams:\n  lr:\n    va‸lue: 1\n", "V1Param/properties/value", (3, 4, 3, 9)),
    ("kind: operation\nmatrix:\n  kind: grid\n  num‸Runs: 2\n", "V1GridSearch/properties/numRuns", (3, 2, 3, 9)),
    ("kind: operation\nmatrix:\n  kind: random\n  num‸Runs: 2\n", "V1RandomSearch/properties/numRuns", (3, 2, 3, 9)),
    (
        "kind: operation\nmatrix:\n  kind: grid\n  params:\n    lr:\n      kind: choice\n      val‸ue: [1]\n",
        "V1HpChoice/properties/value",
        (6, 6, 6, 11),
    ),
    ("kind: operation\nschedule:\n  kind: cron\n  cr‸on: x\n", "V1CronSchedule/properties/cron", (3, 2, 3, 6)),
    (
        "kind: operation\nschedule: {kind: interval, freq‸uency: 60}\n",
        "V1IntervalSchedule/properties/frequency",
        (1, 27, 1, 36),
    ),
    ("kind: component\nrun:\n  kind: tfjob\n  chi‸ef: {}\n", "run-tfjob/properties/chief", (3, 2, 3, 7)),
    ("kind: component\nrun:\n  kind: pytorchjob\n  mas‸ter: {}\n", "run-pytorchjob/properties/master", (3, 2, 3, 8)),
    (
        "kind: component\nrun:\n  kind: dag\n  operations:\n    - hub‸Ref: x\n",
        "polyaxonfile-body/properties/hubRef",
        (4, 6, 4, 12),
    ),
    ("kind: operation\ntermination:\n  max‸Retries: 1\n", "V1Termination/properties/maxRetries", (2, 2, 2, 12)),
    ("kind: operation\nenvironment:\n  node‸Selector: {}\n", "V1Environment/properties/nodeSelector", (2, 2, 2, 14)),
    ("kind: operation\nhooks:\n  - trig‸ger: done\n", "V1Hook/properties/trigger", (2, 4, 2, 11)),
    ("kind: operation\nplugins:\n  log‸Level: info\n", "V1Plugins/properties/logLevel", (2, 2, 2, 10)),
]


@pytest.mark.parametrize(("marked", "pointer", "where"), KEYS)
async def test_key_hover_shows_its_schema_description(
    client: LanguageClient, marked: str, pointer: str, where: tuple[int, int, int, int]
) -> None:
    text, line, column = at_marker(marked)
    result = await hover_on(client, text, line, column)
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    key = pointer.rsplit("/", 1)[1]
    description = deref(resolve_pointer(f"#/$defs/{pointer}"))["description"]
    assert result.contents.value.startswith(f"**{key}**")
    assert description in result.contents.value
    assert result.range == rng(*where)


async def test_kind_values_hover(client: LanguageClient) -> None:
    for marked, value in [
        ("kind: operation\nmatrix:\n  kind: ran‸dom\n", "random"),
        ("kind: component\nrun:\n  kind: tf‸job\n", "tfjob"),
        ("kind: operation\nschedule:\n  kind: cr‸on\n", "cron"),
        ("kind: operation\nmatrix:\n  kind: grid\n  params:\n    lr: {kind: lin‸space}\n", "linspace"),
    ]:
        text, line, column = at_marker(marked)
        result = await hover_on(client, text, line, column)
        assert result is not None and isinstance(result.contents, lsp.MarkupContent), marked
        assert result.contents.value.startswith(f"**{value}**"), marked

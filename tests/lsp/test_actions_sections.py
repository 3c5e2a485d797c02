"""Quick fixes in every section: did-you-mean replacements, quoting, and the snake_case ->
camelCase rename, each applied and validated again."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.validate import validate_text

from .helpers import rng
from .test_actions import actions_for, edited

HUB = "kind: operation\nhubRef: x\n"
JOB = "kind: component\nrun: {kind: job, container: {image: a}}\n"

#: (text, the misspelled key's range, the suggestion); each fixed text is valid
DID_YOU_MEAN = [
    (f"{JOB}inputs:\n  - name: a\n    tpye: int\n", (4, 4, 4, 8), "type"),
    (f"{JOB}outputs: [{{name: a, type: int, is_optinal: true}}]\n", (2, 31, 2, 41), "isOptional"),
    (f"{HUB}params:\n  lr:\n    value: 1\n    conection: a\n", (5, 4, 5, 13), "connection"),
    (
        f"{HUB}matrix:\n  kind: grid\n  params: {{lr: {{kind: choice, value: [1]}}}}\n  numRun: 2\n",
        (5, 2, 5, 8),
        "numRuns",
    ),
    (f"{HUB}matrix:\n  kind: grid\n  params:\n    lr: {{kind: choice, vlue: [1]}}\n", (5, 23, 5, 27), "value"),
    (f"{HUB}schedule:\n  kind: cron\n  cron: '* * * * *'\n  maxRun: 2\n", (5, 2, 5, 8), "maxRuns"),
    ("kind: component\nrun:\n  kind: tfjob\n  cheif: {}\n", (3, 2, 3, 7), "chief"),
    (f"{HUB}termination:\n  maxRetry: 2\n", (3, 2, 3, 10), "maxRetries"),
]


@pytest.mark.parametrize(("text", "where", "suggestion"), DID_YOU_MEAN)
async def test_did_you_mean_in_every_section(
    client: LanguageClient, text: str, where: tuple[int, int, int, int], suggestion: str
) -> None:
    diagnostics, actions = await actions_for(client, text, at=rng(*where))
    assert [(d.code, d.range) for d in diagnostics if d.code == "unknown-key"] == [("unknown-key", rng(*where))]
    [action] = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix]
    assert action.title == f"Replace with `{suggestion}`" and action.is_preferred
    assert validate_text(edited(action, text)) == []


async def test_quote_in_other_sections(client: LanguageClient) -> None:
    text = f"{HUB}queue: 0755\ntags: [a, yes]\n"
    diagnostics, actions = await actions_for(client, text, at=rng(2, 7, 2, 11))
    assert [(d.code, d.range) for d in diagnostics if d.code != "remote-ref"] == [
        ("type", rng(2, 7, 2, 11)),
        ("type", rng(3, 10, 3, 13)),
    ]
    [action] = actions
    assert action.title == 'Quote as "0755"'
    assert edited(action, text) == f'{HUB}queue: "0755"\ntags: [a, yes]\n'
    assert [(d.code, d.range.start.line) for d in validate_text(edited(action, text))] == [("type", 3)]  # the other
    _, actions = await actions_for(client, text, at=rng(3, 10, 3, 13))
    [action] = actions
    assert action.title == 'Quote as "yes"'
    assert edited(action, text) == f'{HUB}queue: 0755\ntags: [a, "yes"]\n'


#: (text, the alias key's range, alias, canonical)
ALIASES = [
    (f"{JOB}inputs:\n  - name: a\n    type: int\n    is_optional: true\n", (5, 4, 5, 15), "is_optional", "isOptional"),
    (f"{HUB}params:\n  lr: {{value: 1, context_only: true}}\n", (3, 17, 3, 29), "context_only", "contextOnly"),
    (
        f"{HUB}matrix:\n  kind: random\n  num_runs: 2\n  params: {{lr: {{kind: choice, value: [1]}}}}\n",
        (4, 2, 4, 10), "num_runs", "numRuns",
    ),
    (f"{HUB}schedule: {{kind: interval, frequency: 60, max_runs: 2}}\n", (2, 42, 2, 50), "max_runs", "maxRuns"),
    (
        "kind: component\nrun:\n  kind: tfjob\n  clean_pod_policy: All\n",
        (3, 2, 3, 18), "clean_pod_policy", "cleanPodPolicy",
    ),
    (
        "kind: component\nrun:\n  kind: dag\n  operations:\n    - name: a\n      hub_ref: b\n",
        (5, 6, 5, 13), "hub_ref", "hubRef",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "where", "alias", "canonical"), ALIASES)
async def test_rename_alias_in_every_section(
    client: LanguageClient, text: str, where: tuple[int, int, int, int], alias: str, canonical: str
) -> None:
    _, actions = await actions_for(client, text, at=rng(where[0], where[1] + 1, where[0], where[1] + 1))
    [action] = actions
    assert action.title == f"Rename `{alias}` to `{canonical}`"
    assert action.kind == lsp.CodeActionKind.RefactorRewrite
    after = edited(action, text)
    assert after == text[: text.index(alias)] + canonical + text[text.index(alias) + len(alias) :]
    assert validate_text(after) == []

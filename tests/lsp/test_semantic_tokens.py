"""Semantic tokens (full) for `{{ }}` / `{% %}` templates: delimiters, names, attributes, filters."""

from __future__ import annotations

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from plxinit.lsp.semantic_legend import TOKEN_TYPES

from .helpers import POLYAXONFILE_URI, open_doc

TEXT = """\
kind: component
inputs:
  - {name: lr, type: float}
run:
  kind: job
  container:
    image: "python:{{ globals.uuid }}"
    command: ['{{ params.lr.value | default(1) }}', "a\\t{{ lr }}"]
    args:
      - |
        {% for x in [1, 2] %}{{ x ~ 'y' }}{% endfor %} {# note #}
"""


def decoded(text: str, data: list[int]) -> list[tuple[int, str, str]]:
    """(line, the text a token covers, its type) for each token (the text is ASCII)."""
    lines = text.split("\n")
    found, line, start = [], 0, 0
    for index in range(0, len(data), 5):
        delta_line, delta_start, length, kind, modifiers = data[index : index + 5]
        assert modifiers == 0
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        found.append((line, lines[line][start : start + length], TOKEN_TYPES[kind]))
    return found


async def tokens(client: LanguageClient, text: str) -> list[int]:
    open_doc(client, POLYAXONFILE_URI, text)
    result = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI))
    )
    assert isinstance(result, lsp.SemanticTokens)
    return list(result.data)


async def test_template_tokens(client: LanguageClient) -> None:
    assert decoded(TEXT, await tokens(client, TEXT)) == [
        (6, "{{", "macro"),
        (6, "globals", "namespace"),
        (6, ".", "operator"),
        (6, "uuid", "property"),
        (6, "}}", "macro"),
        (7, "{{", "macro"),
        (7, "params", "namespace"),
        (7, ".", "operator"),
        (7, "lr", "property"),
        (7, ".", "operator"),
        (7, "value", "property"),
        (7, "|", "operator"),
        (7, "default", "function"),
        (7, "(", "operator"),
        (7, "1", "number"),
        (7, ")", "operator"),
        (7, "}}", "macro"),
        (7, "{{", "macro"),  # after the escape `\\t`, two characters in the source for one
        (7, "lr", "variable"),
        (7, "}}", "macro"),
        (10, "{%", "macro"),
        (10, "for", "keyword"),
        (10, "x", "variable"),
        (10, "in", "keyword"),
        (10, "[", "operator"),
        (10, "1", "number"),
        (10, ",", "operator"),
        (10, "2", "number"),
        (10, "]", "operator"),
        (10, "%}", "macro"),
        (10, "{{", "macro"),
        (10, "x", "variable"),
        (10, "~", "operator"),
        (10, "'y'", "string"),
        (10, "}}", "macro"),
        (10, "{%", "macro"),
        (10, "endfor", "keyword"),
        (10, "%}", "macro"),
        (10, "{# note #}", "comment"),
    ]


async def test_legend_and_no_tokens_without_templates(client: LanguageClient) -> None:
    assert await tokens(client, "kind: component\nrun: {kind: job, container: {image: python}}\n") == []
    assert TOKEN_TYPES[:4] == ["macro", "variable", "property", "function"]


async def test_unreadable_file_has_no_tokens(client: LanguageClient) -> None:
    assert await tokens(client, 'kind: component\nrun: ["{{ x }}"\n') == []


async def test_declared_in_the_initialize_answer(client: LanguageClient) -> None:
    capabilities = client.init_result.capabilities  # type: ignore[attr-defined]
    provider = capabilities.semantic_tokens_provider
    assert provider is not None and provider.full is True
    assert list(provider.legend.token_types) == TOKEN_TYPES and list(provider.legend.token_modifiers) == []
    assert capabilities.definition_provider is True and capabilities.references_provider is True
    assert capabilities.rename_provider is True  # the client states no `rename.prepareSupport`
    assert capabilities.completion_provider is not None
    assert {".", "|", "{"} <= set(capabilities.completion_provider.trigger_characters or [])


async def test_utf16_units_after_an_astral_character(client: LanguageClient) -> None:
    text = 'kind: component\nrun: {kind: job, container: {image: "😀{{ x }}"}}\n'
    units = text.split("\n")[1].index("{{") + 1  # 😀 is two UTF-16 units
    assert await tokens(client, text) == [1, units, 2, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2, 0, 0]

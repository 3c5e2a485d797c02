"""Hover: keys, handler fields, container fields, run kinds, replicas, enum values, templates."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import POLYAXONFILE_URI, as_tuple, open_doc

TEXT = """\
kind: component
run:
  kind: tfjob
  worker:
    init:
      - git:
          url: https://github.com/org/repo
      - file:
          content: echo
          kind: csv
          chmod: "{{ params.mode }}"
        container:
          imagePullPolicy: Always
  chief:
    replicas: 1
    container: {image: "😀"
"""


async def hover_at(client: LanguageClient, line: int, character: int) -> lsp.Hover | None:
    open_doc(client, POLYAXONFILE_URI, TEXT)
    return await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(line, character))
    )


@pytest.mark.parametrize(
    ("line", "character", "heading", "phrases"),
    [
        (5, 9, "**git**", ["clone a Git repository", "```yaml\ngit:\n  url: https://github.com/org/repo"]),
        (6, 11, "**url**", ["URL of the repository", "url: https://github.com/polyaxon/polyaxon-quick-start"]),
        (9, 11, "**kind**", ["Artifact kind", "Default: `file`"]),
        (12, 12, "**imagePullPolicy**", ["Image pull policy"]),
        (2, 3, "**kind**", ["The runtime of this run."]),
        (3, 3, "**worker**", ["Worker replicas."]),
        (13, 3, "**chief**", ["The chief replica"]),
        (4, 5, "**init**", ["Init containers that run"]),  # worded by the schema's overlay, which changes
        (0, 1, "**kind**", ["component"]),
    ],
)
async def test_key_hover(client: LanguageClient, line: int, character: int, heading: str, phrases: list[str]) -> None:
    result = await hover_at(client, line, character)
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    assert result.contents.kind == lsp.MarkupKind.Markdown
    value = result.contents.value
    assert value.startswith(heading)
    for phrase in phrases:
        assert phrase in value


async def test_hover_range(client: LanguageClient) -> None:
    result = await hover_at(client, 5, 10)
    assert result is not None and result.range is not None
    assert as_tuple(result.range) == (5, 8, 5, 11)


async def test_enum_value_hover(client: LanguageClient) -> None:
    result = await hover_at(client, 2, 9)
    assert result is not None
    assert result.contents.value.startswith("**tfjob**")
    assert "Distributed TensorFlow" in result.contents.value
    file_kind = await hover_at(client, 9, 17)
    assert file_kind is not None and file_kind.contents.value.startswith("**csv**")


async def test_template_hover(client: LanguageClient) -> None:
    result = await hover_at(client, 10, 20)
    assert result is not None
    assert "{{ params.mode }}" in result.contents.value
    assert "resolved by Polyaxon at run time" in result.contents.value


async def test_no_hover_on_plain_values_and_out_of_range(client: LanguageClient) -> None:
    assert await hover_at(client, 6, 30) is None
    assert await hover_at(client, 500, 3) is None
    assert await hover_at(client, 5, 500) is None

"""Shared helpers for the LSP session tests: the server command, a diagnostics recorder."""

from __future__ import annotations

import asyncio
import re
import sys
from collections import defaultdict
from typing import Any

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

SERVER_COMMAND = [sys.executable, "-m", "plxinit"]
TIMEOUT = 20.0

POLYAXONFILE_URI = "file:///work/project/polyaxonfile.yaml"


class DiagnosticsRecorder:
    """Records every publishDiagnostics (with its version) and lets tests wait for one."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.received: dict[str, list[lsp.PublishDiagnosticsParams]] = defaultdict(list)
        self._changed = asyncio.Event()
        features = client.protocol.fm.features
        original = features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

        def record(params: lsp.PublishDiagnosticsParams) -> Any:
            self.received[params.uri].append(params)
            self._changed.set()
            return original(params)

        features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    async def wait(self, uri: str, version: int | None = None, timeout: float = TIMEOUT) -> list[lsp.Diagnostic]:
        """Diagnostics published for `uri` (at `version` when given)."""

        async def until() -> list[lsp.Diagnostic]:
            while True:
                for params in reversed(self.received.get(uri, [])):
                    if version is None or params.version == version:
                        return list(params.diagnostics)
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(until(), timeout)

    async def wait_cleared(self, uri: str, timeout: float = TIMEOUT) -> None:
        async def until() -> None:
            while True:
                published = self.received.get(uri, [])
                if published and not published[-1].diagnostics:
                    return
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    """didOpen; earlier diagnostics recorded for `uri` are forgotten (a reopen starts afresh)."""
    recorder = getattr(client, "recorder", None)
    if recorder is not None:
        recorder.received.pop(uri, None)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text))
    )


def change_doc(client: LanguageClient, uri: str, version: int, text: str, range_: lsp.Range | None = None) -> None:
    change: lsp.TextDocumentContentChangeEvent
    if range_ is None:
        change = lsp.TextDocumentContentChangeWholeDocument(text=text)
    else:
        change = lsp.TextDocumentContentChangePartial(range=range_, text=text)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
    )


def rng(l1: int, c1: int, l2: int, c2: int) -> lsp.Range:
    return lsp.Range(lsp.Position(l1, c1), lsp.Position(l2, c2))


def as_tuple(range_: lsp.Range) -> tuple[int, int, int, int]:
    return (range_.start.line, range_.start.character, range_.end.line, range_.end.character)


def capabilities(
    *, pull: bool = False, encodings: list[str] | None = None, snippets: bool = True
) -> lsp.ClientCapabilities:
    """Plain client capabilities: push diagnostics unless `pull`, UTF-16 unless `encodings`."""
    text_document = lsp.TextDocumentClientCapabilities(
        synchronization=lsp.TextDocumentSyncClientCapabilities(),
        completion=lsp.CompletionClientCapabilities(
            completion_item=lsp.ClientCompletionItemOptions(
                snippet_support=snippets, documentation_format=[lsp.MarkupKind.Markdown]
            )
        ),
        hover=lsp.HoverClientCapabilities(content_format=[lsp.MarkupKind.Markdown]),
        publish_diagnostics=lsp.PublishDiagnosticsClientCapabilities(version_support=True),
        diagnostic=lsp.DiagnosticClientCapabilities() if pull else None,
        code_action=lsp.CodeActionClientCapabilities(),
        document_symbol=lsp.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
    )
    general = lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    return lsp.ClientCapabilities(text_document=text_document, general=general)


async def completion_items(client: LanguageClient, text: str, line: int, character: int) -> list[lsp.CompletionItem]:
    """Open `text` as the polyaxonfile and ask for completion at (line, UTF-16 character)."""
    open_doc(client, POLYAXONFILE_URI, text)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(line, character))
    )
    assert isinstance(result, lsp.CompletionList)
    return list(result.items)


async def hover_on(client: LanguageClient, text: str, line: int, character: int) -> lsp.Hover | None:
    open_doc(client, POLYAXONFILE_URI, text)
    return await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(POLYAXONFILE_URI), lsp.Position(line, character))
    )


CURSOR = "‸"


def at_marker(text: str, marker: str = CURSOR) -> tuple[str, int, int]:
    """`text` without its one `marker`, and the (line, column) where it was (ASCII texts)."""
    index = text.index(marker)
    before = text[:index]
    return text[:index] + text[index + len(marker) :], before.count("\n"), index - (before.rfind("\n") + 1)


_PLACEHOLDER = re.compile(r"\$\{\d+:((?:[^\\}]|\\.)*)\}|\$\d+")


def expand_snippet(text: str) -> str:
    """A snippet as the client leaves it once accepted: each placeholder's default text."""
    expanded = _PLACEHOLDER.sub(lambda match: match.group(1) or "", text)
    return re.sub(r"\\([\\$}])", r"\1", expanded)


def apply_item(text: str, item: lsp.CompletionItem) -> str:
    """`text` after accepting `item` (its single-line text edit; ASCII texts)."""
    edit = item.text_edit
    assert isinstance(edit, lsp.TextEdit)
    assert edit.range.start.line == edit.range.end.line
    new_text = edit.new_text
    if item.insert_text_format == lsp.InsertTextFormat.Snippet:
        new_text = expand_snippet(new_text)
    lines = text.split("\n")
    line = lines[edit.range.start.line]
    lines[edit.range.start.line] = line[: edit.range.start.character] + new_text + line[edit.range.end.character :]
    return "\n".join(lines)

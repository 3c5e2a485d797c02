"""The server follows pathRefs of files on disk and checks names against the `catalog` setting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import TIMEOUT, as_tuple, open_doc

REFS = Path(__file__).resolve().parents[1] / "fixtures" / "refs"


async def _published(client: LanguageClient, uri: str, holding: str) -> list[lsp.Diagnostic]:
    """The first diagnostics published for `uri` with a diagnostic of code `holding`."""
    recorder = client.recorder  # type: ignore[attr-defined]

    async def until() -> list[lsp.Diagnostic]:
        while True:
            for params in recorder.received.get(uri, []):
                if any(d.code == holding for d in params.diagnostics):
                    return list(params.diagnostics)
            recorder._changed.clear()
            await recorder._changed.wait()

    return await asyncio.wait_for(until(), TIMEOUT)


async def test_a_missing_path_ref_of_a_file_on_disk(client: LanguageClient) -> None:
    path = REFS / "missing.yaml"
    open_doc(client, path.as_uri(), path.read_text(encoding="utf-8"))
    [diagnostic] = await client.recorder.wait(path.as_uri(), 1)  # type: ignore[attr-defined]
    assert (diagnostic.code, as_tuple(diagnostic.range)) == ("path-ref", (1, 9, 1, 18))
    assert diagnostic.message == f"pathRef `nope.yaml` names no file: `{REFS / 'nope.yaml'}` does not exist."


async def test_an_untitled_buffer_follows_no_path_ref(client: LanguageClient) -> None:
    uri = "untitled:Untitled-1"
    open_doc(client, uri, (REFS / "missing.yaml").read_text(encoding="utf-8"))
    assert await client.recorder.wait(uri, 1) == []  # type: ignore[attr-defined]


async def test_the_catalog_setting_checks_names(client: LanguageClient) -> None:
    path = REFS / "uses-catalog.yaml"
    open_doc(client, path.as_uri(), path.read_text(encoding="utf-8"))
    assert await client.recorder.wait(path.as_uri(), 1) == []  # type: ignore[attr-defined]
    settings = {"plx": {"catalog": str(REFS / "catalog.yaml")}}
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=settings))
    diagnostics = await _published(client, path.as_uri(), "catalog")
    assert [(d.code, d.severity, as_tuple(d.range)) for d in diagnostics][:2] == [
        ("catalog", lsp.DiagnosticSeverity.Warning, (2, 15, 2, 19)),
        ("catalog", lsp.DiagnosticSeverity.Warning, (3, 7, 3, 22)),
    ]
    assert diagnostics[0].message == "Preset `smal` is not in the catalog `{}`. Did you mean `small`?".format(
        REFS / "catalog.yaml"
    )
    assert len(diagnostics) == 5


async def test_an_unusable_catalog_is_shown_once(client: LanguageClient) -> None:
    missing = str(REFS / "no-such-catalog.yaml")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={"plx": {"catalog": missing}}))
    shown = await asyncio.wait_for(client.wait_for_notification(lsp.WINDOW_SHOW_MESSAGE), TIMEOUT)
    assert shown.type == lsp.MessageType.Warning
    assert shown.message == f"plx-lsp: catalog {missing}: no such file"

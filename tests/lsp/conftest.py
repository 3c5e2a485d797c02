"""pytest-lsp fixtures: sessions against the real entry point (`python -m plxinit`)."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from .helpers import SERVER_COMMAND, DiagnosticsRecorder, capabilities


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    """A push-diagnostics, UTF-16 client."""
    lsp_client.recorder = DiagnosticsRecorder(lsp_client)  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities()))
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def pull_client(lsp_client: LanguageClient):
    """A client with `textDocument.diagnostic`: the server must not push."""
    lsp_client.recorder = DiagnosticsRecorder(lsp_client)  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities(pull=True)))
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND),
    params=[["utf-8", "utf-16"], ["utf-32"], ["utf-7", "utf-8"]],
    ids=["utf-8", "utf-32", "unknown-then-utf-8"],
)
async def encoding_client(lsp_client: LanguageClient, request):
    """Clients offering other position encodings."""
    lsp_client.recorder = DiagnosticsRecorder(lsp_client)  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities(encodings=request.param),
            initialization_options={"files": ["**/*.yaml"]},
        )
    )
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def plain_client(lsp_client: LanguageClient):
    """A client without snippet support."""
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities(snippets=False)))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def related_client(lsp_client: LanguageClient):
    """A push client that declares `publishDiagnostics.relatedInformation`."""
    lsp_client.recorder = DiagnosticsRecorder(lsp_client)  # type: ignore[attr-defined]
    caps = capabilities()
    assert caps.text_document is not None and caps.text_document.publish_diagnostics is not None
    caps.text_document.publish_diagnostics.related_information = True
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()

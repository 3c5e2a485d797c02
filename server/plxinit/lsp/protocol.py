"""The JSON-RPC/LSP protocol, hardened: our own document sync and clean error replies.

- didOpen/didChange/didClose go to the server's `DocumentStore` only (pygls' workspace is
  not used for documents), so stale versions and unknown URIs are handled in one place.
- A request whose params do not deserialize gets an InvalidParams error reply (pygls
  would only log it); a body that is not JSON gets a ParseError reply with a null id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger(__name__)


class AlreadyAnswered(Exception):
    """Raised after an error reply was sent for an unreadable message."""


class PlxProtocol(LanguageServerProtocol):
    """LanguageServerProtocol with robust sync and JSON-RPC error replies."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            return data
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" in data and "method" in data:
                self._send_response(data["id"], None, error.to_response_error())
                raise AlreadyAnswered(str(error)) from error
            raise

    def send_parse_error(self, error: Exception) -> None:
        """Reply to a body that is not JSON (JSON-RPC: ParseError, id null)."""
        reply = JsonRpcParseError(message=f"Parse error: {error}").to_response_error()
        self._send_data(
            {"jsonrpc": "2.0", "id": None, "error": json.loads(json.dumps(self._converter.unstructure(reply)))}
        )

    def send_invalid_request(self, error: Exception) -> None:
        reply = JsonRpcInvalidRequest(message=f"Invalid request: {error}").to_response_error()
        self._send_data({"jsonrpc": "2.0", "id": None, "error": self._converter.unstructure(reply)})

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

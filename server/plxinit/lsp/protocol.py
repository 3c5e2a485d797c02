"""The LSP protocol object of pygls, with our own document sync and one-line errors.

- didOpen/didChange/didClose go to the server's `DocumentStore` only (pygls' workspace is
  not used for documents), so stale versions and unknown URIs are handled in one place.
- `structure_message` turns a decoded message into lsprotocol's types; a message whose
  params do not fit its method raises `InvalidMessage` with a one-line reason (pygls would
  log a traceback). Framing, envelopes and the lifecycle are checked before, in
  `transport.py`, which also answers the errors.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types as lsp
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage
from pygls.protocol.language_server import lsp_method

log = logging.getLogger(__name__)


class InvalidMessage(Exception):
    """A message whose params (or result) do not have the shape its method requires."""


class PlxProtocol(LanguageServerProtocol):
    """LanguageServerProtocol with robust sync and one-line structuring errors."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls' structuring of one message (its envelope already checked), errors in one line."""
        if "jsonrpc" not in data:
            return data
        try:
            if "method" in data:
                default = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
                return self._converter.structure(data, self.get_message_type(data["method"]) or default)
            if "error" in data:
                return self._converter.structure(data, lsp.ResponseErrorMessage)
            response_type = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
            return self._converter.structure(data, response_type)
        except ClassValidationError as error:
            reasons = transform_error(error)
            more = f" (and {len(reasons) - 2} more)" if len(reasons) > 2 else ""
            raise InvalidMessage("; ".join(reasons[:2]) + more) from None
        except Exception as error:  # cattrs raises plain TypeError/ValueError for some shapes
            raise InvalidMessage(f"{type(error).__name__}: {error}") from None

    def send_message(self, data: dict[str, Any]) -> None:
        """Send an already plain JSON-RPC message (error replies of the transport)."""
        self._send_data(data)

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

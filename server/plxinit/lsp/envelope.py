"""JSON-RPC 2.0 envelopes and the LSP lifecycle, checked before a message reaches pygls.

`problem(message)` says why a decoded body is not a JSON-RPC 2.0 message (None when it is).
`Lifecycle` answers what LSP's lifecycle forbids: requests before `initialize`
(ServerNotInitialized), a second `initialize` and requests after `shutdown`
(InvalidRequest). Stdlib only.
"""

from __future__ import annotations

from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002

MsgId = int | str


def error_reply(msg_id: MsgId | None, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}


def valid_id(value: Any) -> bool:
    """LSP ids are integers or strings (JSON-RPC allows null, but only in error replies)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def reply_id(message: Any) -> MsgId | None:
    """The id to answer an invalid message with: its own when usable, else null."""
    if isinstance(message, dict) and valid_id(message.get("id")):
        return message["id"]
    return None


def problem(message: Any) -> str | None:
    """Why `message` is not a JSON-RPC 2.0 request, notification or response (None if it is)."""
    if isinstance(message, list):
        return "batches (a JSON array) are not supported"
    if not isinstance(message, dict):
        return f"the message must be a JSON object, not {_json_type(message)}"
    if message.get("jsonrpc") != "2.0":
        if "jsonrpc" not in message:
            return '"jsonrpc": "2.0" is missing'
        return f'"jsonrpc" must be "2.0", not {_short(message["jsonrpc"])}'
    if "id" in message and not valid_id(message["id"]) and not (message["id"] is None and "error" in message):
        return f'"id" must be an integer or a string, not {_json_type(message["id"])}'
    if "method" in message:
        if not isinstance(message["method"], str):
            return f'"method" must be a string, not {_json_type(message["method"])}'
        # null params are not JSON-RPC, but common (for shutdown and exit): taken as no params
        if message.get("params") is not None and not isinstance(message["params"], dict | list):
            return f'"params" must be an object or an array, not {_json_type(message["params"])}'
        return None
    if "id" in message and ("result" in message or "error" in message):
        return None  # a response to one of our requests
    return 'neither a request, a notification nor a response (no "method")'


class Lifecycle:
    """Where the session is: before `initialize`, running, or after `shutdown`."""

    def __init__(self) -> None:
        self.initialized = False
        self.shut_down = False

    def refuse(self, message: dict[str, Any]) -> tuple[int, str] | None:
        """(code, reason) when LSP forbids this message now; requests get it as an error reply,
        notifications are dropped. Takes a `shutdown` in when it is allowed."""
        method = message.get("method")
        if method is None or method == "exit":
            return None  # responses, and exit (always allowed: it ends the process)
        if self.shut_down:
            return INVALID_REQUEST, f"{method} after shutdown: only exit is allowed"
        if method == "initialize":
            if self.initialized:
                return INVALID_REQUEST, "initialize was already received"
            return None  # initialized once its params are read (`transport.Connection`)
        if not self.initialized:
            return SERVER_NOT_INITIALIZED, f"{method} before initialize"
        if method == "shutdown":
            self.shut_down = True
        return None

    @property
    def exit_code(self) -> int:
        """LSP: 0 after a shutdown request, 1 otherwise."""
        return 0 if self.shut_down else 1


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

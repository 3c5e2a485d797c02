"""The legend of our semantic tokens, light to import: `initialize` (bootstrap.py, server.py) declares it."""

from __future__ import annotations

TOKEN_TYPES = [
    "macro",  # the delimiters {{ }} {% %}
    "variable",
    "property",  # an attribute: params.lr.value
    "function",  # a filter or test
    "keyword",  # a statement (for, if, set) or an expression keyword (and, not, in)
    "string",
    "number",
    "operator",
    "namespace",  # params, globals, ops, dag, connections, init
    "comment",
    "parameter",  # a keyword argument: default(value=1)
]
TOKEN_MODIFIERS: list[str] = []

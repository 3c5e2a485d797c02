"""Semantic tokens (full) for `{{ }}` / `{% %}` templates, so editors can colour them.

Every string scalar holding a template is lexed (template_lex.py); each token is placed in
the source (quotes, escapes and block scalars counted, as diagnostics are), and tokens that
cannot be placed exactly, or span lines, are left out rather than misplaced.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..template_lex import Token, lex
from .documents import Document
from .names import linear_origin, place, template_strings
from .semantic_legend import TOKEN_TYPES

NAMESPACES = frozenset({"params", "globals", "ops", "dag", "connections", "init"})
_BY_KIND = {
    "open": "macro",
    "close": "macro",
    "string": "string",
    "number": "number",
    "op": "operator",
    "comment": "comment",
}
_BY_ROLE = {
    "variable": "variable",
    "local": "variable",
    "attribute": "property",
    "filter": "function",
    "test": "function",
    "tag": "keyword",
    "keyword": "keyword",
    "argument": "parameter",
}


def token_type(token: Token) -> str:
    if token.kind == "name":
        if token.role == "variable" and token.text in NAMESPACES:
            return "namespace"
        return _BY_ROLE.get(token.role, "variable")
    return _BY_KIND.get(token.kind, "operator")


def semantic_tokens(document: Document, encoding: str) -> lsp.SemanticTokens:
    root = document.parsed.root
    placed: list[tuple[int, int, int, int]] = []  # line, start unit, length, type index
    ascii_lines: dict[int, bool] = {}
    if root is not None:
        for _, node in template_strings(root):
            origin = linear_origin(node)
            for token in lex(node.value).tokens:
                if origin is not None:
                    line, start_column, end_column = origin[0], origin[1] + token.start, origin[1] + token.end
                else:
                    where = place(node, token.start, token.end)
                    if where is None or where.start.line != where.end.line:
                        continue
                    line, start_column, end_column = where.start.line, where.start.column, where.end.column
                if line not in ascii_lines:
                    ascii_lines[line] = document.line(line).isascii()
                if ascii_lines[line]:  # one unit per character in every encoding
                    start, length = start_column, end_column - start_column
                else:
                    start = document.units(line, start_column, encoding)
                    length = document.units(line, end_column, encoding) - start
                if length > 0:
                    placed.append((line, start, length, TOKEN_TYPES.index(token_type(token))))
    placed.sort()
    data: list[int] = []
    previous_line = previous_start = 0
    for line, start, length, kind in placed:
        delta_line = line - previous_line
        data += [delta_line, start - previous_start if delta_line == 0 else start, length, kind, 0]
        previous_line, previous_start = line, start
    return lsp.SemanticTokens(data=data)

"""The tokens of the `{{ }}` / `{% %}` blocks of one string, with their offsets and roles.

Jinja's own lexer gives line numbers only; templates.py needs character offsets to put a
diagnostic on a name, and the editor for each name, attribute, filter and delimiter
(navigation, completion, semantic tokens). The grammar read
here is the part of Jinja's that places names: blocks, strings, numbers, names, operators,
`{# #}` comments and `{% raw %}` sections (left as text). Nothing here raises on bad input:
an unterminated block runs to the end of the text, as Jinja reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BLOCK_START = re.compile(r"\{([{%#])[-+]?")
_RAW_START = re.compile(r"\{%[-+]?\s*raw\s*[-+]?%\}")
_RAW_END = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}")
_NAME = re.compile(r"[^\W\d]\w*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_NUMBER = re.compile(r"\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+\-]?\d+)?")
_SPACE = re.compile(r"\s+")

#: Jinja's keywords inside expressions (`if` / `else` of a conditional expression included).
KEYWORDS = frozenset(
    {"and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None", "recursive"}
)


@dataclass(frozen=True)
class Token:
    """One token: `kind` is open, close, comment, name, string, number or op; `role` for names."""

    kind: str
    start: int
    end: int
    text: str
    #: for a name: "variable" (a looked-up name), "local" (bound by `for`/`set`), "attribute",
    #: "filter", "test", "tag" (the statement of a `{% %}`), "keyword" or "argument" (`x=`)
    role: str = ""


@dataclass(frozen=True)
class Chain:
    """A looked-up name and the attributes read from it: `params.lr.value` or `params['lr']`."""

    parts: tuple[Token, ...]  # the head name, then each attribute (name or string token)

    def names(self) -> list[str]:
        return [_attribute_text(part) for part in self.parts]


def _attribute_text(token: Token) -> str:
    if token.kind == "string":
        return token.text[1:-1]
    return token.text


@dataclass
class Lexed:
    tokens: list[Token] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    #: (start, end) of each block, its closing delimiter included when written
    blocks: list[tuple[int, int]] = field(default_factory=list)


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def lex(text: str, roles: bool = True) -> Lexed:
    """The tokens and name chains of every block of `text`; with `roles` false, the tokens alone
    (no role, no chain: what templates.py needs to place a name Jinja found)."""
    found = Lexed()
    pos = 0
    while True:
        match = _BLOCK_START.search(text, pos)
        if match is None:
            break
        kind = match.group(1)
        raw = _RAW_START.match(text, match.start())
        if raw is not None:
            end = _RAW_END.search(text, raw.end())
            pos = len(text) if end is None else end.end()
            continue
        if kind == "#":
            end_at = text.find("#}", match.end())
            pos = len(text) if end_at < 0 else end_at + 2
            found.tokens.append(Token("comment", match.start(), pos, text[match.start() : pos]))
            continue
        pos = _block(text, match.start(), match.end(), "}}" if kind == "{" else "%}", found)
    if roles:
        _roles_and_chains(found)
    return found


def _block(text: str, begin: int, pos: int, closer: str, found: Lexed) -> int:
    found.tokens.append(Token("open", begin, pos, text[begin:pos]))
    depth = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space is not None:
            pos = space.end()
            continue
        if depth == 0:
            for ending in (closer, "-" + closer, "+" + closer):
                if text.startswith(ending, pos):
                    found.tokens.append(Token("close", pos, pos + len(ending), ending))
                    found.blocks.append((begin, pos + len(ending)))
                    return pos + len(ending)
        for kind, pattern in (("string", _STRING), ("number", _NUMBER), ("name", _NAME)):
            match = pattern.match(text, pos)
            if match is not None:
                found.tokens.append(Token(kind, match.start(), match.end(), match.group(0)))
                pos = match.end()
                break
        else:
            char = text[pos]
            depth += 1 if char in "([{" else -1 if char in ")]}" and depth else 0
            found.tokens.append(Token("op", pos, pos + 1, char))
            pos += 1
    found.blocks.append((begin, len(text)))
    return len(text)


def _roles_and_chains(found: Lexed) -> None:
    tokens = found.tokens
    roles: list[str] = [""] * len(tokens)
    block_open = ""
    binding = False  # inside the targets of `{% for ... in` / `{% set ... =`
    for i, token in enumerate(tokens):
        if token.kind == "open":
            block_open = token.text[:2]
            binding = False
            continue
        if token.kind != "name":
            if token.kind == "op" and token.text == "=" and binding:
                binding = False
            continue
        previous = tokens[i - 1] if i else None
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if previous is not None and previous.kind == "open" and block_open == "{%":
            role = "tag"
            binding = token.text in ("for", "set")
        elif binding and token.text == "in":
            role, binding = "keyword", False
        elif binding:
            role = "local"
        elif previous is not None and previous.text == ".":
            role = "attribute"
        elif previous is not None and previous.text == "|":
            role = "filter"
        elif previous is not None and (
            previous.text == "is" or (previous.text == "not" and tokens[i - 2].text == "is")
        ):
            role = "test"
        elif token.text in KEYWORDS:
            role = "keyword"
        elif following is not None and following.text == "=" and (after is None or after.text != "="):
            role = "argument"
        else:
            role = "variable"
        roles[i] = role
    locals_ = {token.text for token, role in zip(tokens, roles, strict=True) if role == "local"}
    for i, token in enumerate(tokens):
        if roles[i]:
            role = "local" if roles[i] == "variable" and token.text in locals_ else roles[i]
            tokens[i] = Token(token.kind, token.start, token.end, token.text, role)
    for i, token in enumerate(tokens):
        if token.role != "variable":
            continue
        parts = [token]
        j = i
        while True:
            if j + 2 < len(tokens) and tokens[j + 1].text == "." and tokens[j + 2].kind == "name":
                parts.append(tokens[j + 2])
                j += 2
            elif (
                j + 3 < len(tokens)
                and tokens[j + 1].text == "["
                and tokens[j + 2].kind == "string"
                and tokens[j + 3].text == "]"
            ):
                parts.append(tokens[j + 2])
                j += 3
            else:
                break
        found.chains.append(Chain(tuple(parts)))

"""Wording of diagnostics: names of value types, what a schema expects, values written as YAML
writes them (never Python's `None` or `'x'`, and clipped), and hints about YAML 1.1 readings."""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.resolver import Resolver

from . import schema as schemas
from .locate import PathPart
from .yamldoc import Node, ScalarNode

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
    "array": "a list",
    "object": "a mapping",
}


def value_kind(value: Any) -> str:
    """'an integer', 'a mapping', ...: how to name the type of a loaded YAML value."""
    if isinstance(value, datetime.datetime):
        return "a timestamp"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, tuple):
        return "a list of pairs"
    if isinstance(value, float):
        return "a floating-point number"
    return _TYPE_NAMES[schemas.json_type(value)]


def join_choices(choices: Sequence[str], word: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    unique = list(dict.fromkeys(choices))
    if len(unique) <= 1:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} {word} {unique[-1]}"


def expected(schema: Any, depth: int = 0) -> list[str]:
    """Phrases for what a schema accepts: ['a mapping', 'a `{{ ... }}` template']."""
    resolved = schemas.deref(schema)
    if not isinstance(resolved, dict) or depth > 8:
        return []
    if resolved.get("x-plx-expected"):
        return [resolved["x-plx-expected"]]
    if resolved.get("x-plx-template"):
        return ["a `{{ ... }}` template"]
    for keyword in ("anyOf", "oneOf"):
        if keyword in resolved:
            phrases: list[str] = []
            for branch in resolved[keyword]:
                phrases.extend(expected(branch, depth + 1))
            return phrases
    if "enum" in resolved:
        values = [v for v in resolved["enum"] if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return [f"one of {', '.join(values)}"]
        return [join_choices([str(v) for v in values])]
    declared = resolved.get("type")
    if declared is None:
        return []
    types = [declared] if isinstance(declared, str) else list(declared)
    phrases = []
    for name in types:
        if name == "null":
            continue
        if name == "array" and isinstance(resolved.get("items"), dict):
            items = expected(resolved["items"], depth + 1)
            phrases.append(f"a list of {_plural(items)}" if items else "a list")
        else:
            phrases.append(_TYPE_NAMES[name])
    return phrases


def _plural(phrases: list[str]) -> str:
    words = []
    for phrase in phrases:
        for article in ("a ", "an "):
            if phrase.startswith(article):
                phrase = phrase[len(article) :]
                phrase = phrase + "s" if not phrase.startswith("list") else phrase.replace("list", "lists", 1)
                break
        words.append(phrase)
    return join_choices(words)


# ---------------------------------------------------------------------- names of places

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def is_index(part: Any) -> bool:
    """A list index in an instance path (a bool is a mapping key: YAML reads `true:` as one)."""
    return isinstance(part, int) and not isinstance(part, bool)


def path_text(path: Sequence[PathPart]) -> str:
    """A path the way Polyaxon's errors and users write it: `run.init[0].git.flags[1]`."""
    pieces: list[str] = []
    for part in path:
        if is_index(part):
            pieces.append(f"[{part}]")
        elif isinstance(part, str) and _IDENTIFIER.fullmatch(part):
            pieces.append(f".{part}" if pieces else part)
        elif isinstance(part, str):
            pieces.append(f"[{json.dumps(clip(part), ensure_ascii=False)}]")
        else:  # a key YAML read as a number, a boolean, a date...
            pieces.append(f"[{yaml_text(part)}]")
    return "".join(pieces)


def label(path: Sequence[PathPart], capital: bool = True) -> str:
    """How to name the value at `path` in a message.

    A key by its name (`connection`); a list item both ways, counted from 1 as people do
    and as a path counted from 0 as Polyaxon does: "Init entry 1 (`run.init[0]`)",
    "Item 2 of `flags` (`run.init[0].git.flags[1]`)".
    """
    if not path:
        return "The document" if capital else "the document"
    last = path[-1]
    if not is_index(last):
        return f"`{clip(last) if isinstance(last, str) else yaml_text(last)}`"
    number = int(last) + 1
    owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
    if owner == "init":
        name = f"Init entry {number}"
    elif owner:
        name = f"Item {number} of `{clip(owner)}`"
    else:
        name = f"Item {number}"
    if not capital:
        name = name[0].lower() + name[1:]
    return f"{name} (`{path_text(path)}`)"


def is_init_entry(path: Sequence[PathPart]) -> bool:
    """Whether `path` leads to an item of an `init` list."""
    return len(path) >= 2 and is_index(path[-1]) and path[-2] == "init"


# ---------------------------------------------------------------------- values as YAML writes them

#: Longest value a message quotes; longer ones are cut with an ellipsis, so that a huge
#: string (or one repeated through aliases) gives a short message, not megabytes.
CLIP = 80

#: Ints longer than this many bits are shown in hex: Python refuses str() of an int of more
#: than 4,300 digits, and a number that long is no use to read in full anyway.
_DECIMAL_BITS = 4096

_RESOLVER = Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NEEDS_QUOTES = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|[\x00-\x1f\x7f]|: | #|[,\[\]{}]|\s$")


def clip(text: str, limit: int = CLIP) -> str:
    """`text`, cut to at most `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def key_text(key_node: Node, key: Any) -> str:
    """A key as the user wrote it (`0x1F`, `"a b"`), or as YAML reads it when it spans lines
    (`? |` block keys): a message stays on one line."""
    if isinstance(key_node, ScalarNode) and "\n" not in key_node.source and "\r" not in key_node.source:
        return clip(key_node.source)
    return yaml_text(key)


#: Quoted parts of a message, pairs in order (the text between two pairs is never taken).
_QUOTED = re.compile(r'`[^`]*`|"[^"]*"')
#: Characters a message never shows raw: line breaks and controls (which would break the
#: `file:line:col:` lines or drive the terminal), and bidirectional overrides (which reorder
#: what a reader sees).
_UNSHOWABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_MESSAGE = 2000


def one_line(text: str) -> str:
    """`text` with its line breaks, controls and bidirectional overrides escaped (`\\n`, `\\u202e`)."""
    return _UNSHOWABLE.sub(lambda match: json.dumps(match.group())[1:-1], text)


def clip_message(message: str) -> str:
    """`message` on one line, its quoted values at most CLIP characters, its length bounded.

    For messages built from a user's text (a duplicate key, a YAML error); values the mapper
    quotes are clipped already (they stay as they are).
    """

    def clip_quoted(match: re.Match[str]) -> str:
        quoted = match.group()
        return quoted if len(quoted) <= CLIP + 2 else quoted[0] + clip(quoted[1:-1]) + quoted[-1]

    message = _QUOTED.sub(clip_quoted, one_line(message))
    return clip(message, MAX_MESSAGE)


def number_text(value: int | float) -> str:
    """A number as YAML writes it (`.inf`, `.nan`); huge integers in hex, clipped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() > _DECIMAL_BITS:
            return clip(("-" if value < 0 else "") + hex(abs(value)))
        return clip(int.__repr__(value))
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return float.__repr__(value)


def yaml_text(value: Any, limit: int = CLIP) -> str:
    """A loaded value written as YAML would write it, for a message: `null`, `true`, `[a, 1]`.

    Never Python's spelling (`None`, `True`, `'a'`), and at most `limit` characters: the
    rendering stops as soon as the budget is spent, so a value that expands to megabytes
    through aliases costs no more than a short one.
    """
    if isinstance(value, str) and not _CONTROL.search(value[: limit + 1]):
        return clip(value[: limit + 1], limit)
    pieces: list[str] = []
    length = 0
    for piece in _pieces(value, top=True):
        pieces.append(piece)
        length += len(piece)
        if length > limit:
            break
    return clip("".join(pieces), limit)


def _pieces(value: Any, top: bool = False) -> Iterator[str]:
    """The text of `value` in flow style, piece by piece (lazily, so it can be cut short)."""
    if value is None:
        yield "null"
    elif isinstance(value, (bool, int, float)):
        yield number_text(value)
    elif isinstance(value, str):
        yield _string_text(value, top)
    elif isinstance(value, datetime.date):
        yield value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    elif isinstance(value, bytes):
        yield "!!binary " + base64.b64encode(value[: CLIP * 3]).decode("ascii")
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            if index:
                yield ", "
            yield from _pieces(key)
            yield ": "
            yield from _pieces(item)
        yield "}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        opening, closing = ("{", "}") if isinstance(value, (set, frozenset)) else ("[", "]")
        yield opening
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _pieces(item)
        yield closing
    else:  # pragma: no cover - safe_load builds nothing else
        yield type(value).__name__


def _string_text(value: str, top: bool) -> str:
    """A string as is; double-quoted (JSON escapes) where YAML would not read it back as this string."""
    head = value[: CLIP + 1]
    if top and not _CONTROL.search(head):
        return head
    plain = (
        head == value
        and value != ""
        and not _NEEDS_QUOTES.search(value)
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
    )
    return head if plain else json.dumps(head, ensure_ascii=False)


# ---------------------------------------------------------------------- YAML 1.1 reading hints

_PROPERTIES = re.compile(r"^(?:[&!]\S*\s+)+")


def split_properties(source: str) -> tuple[str, str]:
    """(`&v !!bool`, `yes`): the anchor and tag written before a scalar, and the scalar itself."""
    match = _PROPERTIES.match(source)
    if match is None:
        return "", source
    return match.group(0).strip(), source[match.end() :]


def tag_of(properties: str) -> str | None:
    """The tag among a node's properties (`!!bool` of `&v !!bool`), if any."""
    return next((part for part in properties.split() if part.startswith("!")), None)


@dataclass(frozen=True)
class ReadingHint:
    """A sentence explaining how YAML read a plain scalar, and whether quoting it in place fixes it.

    `quote` is True only when quoting the diagnostic's exact range (what the quick fix does)
    keeps every anchor and tag and gives a value the schema accepts.
    """

    text: str = ""
    quote: bool = False


def yaml_reading_hint(
    node: Node | None,
    wanted_string: bool,
    accepts: Callable[[Any], bool],
    defined_on_line: int | None = None,
) -> ReadingHint:
    """Explain a YAML 1.1 surprise (`0755` read as 493, `yes` read as true) and advise a quote.

    `accepts(value)` says whether the schema takes `value` at this place: a quote is advised
    only when the string it gives is accepted. `defined_on_line` (1-based) is set when the
    diagnostic is reported at a use site (an alias or `<<`) and the scalar is written there.
    """
    if not isinstance(node, ScalarNode) or node.style is not None or isinstance(node.value, str):
        return ReadingHint()
    if not wanted_string or node.value is None:
        return ReadingHint()
    properties, written = split_properties(node.source)
    reading = _reading(node.value, written)
    shown = clip(written)
    tag = tag_of(properties)
    if tag is not None:
        # quoting keeps the tag, and the tag still decides the type: no quote can help
        read_as = reading or value_kind(node.value)
        return ReadingHint(f" The tag `{tag}` makes YAML read `{shown}` as {read_as}.")
    where = f" (line {defined_on_line})" if defined_on_line is not None else ""
    said = f" YAML reads `{shown}`{where} as {reading}" if reading else ""
    if not accepts(written):
        return ReadingHint(f"{said}." if said else "")
    quoted = json.dumps(shown, ensure_ascii=False)
    if properties or defined_on_line is not None:
        fixed = f"{properties} {quoted}" if properties else quoted
        there = " there" if defined_on_line is not None else ""
        if said:
            return ReadingHint(f"{said}; quote it{there}: `{fixed}`.")
        return ReadingHint(f" Quote it{there}{where}: `{fixed}`.")
    if said:
        return ReadingHint(f"{said}; quote it: {quoted}.", quote=True)
    return ReadingHint(f" Quote it: {quoted}.", quote=True)


def _reading(value: Any, written: str) -> str | None:
    """'the boolean true', 'the number 493': None when the value reads as written (`1`, `2024-01-31`)."""
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int) and value.bit_length() > _DECIMAL_BITS:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"a number of about {digits:,} digits"
    if isinstance(value, (int, float)):
        shown = number_text(value)
        return None if shown == written else f"the number {shown}"
    return None  # a date reads as written; the message already says "not a date"

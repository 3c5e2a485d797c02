"""PyYAML's syntax errors, told where a user can act on them.

PyYAML reports an unclosed quote or bracket where it gave up, usually the end of the file
(past its last line); the place to fix is where it opened, PyYAML's `context_mark`. Every
position here is clamped inside the text, and each message keeps PyYAML's own words so
that it can be looked up, with the values it quotes in Python's repr (`'\\t'`) written the way
the rest of the project writes them (`` `\\t` ``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml

from .diagnostics import Diagnostic, Position, Range, Related, Severity

_CLOSERS = {"[": "]", "{": "}"}
_TAB_PROBLEM = "found character '\\t' that cannot start any token"
#: A value PyYAML's scanner and parser put in a message with `%r`: a character (`'\\t'`, `"'"`), a
#: tag handle (`'!e!'`) or a token name (`'<stream end>'`).
_REPR = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _our_quotes(text: str) -> str:
    """PyYAML's words with its reprs in backticks (`\\t`, `!e!`); token names bare, as in
    PyYAML's own "expected <block end>": `'<stream end>'` becomes <stream end>."""

    def requote(match: re.Match[str]) -> str:
        inner = match.group()[1:-1]
        if inner.startswith("<") and inner.endswith(">"):
            return inner
        return f"`` {inner} ``" if "`" in inner else f"`{inner}`"

    return _REPR.sub(requote, text) if "'" in text or '"' in text else text


class _Text:
    """Line lengths of a text, to keep positions inside it."""

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # the empty "line" after a final newline is not in the text
        self.lengths = [len(line.rstrip("\r")) for line in lines]
        self.text = text

    def clamp(self, position: Position) -> Position:
        last = len(self.lengths) - 1
        if position.line > last:
            return Position(last, self.lengths[last])
        return Position(position.line, min(position.column, self.lengths[position.line]))

    def point(self, position: Position) -> Range:
        """One character at `position` (none past a line's end), inside the text."""
        start = self.clamp(position)
        width = 1 if start.column < self.lengths[start.line] else 0
        return Range(start, Position(start.line, start.column + width))

    def end(self) -> Range:
        end = self.clamp(Position(len(self.lengths), 0))
        return Range(end, end)

    def char_at(self, mark: Any) -> str:
        index = getattr(mark, "index", -1)
        return self.text[index] if 0 <= index < len(self.text) else ""


def inside_text(text: str, diagnostic: Diagnostic) -> Diagnostic:
    """`diagnostic` with its range moved inside the text, when it points past a line's end."""
    where = _Text(text)
    start, end = where.clamp(diagnostic.range.start), where.clamp(diagnostic.range.end)
    if (start, end) == diagnostic.range:
        return diagnostic
    return dataclasses.replace(diagnostic, range=Range(start, end))


def _pos(mark: Any) -> Position:
    return Position(mark.line, mark.column)


def _reader_position(text: str, index: int) -> Position:
    line = text.count("\n", 0, index)
    return Position(line, index - (text.rfind("\n", 0, index) + 1))


def syntax_diagnostic(error: yaml.YAMLError, text: str) -> Diagnostic:
    """A `yaml-syntax` diagnostic for a scanner, parser, composer or reader error."""
    where = _Text(text)
    if isinstance(error, yaml.reader.ReaderError):
        position = _reader_position(text, error.position)
        character = error.character
        if isinstance(character, int):  # str input: the code point PyYAML refuses
            message = f"YAML syntax error: the character U+{character:04X} is not allowed in YAML ({error.reason})"
        else:
            message = f"YAML syntax error: {error.reason} (character {character!r})"
        return Diagnostic(where.point(position), Severity.ERROR, "yaml-syntax", message)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context:
        special = _unclosed(where, context, problem, problem_mark, context_mark)
        if special is not None:
            return special
    if problem_mark is not None and problem == _TAB_PROBLEM:
        message = "YAML syntax error: Tabs are not allowed for indentation in YAML; indent with spaces"
        return Diagnostic(where.point(_pos(problem_mark)), Severity.ERROR, "yaml-syntax", message)
    if problem_mark is not None and problem == "mapping values are not allowed here":
        message = (
            "YAML syntax error: mapping values are not allowed here "
            "(is the line indented wrongly, or does a value with `: ` need quotes?)"
        )
        return Diagnostic(where.point(_pos(problem_mark)), Severity.ERROR, "yaml-syntax", message)
    mark = problem_mark or context_mark
    position = _pos(mark) if mark is not None else Position(0, 0)
    problem, context = _our_quotes(problem), context and _our_quotes(context)
    message = f"YAML syntax error: {problem}"
    related: tuple[Related, ...] = ()
    if context and context_mark is not None and context_mark is not mark:
        message += f" ({context} on line {context_mark.line + 1})"
        if (context_mark.line, context_mark.column) != (position.line, position.column):
            what = context.removeprefix("while parsing ").removeprefix("while scanning ")
            related = (Related(where.point(_pos(context_mark)), f"{what} starts here"),)
    elif context:
        message += f" ({context})"
    return Diagnostic(where.point(position), Severity.ERROR, "yaml-syntax", message, related=related)


def _opener_before(where: _Text, mark: Any) -> Any:
    """The `[` or `{` right before `mark` (white space between), as a mark; None when there is none.

    `key: [` at the end of a file is "expected the node content" while parsing a flow *node*,
    whose mark is where that node should start: the collection it belongs to opened just before.
    """
    index = getattr(mark, "index", -1)
    text = where.text
    while index > 0 and text[index - 1] in " \t\r\n":
        index -= 1
    if index <= 0 or text[index - 1] not in _CLOSERS:
        return None
    index -= 1
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return yaml.Mark("<document>", index, line, column, None, 0)


def _unclosed(where: _Text, context: str, problem: str, problem_mark: Any, context_mark: Any) -> Diagnostic | None:
    """An unclosed quote or flow collection, reported where it opens; None for other errors."""
    if context == "while parsing a flow node" and "'<stream end>'" in problem:
        opener_mark = _opener_before(where, context_mark)
        if opener_mark is not None:
            context, context_mark = "while parsing a flow collection", opener_mark
    opener = where.char_at(context_mark)
    opened = where.point(_pos(context_mark))
    line = context_mark.line + 1
    if "quoted scalar" in context and opener in "'\"" and opener:
        if problem == "found unexpected end of stream":
            return Diagnostic(
                opened,
                Severity.ERROR,
                "yaml-syntax",
                f"YAML syntax error: the string quoted with `{opener}` on line {line} is never closed",
                related=(Related(where.end(), f"the file ends here without the closing `{opener}`"),),
            )
        if problem == "found unexpected document separator" and problem_mark is not None:
            return Diagnostic(
                opened,
                Severity.ERROR,
                "yaml-syntax",
                f"YAML syntax error: the string quoted with `{opener}` on line {line} is not closed "
                "before the document separator",
                related=(
                    Related(
                        where.point(_pos(problem_mark)), f"this line ends the document before the closing `{opener}`"
                    ),
                ),
            )
        return None
    if context.startswith("while parsing a flow ") and opener in _CLOSERS:
        closer = _CLOSERS[opener]
        # PyYAML says '<stream end>'; libyaml only puts its mark at the end of the text
        at_end = problem_mark is None or where.clamp(_pos(problem_mark)) == where.end().start
        if "'<stream end>'" in problem or at_end:
            return Diagnostic(
                opened,
                Severity.ERROR,
                "yaml-syntax",
                f"YAML syntax error: the `{opener}` on line {line} is never closed",
                related=(Related(where.end(), f"the file ends here without the closing `{closer}`"),),
            )
        if problem_mark is not None and problem_mark.line != context_mark.line:
            # PyYAML read on past the line the collection opened on: most likely it was never closed
            return Diagnostic(
                opened,
                Severity.ERROR,
                "yaml-syntax",
                f"YAML syntax error: the `{opener}` on line {line} is not closed: "
                f"{_our_quotes(problem)} on line {where.clamp(_pos(problem_mark)).line + 1}",
                related=(
                    Related(where.point(_pos(problem_mark)), f"a `,` or the closing `{closer}` was expected here"),
                ),
            )
        if problem_mark is not None:
            return Diagnostic(
                where.point(_pos(problem_mark)),
                Severity.ERROR,
                "yaml-syntax",
                f"YAML syntax error: {_our_quotes(problem)} (inside the `{opener}` opened on line {line}: "
                f"is a `,` or the closing `{closer}` missing?)",
                related=(Related(opened, f"the `{opener}` opened here"),),
            )
    return None

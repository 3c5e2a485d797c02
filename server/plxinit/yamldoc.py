"""Read YAML the way Polyaxon does, keeping the exact position of every key and value.

Polyaxon loads polyaxonfiles with PyYAML's `safe_load`: YAML 1.1 scalars (`yes` is
a boolean, `0755` an octal int), the last of duplicate keys wins, merge keys apply
and only the safe tags construct. We read the same libyaml event stream and build
the same values, but iteratively (no recursion, whatever the nesting), with every
node's start and end, duplicate keys recorded, and hard limits on nesting depth and
alias expansion so that hostile input fails fast with a clear message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.parser import Parser as _PurePyParser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .diagnostics import Diagnostic, Position, Range, Severity


class _PureParser(Reader, Scanner, _PurePyParser):
    """PyYAML's pure-Python parser: the one `yaml.safe_load` (so Polyaxon) actually runs."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        _PurePyParser.__init__(self)


_FastParser: Any
try:  # libyaml's C parser: ~10x faster, and identical wherever needs_pure_parser() says so
    from yaml._yaml import CParser as _FastParser
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    _FastParser = _PureParser

# Where libyaml and PyYAML's own scanner disagree, only the pure-Python parser gives
# Polyaxon's verdict: tabs used as separators, a `!` tag (not a `!` inside a word such as
# `#!/bin/sh`), `%` directives, escape sequences, `?` and a `:` right before a flow
# indicator (both end a flow scalar only for PyYAML), a block scalar header followed by
# `#`, unusual line breaks and control characters. Such texts are rare and take that
# path; tests/differential fuzzes both.
_PURE_PARSER_CHARS = ("\t", "?", "\x85", "\u2028", "\u2029", "\ufeff")
_PURE_PARSER_PATTERNS = (
    ("!", re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)),
    ("%", re.compile(r"^%", re.MULTILINE)),
    (":", re.compile(r":[\[\]{},]")),
    ("\\", re.compile(r"\\[uUxN0abefnrtvLP_ ]")),
    ("#", re.compile(r"[|>][-+0-9]*#")),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_PRINTABLE = re.compile(r"[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def needs_pure_parser(text: str) -> bool:
    """Whether `text` has one of the constructs above (cheap substring tests first)."""
    if any(char in text for char in _PURE_PARSER_CHARS):
        return True
    if any(marker in text and pattern.search(text) for marker, pattern in _PURE_PARSER_PATTERNS):
        return True
    return bool((_CONTROL if text.isascii() else _NOT_PRINTABLE).search(text))


def _parser_for(text: str) -> Any:
    return _PureParser(text) if needs_pure_parser(text) else _FastParser(text)


MAX_DEPTH = 256
MAX_NODES = 500_000

STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
VALUE_TAG = "tag:yaml.org,2002:value"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
SET_TAG = "tag:yaml.org,2002:set"
OMAP_TAGS = ("tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs")
_KEY_ONLY_TAGS = (MERGE_TAG, VALUE_TAG)

_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_SCALAR_CONSTRUCTORS = SafeConstructor.yaml_constructors


class Node:
    """A YAML node: its constructed value, its tag and its source span.

    The span is kept as the parser's marks and turned into Positions on demand: building
    two Positions per node up front was a third of the reading time of a large file.
    """

    __slots__ = ("_end_mark", "_start_mark", "size", "tag", "value")

    def __init__(self, value: Any, tag: str, start_mark: Any, end_mark: Any) -> None:
        self.value = value
        self.tag = tag
        self._start_mark = start_mark
        self._end_mark = end_mark
        self.size = 1  # nodes reachable from here, aliases expanded

    @property
    def start(self) -> Position:
        return Position(self._start_mark.line, self._start_mark.column)

    @property
    def end(self) -> Position:
        return Position(self._end_mark.line, self._end_mark.column)

    @property
    def range(self) -> Range:
        return Range(self.start, self.end)


class ScalarNode(Node):
    """A scalar; `source` is the text as written, `style` its quoting (None = plain)."""

    __slots__ = ("source", "style")

    def __init__(self, value: Any, tag: str, start_mark: Any, end_mark: Any, source: str, style: str | None) -> None:
        self.value = value
        self.tag = tag
        self._start_mark = start_mark
        self._end_mark = end_mark
        self.size = 1
        self.source = source
        self.style = style


class SequenceNode(Node):
    """A sequence; `items` are the child nodes in order."""

    __slots__ = ("flow", "items")

    def __init__(self, tag: str, start_mark: Any, flow: bool) -> None:
        super().__init__([], tag, start_mark, start_mark)
        self.items: list[Node] = []
        self.flow = flow


class MappingNode(Node):
    """A mapping; `pairs` keeps every key as written, `by_key` the winning pair per key."""

    __slots__ = ("by_key", "flow", "pairs")

    def __init__(self, tag: str, start_mark: Any, flow: bool) -> None:
        super().__init__({}, tag, start_mark, start_mark)
        self.pairs: list[tuple[Node, Node]] = []
        self.by_key: dict[Any, tuple[Node, Node]] = {}
        self.flow = flow

    def get(self, key: Any) -> tuple[Node, Node] | None:
        """The (key node, value node) pair that Polyaxon sees for `key`, if any."""
        return self.by_key.get(key)


@dataclass
class ParsedDocument:
    """The outcome of reading a text: the root node (None when unreadable) and findings."""

    text: str
    root: Node | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    json_compatible: bool = True

    @property
    def fatal(self) -> bool:
        """True when the text could not be read into a value at all."""
        return self.root is None


class _LimitExceeded(Exception):
    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def _pos(mark: Any) -> Position:
    return Position(mark.line, mark.column)


def _point_range(position: Position) -> Range:
    return Range(position, Position(position.line, position.column + 1))


_JSON_SCALARS = (str, int, bool, type(None))


def _construct_scalar(event: Any) -> tuple[Any, str]:
    tag = event.tag
    if tag is None or tag == "!":
        if event.style and event.implicit[1]:
            return event.value, STR_TAG  # a quoted scalar is always a string
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag in (STR_TAG, MERGE_TAG, VALUE_TAG):
        return event.value, tag
    build = _SCALAR_CONSTRUCTORS.get(tag)
    if build is None or tag in (MAP_TAG, SEQ_TAG, SET_TAG, *OMAP_TAGS):
        raise ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {tag!r}",
            event.start_mark,
        )
    try:
        return build(_CONSTRUCTOR, yaml.ScalarNode(tag, event.value, event.start_mark)), tag
    except (ValueError, OverflowError) as error:  # e.g. the "timestamp" 2020-13-45
        kind = tag.rsplit(":", 1)[-1]
        raise ConstructorError(
            None, None, f"{event.value!r} is not a valid {kind}: {error}", event.start_mark
        ) from None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _is_plain_json(value: Any) -> bool:
    """Whether a scalar is a JSON value that every JSON Schema validator types as we do."""
    if isinstance(value, _JSON_SCALARS):
        return True
    return isinstance(value, float) and not value.is_integer()


class _Builder:
    """Turns a libyaml event stream into a Node tree, iteratively."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.anchors: dict[str, Node] = {}
        self.stack: list[Node] = []
        self.pending_keys: list[Node | None] = []
        self.diagnostics: list[Diagnostic] = []
        self.root: Node | None = None
        self.documents = 0
        # False once a value appears that JSON has no exact twin for (dates, bytes,
        # 6006.0, non-string keys): then only the reference validator may judge it.
        self.json_compatible = True

    def build(self) -> Node | None:
        parser = _parser_for(self.text)
        handlers = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._mapping_start,
            yaml.SequenceStartEvent: self._sequence_start,
            yaml.MappingEndEvent: self._collection_end,
            yaml.SequenceEndEvent: self._collection_end,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document_start,
        }
        get_event = parser.get_event
        try:
            while True:
                event = get_event()
                if event is None:
                    break
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
                elif isinstance(event, yaml.StreamEndEvent):
                    break
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        return self.root

    def _scalar(self, event: Any) -> None:
        value, tag = _construct_scalar(event)
        if self.json_compatible and not _is_plain_json(value):
            self.json_compatible = False
        start_mark, end_mark = event.start_mark, event.end_mark
        node = ScalarNode(
            value,
            tag,
            start_mark,
            end_mark,
            self.text[start_mark.index : end_mark.index],
            event.style or None,  # libyaml says '' for plain scalars, PyYAML None
        )
        self._anchor(event, node)
        self._attach(node, event)

    def _mapping_start(self, event: Any) -> None:
        self._collection_start(event, MappingNode, MAP_TAG, (MAP_TAG, SET_TAG, *OMAP_TAGS))

    def _sequence_start(self, event: Any) -> None:
        self._collection_start(event, SequenceNode, SEQ_TAG, (SEQ_TAG, *OMAP_TAGS))

    def _collection_start(
        self, event: Any, node_class: type[MappingNode | SequenceNode], default_tag: str, allowed: tuple[str, ...]
    ) -> None:
        tag = event.tag if event.tag not in (None, "!") else default_tag
        if tag not in allowed:
            raise ConstructorError(
                None, None, f"could not determine a constructor for the tag {tag!r}", event.start_mark
            )
        if tag != default_tag:
            self.json_compatible = False
        self._open(node_class(tag, event.start_mark, bool(event.flow_style)), event)

    def _collection_end(self, event: Any) -> None:
        node = self.stack.pop()
        self.pending_keys.pop()
        node._end_mark = event.end_mark
        self._finish(node)
        self._attach(node, event)

    def _alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        if any(open_node is target for open_node in self.stack):
            # `&x [*x]`: a value that contains itself has no JSON form and no end to validate
            raise _LimitExceeded(
                f"The alias `*{event.anchor}` is used inside its own anchor `&{event.anchor}`; "
                "a value that contains itself cannot be validated.",
                _pos(event.start_mark),
            )
        self._attach(target, event)

    def _document_start(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise yaml.composer.ComposerError(
                None,
                None,
                "expected a single document in the stream, but found another document",
                event.start_mark,
            )

    def _open(self, node: Node, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _LimitExceeded(
                f"The document is nested deeper than {MAX_DEPTH} levels; Polyaxon cannot read it.",
                node.start,
            )
        self._anchor(event, node)
        self.stack.append(node)
        self.pending_keys.append(None)

    def _anchor(self, event: Any, node: Node) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        first = self.anchors.get(anchor)
        if first is not None:  # safe_load's composer refuses a reused anchor name
            raise yaml.composer.ComposerError(
                None,
                None,
                f"found duplicate anchor {anchor!r} (first defined on line {first.start.line + 1})",
                event.start_mark,
            )
        self.anchors[anchor] = node

    def _attach(self, node: Node, event: Any) -> None:
        stack = self.stack
        if node.tag in _KEY_ONLY_TAGS and not (
            stack and type(stack[-1]) is MappingNode and self.pending_keys[-1] is None
        ):
            # `<<` and `=` are only meaningful as mapping keys; elsewhere safe_load cannot construct them
            raise ConstructorError(
                None, None, f"could not determine a constructor for the tag {node.tag!r}", event.start_mark
            )
        if not stack:
            self.root = node
            return
        parent = stack[-1]
        parent.size += node.size
        if parent.size > MAX_NODES:
            raise _LimitExceeded(
                f"The document expands to more than {MAX_NODES:,} nodes through aliases "
                "(an alias bomb?); it is not validated.",
                _pos(event.start_mark),
            )
        if type(parent) is SequenceNode:
            parent.items.append(node)
            parent.value.append(node.value)
            return
        pending = self.pending_keys
        key = pending[-1]
        if key is None:
            pending[-1] = node
            return
        pending[-1] = None
        parent.pairs.append((key, node))  # type: ignore[attr-defined]

    def _finish(self, node: Node) -> None:
        if isinstance(node, MappingNode):
            self._finish_mapping(node)
        elif isinstance(node, SequenceNode) and node.tag in OMAP_TAGS:
            # pydantic takes these pairs where Polyaxon wants a list of [a, b] pairs
            node.value = [list(next(iter(item.value.items()))) for item in node.items if isinstance(item, MappingNode)]

    def _finish_mapping(self, node: MappingNode) -> None:
        explicit: dict[Any, tuple[Node, Node]] = {}
        merged: dict[Any, tuple[Node, Node]] = {}
        for key_node, value_node in node.pairs:
            if key_node.tag == MERGE_TAG:
                self._merge_into(merged, value_node)
                continue
            key = key_node.value
            if key_node.tag == VALUE_TAG:
                key = key_node.value = "="
            if type(key) is not str:
                self.json_compatible = False
                if not _hashable(key):
                    raise ConstructorError(
                        "while constructing a mapping", None, "found unhashable key", _mark_at(key_node.start)
                    )
            first = explicit.get(key)
            if first is not None:
                self.diagnostics.append(_duplicate_key(key_node, first[0]))
            explicit[key] = (key_node, value_node)
        # Explicit keys win over merged ones, whatever their order (PyYAML's flatten_mapping).
        by_key = {**merged, **explicit} if merged else explicit
        node.by_key = by_key
        if node.tag == SET_TAG:  # pydantic (lax) takes a set where Polyaxon wants a list
            node.value = list(by_key)
        else:
            node.value = {key: pair[1].value for key, pair in by_key.items()}

    def _merge_into(self, merged: dict[Any, tuple[Node, Node]], value_node: Node) -> None:
        sources = value_node.items if isinstance(value_node, SequenceNode) else [value_node]
        # Earlier sources win over later ones in a merge list.
        for source in reversed(sources):
            if not isinstance(source, MappingNode):
                raise ConstructorError(
                    "while constructing a mapping",
                    None,
                    "expected a mapping or list of mappings for merging",
                    _mark_at(source.start),
                )
            merged.update(source.by_key)


def _mark_at(position: Position) -> yaml.Mark:
    """A mark for our own errors, so they read (and are located) like PyYAML's."""
    return yaml.Mark("<document>", 0, position.line, position.column, None, 0)


def _duplicate_key(key_node: Node, first: Node) -> Diagnostic:
    name = key_node.source if isinstance(key_node, ScalarNode) else str(key_node.value)
    return Diagnostic(
        key_node.range,
        Severity.WARNING,
        "duplicate-key",
        f"Duplicate key `{name}`: it overrides the one on line {first.start.line + 1} (the last value wins).",
        {"first": {"line": first.start.line, "column": first.start.column}},
    )


def _syntax_diagnostic(error: yaml.YAMLError) -> Diagnostic:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        position = Position(mark.line, mark.column)
    elif isinstance(error, yaml.reader.ReaderError):
        position = Position(0, 0)
    else:
        position = Position(0, 0)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}"
    context_mark = getattr(error, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        message += f" ({context} on line {context_mark.line + 1})"
    elif context:
        message += f" ({context})"
    if isinstance(error, yaml.reader.ReaderError):
        message = f"YAML syntax error: {error.reason} (character {error.character!r})"
    return Diagnostic(_point_range(position), Severity.ERROR, "yaml-syntax", message)


def parse_document(text: str) -> ParsedDocument:
    """Read `text` as Polyaxon would; never raises on bad input."""
    builder = _Builder(text)
    try:
        root = builder.build()
    except _LimitExceeded as exceeded:
        diagnostic = Diagnostic(_point_range(exceeded.position), Severity.ERROR, "too-complex", exceeded.message)
        return ParsedDocument(text, None, [diagnostic])
    except ConstructorError as error:
        diagnostic = _syntax_diagnostic(error)
        problem = error.problem or ""
        message = f"YAML value error: {problem}"
        if "constructor for the tag" in problem:
            message += " (Polyaxon reads files with yaml.safe_load, which knows only the standard tags)"
        return ParsedDocument(text, None, [Diagnostic(diagnostic.range, Severity.ERROR, "yaml-syntax", message)])
    except yaml.YAMLError as error:
        diagnostic = _syntax_diagnostic(error)
        if "maximum nesting depth" in str(error):  # libyaml's own guard, before ours triggers
            diagnostic = Diagnostic(
                diagnostic.range,
                Severity.ERROR,
                "too-complex",
                f"The document is nested deeper than {MAX_DEPTH} levels; Polyaxon cannot read it.",
            )
        return ParsedDocument(text, None, [diagnostic])
    return ParsedDocument(text, root, builder.diagnostics, builder.json_compatible)

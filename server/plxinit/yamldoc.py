"""Read YAML the way Polyaxon does, keeping the exact position of every key and value.

Polyaxon loads polyaxonfiles with PyYAML's `safe_load`: YAML 1.1 scalars (`yes` is
a boolean, `0755` an octal int), the last of duplicate keys wins, merge keys apply
and only the safe tags construct. We read the same libyaml event stream and build
the same values, but iteratively (no recursion, whatever the nesting), with every
node's start and end, duplicate keys recorded, and hard limits on nesting depth, alias
expansion and size so that hostile input fails fast with a clear message.

Where PyYAML's behaviour is its code rather than the spec, we ask its code: merge keys are
settled by its own `flatten_mapping` (see `_apply_pyyaml_merges`), scalars are built by its
own constructors, and an error is re-read with its pure-Python parser so that the error we
report is the one Polyaxon reports (worded for the user by `yaml_errors`).
"""

from __future__ import annotations

import math
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
from .yaml_errors import inside_text, syntax_diagnostic


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


MAX_DEPTH = 256
MAX_NODES = 500_000  # nodes that aliases may add (each alias counted as its value written out)
# Characters that aliases may add, counted the same way. Nodes alone do not bound memory: one
# 1 MB string used through 1,000 aliases is 1,001 nodes, yet every validator copies the string
# at each use (1 GB). No real polyaxonfile comes near; up to this, validation stays under ~300 MB.
MAX_ALIAS_CHARS = 150_000_000
# Nodes written in the text. Reading costs about 300 bytes per node; a 20 MB file (the
# CLI's cap) of one-character items would need some 3 GB, so past this we say so plainly.
MAX_WRITTEN_NODES = 1_000_000

STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
VALUE_TAG = "tag:yaml.org,2002:value"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
SET_TAG = "tag:yaml.org,2002:set"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
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

    __slots__ = ("_end_mark", "_start_mark", "chars", "size", "tag", "value")

    def __init__(self, value: Any, tag: str, start_mark: Any, end_mark: Any) -> None:
        self.value = value
        self.tag = tag
        self._start_mark = start_mark
        self._end_mark = end_mark
        self.size = 1  # nodes reachable from here, aliases expanded
        self.chars = 0  # characters of the scalars reachable from here (keys too), aliases expanded

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
        self.chars = len(value) if type(value) is str else len(source)  # what a validator copies
        self.source = source
        self.style = style


class AliasSite:
    """Where a value was used through an alias: the `*name` token and the anchor's name.

    An aliased node is the anchored node itself (shared, never copied), so its own range is
    where it was anchored; this records where it was used.
    """

    __slots__ = ("anchor", "range")

    def __init__(self, range: Range, anchor: str) -> None:
        self.range = range
        self.anchor = anchor

    def __repr__(self) -> str:
        return f"AliasSite({self.range!r}, {self.anchor!r})"


# The side tables below stay this shared empty dict until something is recorded, so the
# common alias-free, merge-free path allocates nothing. Readers must never write into it.
_NONE: dict[Any, Any] = {}


class SequenceNode(Node):
    """A sequence; `items` are the child nodes in order.

    `alias_sites` maps the index of each item that came from an alias (`- *name`) to its
    `AliasSite`; it is empty (a shared read-only dict) when no item did.
    """

    __slots__ = ("alias_sites", "flow", "items")

    def __init__(self, tag: str, start_mark: Any, flow: bool) -> None:
        super().__init__([], tag, start_mark, start_mark)
        self.items: list[Node] = []
        self.flow = flow
        self.alias_sites: dict[int, AliasSite] = _NONE


class MappingNode(Node):
    """A mapping; `pairs` keeps every key as written, `by_key` the winning pair per key.

    Side tables, keyed like `by_key` and only for winning pairs (both empty, shared
    read-only dicts, when unused):
    - `alias_sites`: the `AliasSite` of each value written as an alias in THIS mapping
      (`key: *name`);
    - `merged_by`: for each key whose winning pair came in through a merge (`<<: *a`,
      `<<: [*a, *b]`, also through merges nested in the sources), the `<<` key node of
      THIS mapping that brought it.
    """

    __slots__ = ("alias_sites", "by_key", "flow", "merged_by", "pairs")

    def __init__(self, tag: str, start_mark: Any, flow: bool) -> None:
        super().__init__({}, tag, start_mark, start_mark)
        self.pairs: list[tuple[Node, Node]] = []
        self.by_key: dict[Any, tuple[Node, Node]] = {}
        self.flow = flow
        # while building: pair index -> AliasSite; once finished: key -> AliasSite
        self.alias_sites: dict[Any, AliasSite] = _NONE
        self.merged_by: dict[Any, Node] = _NONE

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


class _NodeError(Exception):
    """A node `yaml.safe_load` cannot construct: reported as `yaml-syntax` on that node's range."""

    def __init__(self, message: str, range: Range) -> None:
        super().__init__(message)
        self.message = message
        self.range = range


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _YAML_TAG_PREFIX + name for name in ("str", "null", "bool", "int", "float", "binary", "timestamp")
)
_MAPPING_TAGS = (MAP_TAG, SET_TAG)
_SEQUENCE_TAGS = (SEQ_TAG, *OMAP_TAGS)


def _short_tag(tag: str) -> str:
    """`!!bool` for `tag:yaml.org,2002:bool`: the way a user writes it."""
    return "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag


def _wrong_kind(tag: str, kind: str) -> str | None:
    """What is wrong with `tag` on a node of `kind`, or None when the pair is fine or the tag unknown.

    The words are PyYAML's own (what SafeConstructor raises): a scalar tag calls
    construct_scalar, `!!map` and `!!set` construct_mapping, `!!seq` construct_sequence,
    `!!omap`/`!!pairs` their own check; then what the tag takes, for the user.
    """
    if tag in _SCALAR_TAGS:
        wanted, problem = "scalar", f"expected a scalar node, but found {kind}"
    elif tag in _MAPPING_TAGS:
        wanted, problem = "mapping", f"expected a mapping node, but found {kind}"
    elif tag == SEQ_TAG:
        wanted, problem = "sequence", f"expected a sequence node, but found {kind}"
    elif tag in OMAP_TAGS:
        wanted, problem = "sequence", f"expected a sequence, but found {kind}"
    else:
        return None
    if kind == wanted:
        return None
    return f"YAML value error: {problem} (the tag `{_short_tag(tag)}` takes a {wanted})"


def _unknown_tag(tag: str, mark: Any) -> ConstructorError:
    return ConstructorError(None, None, _no_constructor(tag), mark)


def _no_constructor(tag: str) -> str:
    """PyYAML's words for a tag safe_load cannot construct, the tag written as a user writes it."""
    return f"could not determine a constructor for the tag `{_short_tag(tag)}`"


def _construct_scalar(event: Any) -> tuple[Any, str]:
    tag = event.tag
    explicit = True
    if tag is None or tag == "!":
        if event.style and event.implicit[1]:
            return event.value, STR_TAG  # a quoted scalar is always a string
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        explicit = False
    if tag in (STR_TAG, MERGE_TAG, VALUE_TAG):
        return event.value, tag
    build = _SCALAR_CONSTRUCTORS.get(tag)
    if build is None:
        raise _unknown_tag(tag, event.start_mark)
    wrong = _wrong_kind(tag, "scalar")
    if wrong is not None:
        raise _NodeError(wrong, _event_range(event))
    try:
        return build(_CONSTRUCTOR, yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)), tag
    except Exception as error:  # PyYAML's constructors also raise KeyError, IndexError, AttributeError
        raise _NodeError(_constructor_failure(event.value, tag, explicit, error), _event_range(event)) from None


def _constructor_failure(value: str, tag: str, explicit: bool, error: Exception) -> str:
    """Why `value` cannot be built as `tag`, and what to do about it."""
    if isinstance(error, ConstructorError):
        detail = f": {error.problem}"
    elif isinstance(error, (ValueError, OverflowError)) and str(error) and not str(error).startswith("invalid literal"):
        detail = f": {error}"  # e.g. the timestamp 2020-13-45: "month must be in 1..12"; not int()'s own words
    else:
        detail = ""  # a KeyError or IndexError says nothing a user can use
    shown = "the empty value" if not value else f"`{value}`" if len(value) <= 40 else f"`{value[:37]}...`"
    if explicit:
        return f"YAML value error: {shown} is not a valid `{_short_tag(tag)}`{detail} (fix the value or drop the tag)"
    return (
        f"YAML value error: {shown} reads as a `{_short_tag(tag)}` but is not a valid one{detail}"
        " (quote it to make it a string)"
    )


def _event_range(event: Any) -> Range:
    return Range(_pos(event.start_mark), _pos(event.end_mark))


def _tag_range(text: str, mark: Any) -> Range:
    """The range of the tag token of a node starting at `mark` (after its anchor, if any)."""
    line_end = text.find("\n", mark.index)
    line = text[mark.index : line_end if line_end >= 0 else len(text)]
    at = line.find("!")
    if at < 0:
        return _point_range(_pos(mark))
    stop = at
    while stop < len(line) and line[stop] not in " \t\r,[]{}":
        stop += 1
    return Range(Position(mark.line, mark.column + at), Position(mark.line, mark.column + stop))


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
    # .inf and .nan are no JSON numbers: jsonschema-rs would take them as numbers that pass `maximum`
    return isinstance(value, float) and math.isfinite(value) and not value.is_integer()


class _Builder:
    """Turns a libyaml event stream into a Node tree, iteratively."""

    def __init__(self, text: str, pure: bool) -> None:
        self.text = text
        self.pure = pure  # PyYAML's own parser, rather than libyaml's
        self.anchors: dict[str, Node] = {}
        self.stack: list[Node] = []
        self.pending_keys: list[Node | None] = []
        self.diagnostics: list[Diagnostic] = []
        self.root: Node | None = None
        self.documents = 0
        # False once a value appears that JSON has no exact twin for (dates, bytes,
        # 6006.0, non-string keys): then only the reference validator may judge it.
        self.json_compatible = True
        self.merges = False  # whether some mapping has a `<<` merge key
        self.expanded = 0  # nodes added by aliases, each counted as written out
        self.expanded_chars = 0  # and the characters they add
        self.written = 0  # nodes in the text itself
        # Scalar-tagged mappings open (`!!int {=: 1}`), and the raw text of the scalars that
        # such a mapping may stand for (those inside one, and anchored ones).
        self.scalar_tagged = 0
        self.raw: dict[int, str] = {}
        # Merge values (`<<: x`) and the lists of them are merged, never constructed: their tags
        # do not matter unless an alias uses them elsewhere as values. id(node) -> its error.
        self.merge_lists: set[int] = set()
        self.unbuildable: dict[int, Exception] = {}

    def build(self) -> Node | None:
        parser = _PureParser(self.text) if self.pure else _FastParser(self.text)
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
        event = None
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
        except (_NodeError, ConstructorError):
            self._read_on(get_event, event)
            raise
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        return self.root

    def _read_on(self, get_event: Any, failed: Any) -> None:
        """After a value that cannot be constructed, raise the syntax or composer error that follows, if any.

        `yaml.safe_load` composes the whole text before it constructs anything, so a syntax
        error, an undefined alias or a duplicate anchor anywhere wins over a bad value; we read
        the rest of the events for one, keeping only the composer's bookkeeping.
        """
        anchors = {name: node.start.line for name, node in self.anchors.items()}  # name -> line defined
        own = None if isinstance(failed, yaml.AliasEvent) else getattr(failed, "anchor", None)
        if own is not None:  # the failed node's anchor: registered only if it failed after that
            first = self.anchors.get(own)
            if first is not None and first._start_mark is not failed.start_mark:
                message = f"found duplicate anchor `{own}` (first defined on line {first.start.line + 1})"
                raise yaml.composer.ComposerError(None, None, message, failed.start_mark)
            anchors[own] = failed.start_mark.line
        event = get_event() if failed is not None else None
        while event is not None and not isinstance(event, yaml.StreamEndEvent):
            where: Any = getattr(event, "start_mark", None)  # a libyaml or a PyYAML mark
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias `{event.anchor}`", where)
            elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                first_line = anchors.get(event.anchor)
                if first_line is not None:
                    message = f"found duplicate anchor `{event.anchor}` (first defined on line {first_line + 1})"
                    raise yaml.composer.ComposerError(None, None, message, where)
                anchors[event.anchor] = where.line
            elif isinstance(event, yaml.DocumentStartEvent):
                self._document_start(event)
            event = get_event()

    def _too_large(self, event: Any) -> _LimitExceeded:
        return _LimitExceeded(
            f"The document has more than {MAX_WRITTEN_NODES:,} YAML nodes; it is too large to validate.",
            _pos(event.start_mark),
        )

    def _scalar(self, event: Any) -> None:
        self.written += 1
        if self.written > MAX_WRITTEN_NODES:
            raise self._too_large(event)
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
        if self.scalar_tagged or event.anchor is not None:
            self.raw[id(node)] = event.value
        self._anchor(event, node)
        self._attach(node, event)

    def _mapping_start(self, event: Any) -> None:
        self._collection_start(event, MappingNode, MAP_TAG, "mapping")

    def _sequence_start(self, event: Any) -> None:
        self._collection_start(event, SequenceNode, SEQ_TAG, "sequence")

    def _collection_start(
        self, event: Any, node_class: type[MappingNode | SequenceNode], default_tag: str, kind: str
    ) -> None:
        tag = event.tag if event.tag not in (None, "!") else default_tag
        merge_source = self._is_merge_source()
        node = node_class(tag, event.start_mark, bool(event.flow_style))
        if tag != default_tag:
            wrong = _wrong_kind(tag, kind)
            error: Exception | None = None
            if wrong is not None and kind == "mapping" and tag in _SCALAR_TAGS:
                self.scalar_tagged += 1  # it may hold a `=` key: decided when it closes
            elif wrong is not None:
                error = _NodeError(wrong, _tag_range(self.text, event.start_mark))
            elif tag not in _MAPPING_TAGS and tag not in _SEQUENCE_TAGS:
                error = _unknown_tag(tag, event.start_mark)
            if error is not None:
                if not merge_source:
                    raise error
                # flatten_mapping reads a merge source's pairs and never constructs it, so its
                # tag only matters if an alias uses it as a value
                self.unbuildable[id(node)] = error
            self.json_compatible = False
        if merge_source and kind == "sequence":
            self.merge_lists.add(id(node))
        self._open(node, event)

    def _merges_itself(self, target: Node) -> bool:
        """`&x {<<: *x, a: 1}`: a mapping merged into itself adds nothing and builds no cycle.

        (flatten_mapping drops the `<<` pair before it reads the source, so PyYAML reads it.)
        """
        stack = self.stack
        if not self._is_merge_source():
            return False
        if target is stack[-1]:
            return True
        return len(stack) > 1 and target is stack[-2] and id(stack[-1]) in self.merge_lists

    def _is_merge_source(self) -> bool:
        """Whether the node about to be attached is merged (`<<: x` or `<<: [x]`) rather than constructed."""
        stack = self.stack
        if not stack:
            return False
        parent = stack[-1]
        if type(parent) is MappingNode:
            key = self.pending_keys[-1]
            return key is not None and key.tag == MERGE_TAG
        return bool(self.merge_lists) and id(parent) in self.merge_lists

    def _collection_end(self, event: Any) -> None:
        node = self.stack.pop()
        self.pending_keys.pop()
        node._end_mark = event.end_mark
        if type(node) is MappingNode and node.tag in _SCALAR_TAGS:
            if not self._is_merge_source():
                node = self._scalar_from_mapping(node)
            else:  # merged, not constructed: a mapping like any other, unless an alias uses it as a value
                self.scalar_tagged -= 1
                wrong = _wrong_kind(node.tag, "mapping")
                assert wrong is not None
                self.unbuildable[id(node)] = _NodeError(wrong, _tag_range(self.text, node._start_mark))
                self._finish(node)
        else:
            self._finish(node)
        self._attach(node, event)

    def _scalar_from_mapping(self, node: MappingNode) -> ScalarNode:
        """`!!int {=: 1}`: SafeConstructor.construct_scalar reads a mapping as the scalar under its `=` key."""
        self.scalar_tagged -= 1
        tag = node.tag
        current: Node = node
        while type(current) is MappingNode:
            under = next((value for key, value in current.pairs if key.tag == VALUE_TAG), None)
            if under is None:
                break
            current = under
        if type(current) is not ScalarNode:
            where = _tag_range(self.text, node._start_mark) if current is node else current.range
            message = f"YAML value error: expected a scalar node, but found {_kind(current)}"
            raise _NodeError(f"{message} (the tag `{_short_tag(tag)}` takes a scalar)", where)
        raw = self.raw.get(id(current), current.value)
        try:
            if tag == TIMESTAMP_TAG:  # construct_yaml_timestamp matches node.value: here, a list of pairs
                raise TypeError
            value = _SCALAR_CONSTRUCTORS[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, raw))
        except Exception as error:  # as in _construct_scalar: whatever the constructor raises
            raise _NodeError(_constructor_failure(str(raw), tag, True, error), node.range) from None
        if not _is_plain_json(value):
            self.json_compatible = False
        start, end = node._start_mark, node._end_mark
        scalar = ScalarNode(value, tag, start, end, self.text[start.index : end.index], None)
        for name, target in self.anchors.items():  # `&a !!str {=: x}`: the anchor names the scalar
            if target is node:
                self.anchors[name] = scalar
        return scalar

    def _alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias `{event.anchor}`", event.start_mark)
        # still open: a collection gets its own end mark only when it closes
        if (
            type(target) is not ScalarNode
            and target._end_mark is target._start_mark
            and not self._merges_itself(target)
        ):
            # `&x [*x]`: a value that contains itself has no JSON form and no end to validate
            raise _LimitExceeded(
                f"The alias `*{event.anchor}` is used inside its own anchor `&{event.anchor}`; "
                "a value that contains itself cannot be validated.",
                _pos(event.start_mark),
            )
        if self.unbuildable and id(target) in self.unbuildable and not self._is_merge_source():
            raise self.unbuildable[id(target)]  # a merge source with an odd tag, now used as a value
        # An alias shares its target (nothing is copied), but everything downstream walks the
        # value as if it were written out: that expansion, not the size of the text, is bounded.
        self.expanded += target.size
        if self.expanded > MAX_NODES:
            raise _LimitExceeded(
                f"Aliases expand the document by more than {MAX_NODES:,} nodes (an alias bomb?); it is not validated.",
                _pos(event.start_mark),
            )
        self.expanded_chars += target.chars
        if self.expanded_chars > MAX_ALIAS_CHARS:
            raise _LimitExceeded(
                f"Aliases expand the document by more than {MAX_ALIAS_CHARS:,} characters of text"
                " (a string alias bomb?); it is not validated.",
                _pos(event.start_mark),
            )
        self._attach(target, event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None:
            self._record_alias_site(parent, event)

    def _record_alias_site(self, parent: Node, event: Any) -> None:
        """Note where an alias was used, keyed by item index (a sequence) or pair index (a mapping)."""
        if type(parent) is SequenceNode:
            index = len(parent.items) - 1
        elif self.pending_keys[-1] is None:  # the alias was a mapping value: its pair is complete
            index = len(parent.pairs) - 1  # type: ignore[attr-defined]
        else:
            return  # an aliased key: positions of keys are their own
        sites = parent.alias_sites  # type: ignore[attr-defined]
        if sites is _NONE:
            sites = parent.alias_sites = {}  # type: ignore[attr-defined]
        sites[index] = AliasSite(Range(_pos(event.start_mark), _pos(event.end_mark)), event.anchor)

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
        self.written += 1
        if self.written > MAX_WRITTEN_NODES:
            raise self._too_large(event)
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
                f"found duplicate anchor `{anchor}` (first defined on line {first.start.line + 1})",
                event.start_mark,
            )
        self.anchors[anchor] = node

    def _attach(self, node: Node, event: Any) -> None:
        stack = self.stack
        if (
            node.tag in _KEY_ONLY_TAGS
            and not (stack and type(stack[-1]) is MappingNode and self.pending_keys[-1] is None)
            and not self._is_merge_source()
        ):
            # `<<` and `=` are only meaningful as mapping keys; elsewhere safe_load cannot construct them
            raise ConstructorError(None, None, _no_constructor(node.tag), event.start_mark)
        if not stack:
            self.root = node
            return
        parent = stack[-1]
        parent.size += node.size
        parent.chars += node.chars
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
            if id(node) in self.merge_lists:  # merged, not constructed: only its items matter
                try:
                    _check_pairs(node)
                except _NodeError as error:
                    self.unbuildable[id(node)] = error
                    return
            else:
                _check_pairs(node)
            # pydantic takes these pairs where Polyaxon wants a list of [a, b] pairs
            node.value = [[item.pairs[0][0].value, item.pairs[0][1].value] for item in node.items]  # type: ignore[attr-defined]

    def _finish_mapping(self, node: MappingNode) -> None:
        explicit: dict[Any, tuple[Node, Node]] = {}
        merged: dict[Any, tuple[Node, Node]] = {}
        merged_by: dict[Any, Node] = {}
        for key_node, value_node in node.pairs:
            if key_node.tag == MERGE_TAG:
                self._merge_into(merged, merged_by, key_node, value_node)
                continue
            key = key_node.value  # a `!!value`/`=` key is its text: flatten_mapping just retags it a string
            if type(key) is not str:
                self.json_compatible = False
                if not _hashable(key):
                    raise ConstructorError(
                        "while constructing a mapping", None, "found unhashable key", _mark_at(key_node.start)
                    )
            first = explicit.get(key)
            if first is not None:
                self.diagnostics.append(_duplicate_key(self.text, key_node, first[0]))
            explicit[key] = (key_node, value_node)
        if merged:
            # A first estimate (explicit keys win, then earlier sources); `_apply_pyyaml_merges`
            # replaces it with what PyYAML's own flatten_mapping gives once the tree is complete.
            self.merges = True
            by_key = {**merged, **explicit}
            node.merged_by = {key: merged_by[key] for key in by_key if key not in explicit}
        else:
            by_key = explicit
        node.by_key = by_key
        if node.alias_sites is not _NONE:
            node.alias_sites = _sites_by_key(node)
        _set_mapping_value(node)

    def _merge_into(
        self, merged: dict[Any, tuple[Node, Node]], merged_by: dict[Any, Node], key_node: Node, value_node: Node
    ) -> None:
        if isinstance(value_node, SequenceNode):
            sources = value_node.items
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise ConstructorError(
                        "while constructing a mapping",
                        None,
                        f"expected a mapping for merging, but found {_kind(source)}",
                        _mark_at(source.start),
                    )
        elif isinstance(value_node, MappingNode):
            sources = [value_node]
        else:
            raise ConstructorError(
                "while constructing a mapping",
                None,
                f"expected a mapping or list of mappings for merging, but found {_kind(value_node)}",
                _mark_at(value_node.start),
            )
        self.merges = True
        # Earlier sources win over later ones in a merge list.
        for source in reversed(sources):
            merged.update(source.by_key)  # type: ignore[attr-defined]
            merged_by.update(dict.fromkeys(source.by_key, key_node))  # type: ignore[attr-defined]


class _ShapeMismatch(Exception):
    """PyYAML's composed tree is not shaped like ours (should not happen: same event stream)."""


def _pair_trees(py_root: yaml.Node, root: Node) -> dict[int, Node]:
    """Map id() of every PyYAML node to our node at the same place, walking both trees together."""
    ours_of: dict[int, Node] = {}
    todo: list[tuple[yaml.Node, Node]] = [(py_root, root)]
    while todo:
        py_node, node = todo.pop()
        if id(py_node) in ours_of:  # reached again through an alias
            continue
        ours_of[id(py_node)] = node
        if isinstance(py_node, yaml.MappingNode):
            if type(node) is not MappingNode or len(py_node.value) != len(node.pairs):
                raise _ShapeMismatch
            for (py_key, py_value), (key, value) in zip(py_node.value, node.pairs, strict=True):
                todo.append((py_key, key))
                todo.append((py_value, value))
        elif isinstance(py_node, yaml.SequenceNode):
            if type(node) is not SequenceNode or len(py_node.value) != len(node.items):
                raise _ShapeMismatch
            todo.extend(zip(py_node.value, node.items, strict=True))
        elif type(node) is not ScalarNode:
            raise _ShapeMismatch
    return ours_of


def _apply_pyyaml_merges(text: str, root: Node) -> None:
    """Decide every merge (`<<`) winner with PyYAML's own `SafeConstructor.flatten_mapping`.

    PyYAML 6.0.x de-duplicates merged keys by the identity of the key's string object, not
    by its value: a one-character key (an interned string) keeps the first source's value,
    a longer one can end with the last source's. Rather than imitate that, we compose the
    text with PyYAML's pure-Python composer (the very nodes `yaml.safe_load` builds),
    flatten them with PyYAML's code, and carry the winning pairs over to our nodes.
    """
    loader = yaml.SafeLoader(text)
    try:
        py_root = loader.get_single_node()
        if py_root is None:
            return
        try:
            ours_of = _pair_trees(py_root, root)
        except _ShapeMismatch:  # keep our own estimate rather than fail
            return
        # Snapshot each mapping's `<<` pairs first: flatten_mapping deletes them, and it also
        # flattens the sources it meets, so a later mapping may find its own already gone.
        merge_pairs = {
            id(node): (node, [pair for pair in node.value if pair[0].tag == MERGE_TAG])
            for node in _py_mappings(py_root)
        }
        merge_pairs = {key: entry for key, entry in merge_pairs.items() if entry[1]}
        for py_node, _ in merge_pairs.values():
            loader.flatten_mapping(py_node)
        for py_node, merges in merge_pairs.values():
            _take_winners(ours_of, py_node, merges)
    finally:
        loader.dispose()


def _py_mappings(py_root: yaml.Node) -> list[yaml.MappingNode]:
    found: list[yaml.MappingNode] = []
    seen: set[int] = set()
    todo = [py_root]
    while todo:
        py_node = todo.pop()
        if id(py_node) in seen:
            continue
        seen.add(id(py_node))
        if isinstance(py_node, yaml.MappingNode):
            found.append(py_node)
            for pair in py_node.value:
                todo.extend(pair)
        elif isinstance(py_node, yaml.SequenceNode):
            todo.extend(py_node.value)
    return found


def _take_winners(ours_of: dict[int, Node], py_node: yaml.MappingNode, merges: list[tuple[Any, Any]]) -> None:
    """Set our mapping's winners (and which `<<` brought each) from a flattened PyYAML mapping."""
    # The pair objects flatten_mapping appends are the sources' own tuples, so the first
    # `<<` whose sources hold a pair is the one that brought it in.
    brought_by: dict[int, Any] = {}
    for merge_key, merge_value in merges:
        sources = merge_value.value if isinstance(merge_value, yaml.SequenceNode) else [merge_value]
        for source in sources:
            for pair in source.value:
                brought_by.setdefault(id(pair), merge_key)
    node = ours_of[id(py_node)]
    assert isinstance(node, MappingNode)
    by_key: dict[Any, tuple[Node, Node]] = {}
    merged_by: dict[Any, Node] = {}
    for pair in py_node.value:  # later pairs win, as in construct_mapping
        key_node, value_node = ours_of[id(pair[0])], ours_of[id(pair[1])]
        key = key_node.value
        by_key[key] = (key_node, value_node)
        merge_key = brought_by.get(id(pair))
        if merge_key is None:
            merged_by.pop(key, None)
        else:
            merged_by[key] = ours_of[id(merge_key)]
    node.by_key = by_key
    node.merged_by = merged_by or _NONE
    _set_mapping_value(node, in_place=True)


def _check_pairs(node: SequenceNode) -> None:
    """`!!omap`/`!!pairs`: a sequence of one-pair mappings, checked as SafeConstructor does."""
    context = "an ordered map" if node.tag == OMAP_TAGS[0] else "pairs"
    where = f"while constructing {context} on line {node.start.line + 1}"
    for item in node.items:
        if not isinstance(item, MappingNode):
            problem = f"expected a mapping of length 1, but found {_kind(item)}"
        elif len(item.pairs) != 1:  # the pairs as written: these mappings are not merged
            problem = f"expected a single mapping item, but found {len(item.pairs)} items"
        elif item.pairs[0][0].tag in _KEY_ONLY_TAGS:
            key_node = item.pairs[0][0]
            raise _NodeError(
                f"YAML value error: {_no_constructor(key_node.tag)} ({where})",
                key_node.range,
            )
        else:
            continue
        raise _NodeError(f"YAML value error: {problem} ({where})", item.range)


def _kind(node: Node) -> str:
    """PyYAML's word for a node's kind, as its messages use it."""
    if isinstance(node, MappingNode):
        return "mapping"
    return "sequence" if isinstance(node, SequenceNode) else "scalar"


def _sites_by_key(node: MappingNode) -> dict[Any, AliasSite]:
    """Re-key a finished mapping's alias sites from pair index to key, winning pairs only."""
    sites: dict[Any, AliasSite] = {}
    pairs = node.pairs
    for index, site in node.alias_sites.items():
        key_node = pairs[index][0]
        winner = node.by_key.get(key_node.value) if key_node.tag != MERGE_TAG else None
        if winner is not None and winner[0] is key_node:
            sites[key_node.value] = site
    return sites or _NONE


def _set_mapping_value(node: MappingNode, in_place: bool = False) -> None:
    """Fill a mapping's value from its winning pairs.

    `in_place` once the node is in the tree: its parents and aliases hold the same object.
    """
    by_key = node.by_key
    if node.tag == SET_TAG:  # pydantic (lax) takes a set where Polyaxon wants a list
        if in_place:
            node.value[:] = by_key
        else:
            node.value = list(by_key)
    elif in_place:
        node.value.clear()
        node.value.update((key, pair[1].value) for key, pair in by_key.items())
    else:
        node.value = {key: pair[1].value for key, pair in by_key.items()}


def _mark_at(position: Position) -> yaml.Mark:
    """A mark for our own errors, so they read (and are located) like PyYAML's."""
    return yaml.Mark("<document>", 0, position.line, position.column, None, 0)


#: Longest key a duplicate-key message quotes (the same bound as every other quoted value).
_KEY_CLIP = 80


def _duplicate_key(text: str, key_node: Node, first: Node) -> Diagnostic:
    """The key as written (a collection key too, never Python's repr of it), at most _KEY_CLIP characters."""
    if isinstance(key_node, ScalarNode):
        name = key_node.source
    else:
        start, end = key_node._start_mark.index, key_node._end_mark.index
        name = text[start : min(end, start + _KEY_CLIP + 1)]
    if len(name) > _KEY_CLIP:  # a 400 KB key would otherwise be quoted whole, once per duplicate
        name = name[: _KEY_CLIP - 1] + "…"
    return Diagnostic(
        key_node.range,
        Severity.WARNING,
        "duplicate-key",
        f"Duplicate key `{name}`: it overrides the one on line {first.start.line + 1} (the last value wins).",
        {"first": {"line": first.start.line, "column": first.start.column}},
    )


# Up to this size a syntax error found by libyaml is re-read with PyYAML's own pure-Python
# parser, so that the error reported is the one Polyaxon reports (libyaml words and places
# some differently). It costs about 8 s per MB, so beyond this libyaml's error stands.
EXACT_ERROR_LIMIT = 200_000
# Merge winners come from PyYAML's pure-Python composer (the same cost) up to this size; past
# it, from our estimate: explicit keys first, then the earliest source (the spec's rule).
EXACT_MERGE_LIMIT = 1_000_000


def _value_diagnostic(error: ConstructorError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or ""
    message = f"YAML value error: {problem}"
    if "constructor for the tag" in problem:
        message += " (Polyaxon reads files with yaml.safe_load, which knows only the standard tags)"
    position = Position(mark.line, mark.column) if mark is not None else Position(0, 0)
    return Diagnostic(_point_range(position), Severity.ERROR, "yaml-syntax", message)


def _read(text: str, pure: bool) -> ParsedDocument:
    builder = _Builder(text, pure)
    try:
        root = builder.build()
    except (_NodeError, ConstructorError) as error:
        if isinstance(error, _NodeError):
            return ParsedDocument(text, None, [Diagnostic(error.range, Severity.ERROR, "yaml-syntax", error.message)])
        return ParsedDocument(text, None, [_value_diagnostic(error)])
    except _LimitExceeded as exceeded:
        diagnostic = Diagnostic(_point_range(exceeded.position), Severity.ERROR, "too-complex", exceeded.message)
        return ParsedDocument(text, None, [diagnostic])
    except yaml.YAMLError as error:
        if not builder.pure and len(text) <= EXACT_ERROR_LIMIT:
            return _read(text, pure=True)  # PyYAML's own error, in its words and at its place
        if "maximum nesting depth" in str(error):  # libyaml's own guard, before ours triggers
            message = f"The document is nested deeper than {MAX_DEPTH} levels; Polyaxon cannot read it."
            diagnostic = Diagnostic(_point_range(Position(0, 0)), Severity.ERROR, "too-complex", message)
            mark = getattr(error, "problem_mark", None)
            if mark is not None:
                diagnostic = Diagnostic(_point_range(_pos(mark)), Severity.ERROR, "too-complex", message)
            return ParsedDocument(text, None, [diagnostic])
        return ParsedDocument(text, None, [syntax_diagnostic(error, text)])
    if builder.merges and root is not None and len(text) <= EXACT_MERGE_LIMIT:
        try:
            _apply_pyyaml_merges(text, root)
        except ConstructorError as error:  # not expected: the builder checks merges first
            return ParsedDocument(text, None, [_value_diagnostic(error)])
        except RecursionError:  # PyYAML's composer and flatten_mapping recurse; so does safe_load
            diagnostic = Diagnostic(
                _point_range(Position(0, 0)),
                Severity.ERROR,
                "too-complex",
                "Merge keys (`<<`) are nested or chained too deeply for Polyaxon's YAML reader; it is not validated.",
            )
            return ParsedDocument(text, None, [diagnostic])
    return ParsedDocument(text, root, builder.diagnostics, builder.json_compatible)


def parse_document(text: str) -> ParsedDocument:
    """Read `text` as Polyaxon would; never raises on bad input."""
    document = _read(text, pure=needs_pure_parser(text))
    if document.root is None:  # an error at the end of a line or of the file: keep it inside the text
        document.diagnostics = [inside_text(text, diagnostic) for diagnostic in document.diagnostics]
    return document

"""Quick fixes for the name diagnostics of templates.py and params_rules.py.

- a did-you-mean (`... Did you mean `lr`?`) on a template name or an undeclared param key:
  replace the name with the suggestion;
- an undeclared template name (`x` / `params.x`): declare it as an input of the operation's
  component, `- {name: x, type: str}`, under its `inputs:` (created when missing);
- a required input without a value: add the param `x: {value: ...}` to the operation's
  `params:` (created when missing), with a placeholder of the input's type.

The rules' findings carry no machine-readable data yet, so the facts are read from the
messages (the patterns below are those of templates.py and params_rules.py); a message that
does not match offers no fix. Edits are computed on the parsed tree, in block or flow style.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Position
from ..scope import ScopedOperation, operations
from ..yamldoc import MappingNode, Node, ScalarNode, SequenceNode

DID_YOU_MEAN = re.compile(r"Did you mean `([^`]+)`\?")
UNDECLARED_NAME = re.compile(r"^`(?:params\.)?([^\W\d]\w*)` is not declared: ")
REQUIRED_INPUT = re.compile(r"^The required input `([^`]+)` gets no value")
UNDECLARED_PARAM = re.compile(r"^Param `([^`]+)` matches no input or output")

#: A value of each input type for a new param: the user replaces it, and it parses as that type.
PLACEHOLDERS = {
    "int": "0",
    "float": "0.0",
    "bool": "false",
    "str": '""',
    "dict": "{}",
    "list": "[]",
}


class Insertion:
    """Text to insert at a position (0-based line, code-point column)."""

    def __init__(self, at: Position, text: str) -> None:
        self.at = at
        self.text = text


def path_at(root: Node, position: Position) -> list[Any]:
    """The path of the innermost node holding `position` (keys count as their value's place)."""
    path: list[Any] = []
    node: Node | None = root
    while node is not None:
        child: Node | None = None
        if isinstance(node, MappingNode):
            for key, value in node.pairs:
                inside_key = key.start <= position <= key.end
                if (inside_key or value.start <= position <= value.end) and isinstance(key.value, (str, int)):
                    path.append(key.value)
                    child = None if inside_key else value
                    break
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.items):
                if item.start <= position <= item.end:
                    path.append(index)
                    child = item
                    break
        node = child
    return path


def _node(root: Node, path: list[Any]) -> Node | None:
    node: Node | None = root
    for part in path:
        if isinstance(node, MappingNode):
            pair = node.get(part)
            node = pair[1] if pair is not None else None
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return None
    return node


def operation_at(root: Node, position: Position) -> ScopedOperation | None:
    """The operation whose layers hold `position` (the innermost one)."""
    path = path_at(root, position)
    owners: dict[tuple[Any, ...], ScopedOperation] = {}
    for op in operations(root.value):
        for layer_path, _ in op.layers:
            owners.setdefault(tuple(layer_path), op)
    for length in range(len(path), -1, -1):
        owner = owners.get(tuple(path[:length]))
        if owner is not None:
            return owner
    return None


def _starts_line(lines: list[str], node: Node) -> bool:
    start = node.start
    return 0 <= start.line < len(lines) and not lines[start.line][: start.column].strip()


def _last_line(node: Node) -> int:
    end = node.end
    return end.line if end.column > 0 else end.line - 1


def _append_item(lines: list[str], sequence: SequenceNode, item: str) -> Insertion | None:
    """`item` as a new last item of a sequence (block: a `- ` line; flow: `, item` before `]`)."""
    if sequence.flow:
        end = sequence.end
        text = f", {item}" if sequence.items else item
        return Insertion(Position(end.line, end.column - 1), text)
    if not sequence.items:
        return None
    first = sequence.items[0]
    line = lines[first.start.line] if 0 <= first.start.line < len(lines) else ""
    dash = line.rfind("-", 0, first.start.column)
    if dash < 0 or line[:dash].strip():
        return None
    last = _last_line(sequence.items[-1])
    return Insertion(Position(last, len(lines[last])), f"\n{' ' * dash}- {item}")


def _append_pair(lines: list[str], mapping: MappingNode, pair: str) -> Insertion | None:
    """`pair` (`key: value`) as a new last entry of a mapping, block or flow."""
    if mapping.flow:
        end = mapping.end
        return Insertion(Position(end.line, end.column - 1), f", {pair}" if mapping.pairs else pair)
    if not mapping.pairs or not _starts_line(lines, mapping.pairs[0][0]):
        return None
    column = mapping.pairs[0][0].start.column
    last = _last_line(mapping.pairs[-1][1])
    return Insertion(Position(last, len(lines[last])), f"\n{' ' * column}{pair}")


def _new_section(
    lines: list[str], mapping: MappingNode, key: str, body: str, before: tuple[str, ...]
) -> Insertion | None:
    """`key:` with `body` (one line, indented under it) as a new entry of a block mapping.

    Written before the first of the `before` keys the mapping has (`inputs` before `run`, as
    Polyaxon's examples order them), else after its last entry.
    """
    if mapping.flow or not mapping.pairs:
        return None
    keys = [pair_key for pair_key, _ in mapping.pairs if _starts_line(lines, pair_key)]
    if not keys:
        return None
    pad = " " * keys[0].start.column
    for pair_key in keys:
        if pair_key.value in before:
            return Insertion(Position(pair_key.start.line, 0), f"{pad}{key}:\n{pad}  {body}\n")
    last = _last_line(mapping.pairs[-1][1])
    return Insertion(Position(last, len(lines[last])), f"\n{pad}{key}:\n{pad}  {body}")


def declare_input(root: Node, lines: list[str], position: Position, name: str) -> Insertion | None:
    """Declare `name` as an input of the component of the operation at `position`."""
    op = operation_at(root, position)
    if op is None or not op.resolved or not op.layers:
        return None
    layer_path, layer = op.layers[0]  # the innermost layer: the component itself
    # An operation gives its inputs their values: a new required input would be an error there.
    item = f"{{name: {name}, type: str, isOptional: true}}" if op.is_operation else f"{{name: {name}, type: str}}"
    inputs = _node(root, [*layer_path, "inputs"])
    if isinstance(inputs, SequenceNode):
        return _append_item(lines, inputs, item)
    if "inputs" in layer:
        return None  # `inputs:` with no list under it: nothing safe to append to
    component = _node(root, layer_path)
    if not isinstance(component, MappingNode):
        return None
    return _new_section(lines, component, "inputs", f"- {item}", ("outputs", "run"))


def add_param(root: Node, lines: list[str], position: Position, name: str) -> Insertion | None:
    """Give the operation at `position` the param `name: {value: ...}` for its required input."""
    op = operation_at(root, position)
    if op is None or not op.is_operation:
        return None
    io = op.inputs.get(name)
    type_ = io.type if io is not None else None
    placeholder = PLACEHOLDERS.get(type_, '""') if isinstance(type_, str) else '""'
    if io is not None and io.is_list:
        placeholder = "[]"
    pair = f"{name}: {{value: {placeholder}}}"
    params = _node(root, [*op.path, "params"])
    if isinstance(params, MappingNode):
        return _append_pair(lines, params, pair)
    own = _node(root, op.path)
    if "params" in op.layers[-1][1] and not (isinstance(params, ScalarNode) and params.value is None):
        return None
    if isinstance(params, ScalarNode):  # `params:` with nothing under it
        key_line = params.start.line
        return Insertion(Position(key_line, len(lines[key_line])), f" {{{pair}}}")
    if not isinstance(own, MappingNode):
        return None
    return _new_section(lines, own, "params", pair, ("component", "run", "hubRef", "pathRef", "urlRef", "dagRef"))

"""Go to definition through `pathRef`: into the local file an operation's component is read from.

- On the `pathRef` value: the referenced file.
- On a param key of an operation whose component is a `pathRef`: the input or output of that
  name in the referenced file (its `name:` value).

The path is relative to the directory of the document, as Polyaxon reads it; the file is read
as the CLI reads one (sources.py: bounded, never a FIFO or a device). An unsaved document, a
missing or unreadable file, or a name the file does not declare gives no location.
"""

from __future__ import annotations

import os
from typing import Any

from lsprotocol import types as lsp

from ..diagnostics import Position, Range
from ..scope import ScopedOperation, operations
from .convert import lsp_range
from .documents import Document
from .name_fixes import path_at
from .names import Key, NameIndex, build
from .selection import uri_to_path


def _target_file(document: Document, target: str) -> str | None:
    if not document.uri.startswith("file:"):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(uri_to_path(document.uri)), target))


def _path_ref_op(ops: list[ScopedOperation], op_path: list[Any]) -> ScopedOperation | None:
    for op in ops:
        if op.path == op_path and op.component.how == "pathRef" and isinstance(op.component.target, str):
            return op
    return None


def path_ref_definition(document: Document, position: Position, encoding: str) -> list[lsp.Location] | None:
    root = document.parsed.root
    if root is None or not isinstance(root.value, dict):
        return None
    path = path_at(root, position)
    if path and path[-1] == "pathRef":
        op = _path_ref_op(operations(root.value), path[:-1])
        file = _target_file(document, op.component.target) if op is not None and op.component.target else None
        if file is None or not os.path.isfile(file):
            return None
        start = lsp.Position(0, 0)
        return [lsp.Location(uri=_file_uri(file), range=lsp.Range(start, start))]
    found = path_ref_declaration(document, position)
    if found is None:
        return None
    other, index, key = found
    where = index.symbols[key].range
    return None if where is None else [lsp.Location(uri=other.uri, range=lsp_range(other, where, encoding))]


def path_ref_declaration(document: Document, position: Position) -> tuple[Document, NameIndex, Key] | None:
    """For a param key of an operation whose component is a `pathRef`: the referenced file, its
    name index and the key of the input or output of that name there."""
    root = document.parsed.root
    if root is None or not isinstance(root.value, dict):
        return None
    path = path_at(root, position)
    if len(path) < 2 or path[-2] != "params" or not isinstance(path[-1], str):
        return None
    op = _path_ref_op(operations(root.value), path[:-2])
    if op is None or op.component.target is None:
        return None
    return _declaration_in(document, op.component.target, path[-1])


def _declaration_in(document: Document, target: str, name: str) -> tuple[Document, NameIndex, Key] | None:
    from ..sources import read_source
    from ..yamldoc import parse_document

    file = _target_file(document, target)
    if file is None:
        return None
    source = read_source(file)
    if source.text is None:
        return None
    other = Document(_file_uri(file), source.text, 0)
    index = build(parse_document(source.text))
    for key, symbol in index.symbols.items():
        top_level = symbol.kind in ("input", "output") and len(symbol.path) == 2  # the file's own inputs/outputs
        if top_level and symbol.name == name and isinstance(symbol.range, Range):
            return other, index, key
    return None


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).absolute().as_uri()

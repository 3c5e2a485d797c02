"""Document symbols (each init entry under its init list) and folding ranges for init entries.

Both read the core's exact tree; while the text does not parse (no tree), they read the tree
`tolerant_tree` builds instead, once per version, so the entries around an unclosed `{` or
quote keep their outline and folds.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ..yamldoc import MappingNode, Node
from .convert import lsp_range
from .documents import Document
from .entries import entry_label, init_lists, last_content_line


def _root(document: Document) -> Node | None:
    """The exact tree, or (the text does not parse) the tolerant one, built once per version."""
    root = document.parsed.root
    if root is not None:
        return root
    if "tolerant_root" not in document.cache:
        from .tolerant_tree import tolerant_root

        document.cache["tolerant_root"] = tolerant_root(document.lines)
    cached: Node | None = document.cache["tolerant_root"]
    return cached


def document_symbols(document: Document, encoding: str) -> list[lsp.DocumentSymbol]:
    symbols: list[lsp.DocumentSymbol] = []
    for found in init_lists(_root(document)):
        children: list[lsp.DocumentSymbol] = []
        for item in found.node.items:
            if not isinstance(item, MappingNode) or not item.pairs:
                continue
            label, key = entry_label(item)
            full = lsp_range(document, item.range, encoding)
            selection = lsp_range(document, key.range, encoding) if key is not None else full
            children.append(
                lsp.DocumentSymbol(
                    name=label, kind=lsp.SymbolKind.Object, range=full, selection_range=selection, children=[]
                )
            )
        list_range = lsp_range(document, found.key.range, encoding)
        full_range = lsp.Range(list_range.start, lsp_range(document, found.node.range, encoding).end)
        symbols.append(
            lsp.DocumentSymbol(
                name=".".join(str(part) for part in found.path),
                kind=lsp.SymbolKind.Array,
                detail=f"{len(children)} init entr{'y' if len(children) == 1 else 'ies'}",
                range=full_range,
                selection_range=list_range,
                children=children,
            )
        )
    return symbols


def folding_ranges(document: Document) -> list[lsp.FoldingRange]:
    ranges: list[lsp.FoldingRange] = []
    for found in init_lists(_root(document)):
        node = found.node
        last = last_content_line(document.lines, node)
        if last > found.key.start.line:
            ranges.append(lsp.FoldingRange(start_line=found.key.start.line, end_line=last, kind="region"))
        for item in node.items:
            if not isinstance(item, MappingNode):
                continue
            last = last_content_line(document.lines, item)
            if last > item.start.line:
                ranges.append(lsp.FoldingRange(start_line=item.start.line, end_line=last, kind="region"))
    return ranges

"""Document symbols and folding ranges.

The outline shows each init entry under its init list, and the sections of the polyaxonfile:
`inputs` / `outputs` (each by name, its type as detail), `params` (by name), the `run` (its
kind as detail) with its replicas (tfjob chief/ps/worker/evaluator, pytorchjob master/worker,
mpijob launcher/worker, daskcluster scheduler/worker, raycluster head and `workers.<name>`),
the DAG's operations and components by name (each with its own sections, recursively), and
the `matrix` (its kind, each parameter with its hp kind). Folding ranges are for init lists
and entries.

Both read the core's exact tree; while the text does not parse (no tree), they read the tree
`tolerant_tree` builds instead, once per version, so the entries around an unclosed `{` or
quote keep their outline and folds.
"""

from __future__ import annotations

from collections.abc import Iterator

from lsprotocol import types as lsp

from ..yamldoc import MappingNode, Node, ScalarNode, SequenceNode
from .convert import lsp_range
from .documents import Document
from .entries import entry_label, init_lists, last_content_line

#: The replica keys of each distributed run kind (Polyaxon 2.18's V1TFJob, V1PytorchJob, ...).
REPLICAS: dict[str, tuple[str, ...]] = {
    "tfjob": ("chief", "ps", "worker", "evaluator"),
    "pytorchjob": ("master", "worker"),
    "mpijob": ("launcher", "worker"),
    "daskcluster": ("scheduler", "worker"),
    "raycluster": ("head",),
}
#: Nesting of operations and components followed (a DAG of DAGs of ...); deeper ones are left out.
MAX_SECTION_DEPTH = 16


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
    root = _root(document)
    symbols = _init_symbols(document, root, encoding)
    if isinstance(root, MappingNode):
        symbols.extend(_Sections(document, encoding).of(root, 0))
    symbols.sort(key=lambda symbol: (symbol.selection_range.start.line, symbol.selection_range.start.character))
    return symbols


def _init_symbols(document: Document, root: Node | None, encoding: str) -> list[lsp.DocumentSymbol]:
    symbols: list[lsp.DocumentSymbol] = []
    for found in init_lists(root):
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


def _text(node: Node | None) -> str | None:
    """A scalar's value as text (None for collections, nulls and empty strings)."""
    if not isinstance(node, ScalarNode) or node.value is None or node.value == "":
        return None
    value = node.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _named(node: Node | None, *keys: str) -> Node | None:
    """The value of the first of `keys` set in mapping `node`."""
    if not isinstance(node, MappingNode):
        return None
    for key in keys:
        pair = node.get(key)
        if pair is not None:
            return pair[1]
    return None


def _named_items(value: Node) -> Iterator[tuple[MappingNode, Node, str]]:
    """(item, its `name` key, the name) for each mapping of a list that has a scalar `name`
    (inputs, outputs, DAG operations and components are listed by it)."""
    for item in value.items if isinstance(value, SequenceNode) else ():
        if not isinstance(item, MappingNode):
            continue
        pair = item.get("name")
        label = _text(pair[1]) if pair is not None else None
        if pair is not None and label is not None:
            yield item, pair[0], label


class _Sections:
    """Symbols for the sections of one polyaxonfile mapping (the root, an operation, a component)."""

    def __init__(self, document: Document, encoding: str) -> None:
        self.document = document
        self.encoding = encoding

    def symbol(
        self,
        name: str,
        kind: lsp.SymbolKind,
        key: Node,
        value: Node | None,
        detail: str | None = None,
        children: list[lsp.DocumentSymbol] | None = None,
        item: bool = False,
    ) -> lsp.DocumentSymbol:
        """A symbol for `key: value`, or (`item`) for the list item `value` named by its key `key`:
        the whole span, the key selected."""
        selection = lsp_range(self.document, key.range, self.encoding)
        span = lsp_range(self.document, (value or key).range, self.encoding)
        start = span.start if item else selection.start
        end = span.end
        if (end.line, end.character) < (selection.end.line, selection.end.character):
            end = selection.end
        full = lsp.Range(start, end)
        children = sorted(children or [], key=lambda c: (c.range.start.line, c.range.start.character))
        return lsp.DocumentSymbol(
            name=name, kind=kind, detail=detail, range=full, selection_range=selection, children=children
        )

    def of(self, mapping: MappingNode, depth: int) -> list[lsp.DocumentSymbol]:
        if depth > MAX_SECTION_DEPTH:
            return []
        found: list[lsp.DocumentSymbol] = []
        for key, value in mapping.pairs:
            name = key.value if isinstance(key, ScalarNode) else None
            if mapping.get(name) != (key, value):
                continue  # a duplicate key: the last one wins
            if name in ("inputs", "outputs"):
                found.append(self.io_list(str(name), key, value))
            elif name == "params" and isinstance(value, MappingNode):
                found.append(self.params(key, value))
            elif name == "run" and isinstance(value, MappingNode):
                found.append(self.run(key, value, depth))
            elif name == "matrix" and isinstance(value, MappingNode):
                found.append(self.matrix(key, value))
            elif name == "component" and isinstance(value, MappingNode):
                detail = _text(_named(value, "name"))
                found.append(
                    self.symbol("component", lsp.SymbolKind.Module, key, value, detail, self.of(value, depth + 1))
                )
        return found

    def io_list(self, name: str, key: Node, value: Node) -> lsp.DocumentSymbol:
        children = []
        for item, name_key, label in _named_items(value):
            kind_of = _text(_named(item, "type"))
            children.append(self.symbol(label, lsp.SymbolKind.Variable, name_key, item, kind_of, item=True))
        count = f"{len(children)} {name[:-1] if len(children) == 1 else name}"
        return self.symbol(name, lsp.SymbolKind.Array, key, value, count, children)

    def params(self, key: Node, value: MappingNode) -> lsp.DocumentSymbol:
        children = []
        for name_node, param in value.pairs:
            label = _text(name_node)
            if label is None:
                continue
            detail = _text(_named(param, "value"))
            ref = _text(_named(param, "ref"))
            if detail is None and ref is not None:
                detail = f"ref: {ref}"
            children.append(self.symbol(label, lsp.SymbolKind.Variable, name_node, param, detail))
        return self.symbol("params", lsp.SymbolKind.Object, key, value, None, children)

    def matrix(self, key: Node, value: MappingNode) -> lsp.DocumentSymbol:
        children = []
        params = _named(value, "params")
        if isinstance(params, MappingNode):
            for name_node, param in params.pairs:
                label = _text(name_node)
                if label is not None:
                    hp_kind = _text(_named(param, "kind"))
                    children.append(self.symbol(label, lsp.SymbolKind.Variable, name_node, param, hp_kind))
        return self.symbol("matrix", lsp.SymbolKind.Object, key, value, _text(_named(value, "kind")), children)

    def run(self, key: Node, value: MappingNode, depth: int) -> lsp.DocumentSymbol:
        kind = _text(_named(value, "kind"))
        children: list[lsp.DocumentSymbol] = []
        for replica in REPLICAS.get(kind or "", ()):
            pair = value.get(replica)
            if pair is not None:
                children.append(self.replica(replica, pair[0], pair[1]))
        if kind == "raycluster":
            workers = value.get("workers")
            if workers is not None and isinstance(workers[1], MappingNode):
                for name_node, replica_node in workers[1].pairs:
                    label = _text(name_node)
                    if label is not None:
                        children.append(self.replica(f"workers.{label}", name_node, replica_node))
        if kind == "dag":
            for section in ("operations", "components"):
                pair = value.get(section)
                if pair is not None and isinstance(pair[1], SequenceNode):
                    children.append(self.dag_list(section, pair[0], pair[1], depth))
        return self.symbol("run", lsp.SymbolKind.Class, key, value, kind, children)

    def replica(self, name: str, key: Node, value: Node) -> lsp.DocumentSymbol:
        replicas = _text(_named(value, "replicas"))
        detail = f"replicas: {replicas}" if replicas is not None else None
        return self.symbol(name, lsp.SymbolKind.Object, key, value, detail)

    def dag_list(self, section: str, key: Node, value: SequenceNode, depth: int) -> lsp.DocumentSymbol:
        children = []
        for item, name_key, label in _named_items(value):
            detail = None
            for ref in ("hubRef", "dagRef", "urlRef", "pathRef"):
                text = _text(_named(item, ref, _snake(ref)))
                if text is not None:
                    detail = f"{ref}: {text}"
                    break
            kind = lsp.SymbolKind.Function if section == "operations" else lsp.SymbolKind.Module
            children.append(self.symbol(label, kind, name_key, item, detail, self.of(item, depth + 1), item=True))
        count = f"{len(children)} {section[:-1] if len(children) == 1 else section}"
        return self.symbol(section, lsp.SymbolKind.Array, key, value, count, children)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


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

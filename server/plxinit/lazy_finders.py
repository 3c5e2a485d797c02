"""The rule finders that need modules costly to import, loaded only for a document that has what
they look at.

Importing dag_rules, io_values, params_rules, scope, templates and rendered costs ~13 ms, more
than validating a small file: most files have no DAG, no inputs, no params and no template, and
`plx-validate` starts afresh for each run. Each wrapper here answers for its finder: when the
document lacks everything the finder reads (a necessary condition, checked in one walk of the
loaded value), the finder could find nothing, so it is neither imported nor run; otherwise it
is imported and run unchanged, with whatever arguments the rule pass gives it. Once its module is
loaded, a finder runs on every document, gate or not: a long-lived language server soon has
them all, and walks nothing more.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

from .findings import Finding

#: The keys without which each finder finds nothing, wherever they are in the document.
IO_KEYS = frozenset({"inputs", "outputs"})
#: params_rules: every check reads an operation's params, inputs, outputs or matrix.
PARAMS_KEYS = frozenset({"inputs", "outputs", "params", "matrix"})


class _Features:
    """What one walk of a loaded value saw: every mapping key, and whether a string holds `{{`/`{%`."""

    def __init__(self, value: Any) -> None:
        self.keys: set[Any] = set()
        self.has_template = isinstance(value, str) and _holds_template(value)
        seen: set[int] = set()  # each container once: aliases share them, and may make cycles
        stack = [value] if isinstance(value, (dict, list)) else []
        while stack:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            children = item.values() if isinstance(item, dict) else item
            if isinstance(item, dict):
                self.keys.update(item)
                if not self.has_template:
                    self.has_template = any(isinstance(key, str) and _holds_template(key) for key in item)
            for child in children:
                if isinstance(child, str):
                    if not self.has_template and _holds_template(child):
                        self.has_template = True
                elif isinstance(child, (dict, list)):
                    stack.append(child)


def _holds_template(text: str) -> bool:
    return "{{" in text or "{%" in text


#: The last document walked, kept alive with its features so that its id cannot be reused:
#: the rule pass asks each finder in turn about the same loaded value.
_last: tuple[Any, _Features] | None = None


def _features(value: Any) -> _Features:
    global _last
    last = _last
    if last is not None and last[0] is value:
        return last[1]
    features = _Features(value)
    _last = (value, features)
    return features


def _composes_a_dag(document: Any) -> bool:
    """Whether the file's own run, or its inline component's, is a DAG (dag_rules.composed_dag needs it)."""
    if not isinstance(document, dict):
        return False
    owners = [document, document.get("component")]
    return any(
        isinstance(owner, dict) and isinstance(owner.get("run"), dict) and owner["run"].get("kind") == "dag"
        for owner in owners
    )


def _imported(module: str) -> bool:
    """Whether the finder's module is loaded already (by a finder, or by the language server):
    from then on the finder runs on every document, as without this module, and nothing is walked."""
    return f"{__package__}.{module}" in sys.modules


def _run(
    module: str, name: str, needed: Callable[[Any], bool], value: Any, args: Any, kwargs: Any
) -> Iterator[Finding]:
    if not _imported(module) and not needed(value):
        return iter(())
    finder: Callable[..., Iterator[Finding]] = getattr(importlib.import_module(f".{module}", __package__), name)
    return finder(value, *args, **kwargs)


def dag_findings(value: Any, *args: Any, **kwargs: Any) -> Iterator[Finding]:
    return _run("dag_rules", "dag_findings", _composes_a_dag, value, args, kwargs)


def io_value_findings(value: Any, *args: Any, **kwargs: Any) -> Iterator[Finding]:
    return _run("io_values", "io_value_findings", lambda v: bool(IO_KEYS & _features(v).keys), value, args, kwargs)


def params_findings(value: Any, *args: Any, **kwargs: Any) -> Iterator[Finding]:
    return _run("params_rules", "params_findings", lambda v: bool(PARAMS_KEYS & _features(v).keys), value, args, kwargs)


def rendered_template_findings(value: Any, *args: Any, **kwargs: Any) -> Iterator[Finding]:
    return _run("rendered", "rendered_template_findings", lambda v: _features(v).has_template, value, args, kwargs)

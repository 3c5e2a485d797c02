"""Turn jsonschema validation errors into one positioned diagnostic per root cause.

Each error is located in the YAML node tree through its instance path; the schema
objects along its schema path carry our annotations (`x-plx-code`, `errorMessage`,
`x-plx-severity`, `x-plx-target`), so the wording and the code come from the schema.
Unions (`anyOf`) are resolved to the branch that matches the value's shape, so users
never read "is not valid under any of the given schemas".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import schema as schemas
from .diagnostics import Diagnostic, Position, Range, Severity
from .locate import Located, PathPart, locate
from .messages import expected, join_choices, value_kind, yaml_reading_hint
from .yamldoc import MappingNode, Node, ScalarNode

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def _first_line_range(node: Node) -> Range:
    """A mapping or list can span many lines: underline only where it starts."""
    if isinstance(node, MappingNode) and node.pairs:
        first_key = node.pairs[0][0]
        return first_key.range
    if node.start.line == node.end.line:
        return node.range
    return Range(node.start, Position(node.start.line, node.start.column + 1))


def _label(path: Sequence[PathPart]) -> str:
    """How to name the value at `path` in a message: `connection`, item 2 of `files`."""
    if not path:
        return "The document"
    last = path[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
        if owner == "init":
            return f"Init entry {last + 1}"
        return f"Item {last + 1} of `{owner}`" if owner else f"Item {last + 1}"
    return f"`{last}`"


class ErrorMapper:
    """Maps the errors of one validation run onto the document's node tree."""

    def __init__(self, root: Node, document_path: Callable[[list[Any]], list[Any]] | None = None) -> None:
        self.root = root
        # maps an error's instance path to the document (the validated instance may omit entries)
        self._document_path = document_path or (lambda path: path)
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[tuple[str, Range, str]] = set()
        # entry path -> {handler key: key node}, collected from one-handler errors
        self._handler_clashes: dict[tuple[PathPart, ...], dict[str, Node]] = {}

    # ------------------------------------------------------------------ driver
    def add_errors(self, errors: Iterable[ValidationError]) -> None:
        for error in errors:
            self._map(error)

    def finish(self) -> list[Diagnostic]:
        self._emit_handler_clashes()
        return self.diagnostics

    def _emit(
        self,
        range_: Range,
        severity: Severity,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        key = (code, range_, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.diagnostics.append(Diagnostic(range_, severity, code, message, data or {}))

    # ------------------------------------------------------------------ dispatch
    def _map(self, error: ValidationError) -> None:
        chain = list(schemas.walk_schema_path(error.absolute_schema_path))
        severity = Severity.ERROR
        if any(isinstance(s, dict) and s.get("x-plx-severity") == "warning" for s in chain):
            severity = Severity.WARNING
        annotated = next((s for s in reversed(chain) if isinstance(s, dict) and "x-plx-code" in s), None)
        path = self._document_path(list(error.absolute_path))
        if annotated is not None:
            self._map_annotated(error, annotated, path, severity)
            return
        if "propertyNames" in error.absolute_schema_path and error.validator != "propertyNames":
            self._on_property_name(error, path, severity)
            return
        handler = getattr(self, f"_on_{error.validator}", None)
        if handler is None:
            self._on_generic(error, path, severity)
        else:
            handler(error, path, severity)

    # ------------------------------------------------------------------ annotated rules
    def _map_annotated(
        self, error: ValidationError, annotated: dict[str, Any], path: list[PathPart], severity: Severity
    ) -> None:
        code = annotated["x-plx-code"]
        schema_path = list(error.absolute_schema_path)
        if code == "one-handler":
            self._collect_handler_clash(schema_path, path)
            return
        located = locate(self.root, path)
        key_name = None
        if "dependentSchemas" in schema_path:
            # the rule belongs to a key of the mapping at `path`
            key_name = schema_path[len(schema_path) - 1 - schema_path[::-1].index("dependentSchemas") + 1]
            pair = located.value.get(key_name) if isinstance(located.value, MappingNode) else None
            target = pair[0] if pair else located.value
        elif annotated.get("x-plx-target") == "key" and located.key is not None:
            target = located.key
        elif error.validator == "propertyNames":
            target = self._key_node(located.value, error.instance) or located.value
        else:
            target = located.value
        value = error.instance
        if code == "git-source":
            message = self._git_source_message(located)
        else:
            template = annotated.get("errorMessage") or error.message
            message = template.replace("{value}", str(value)).replace("{key}", str(key_name or ""))
        data: dict[str, Any] = {}
        if code == "unknown-key" and error.validator == "propertyNames" and isinstance(value, str):
            suggestion = _camel_case(value)
            data = {"suggestion": suggestion}
            message += f" Did you mean `{suggestion}`?"
        range_ = _first_line_range(target) if target is not None else _doc_start()
        self._emit(range_, severity, code, message, data)

    @staticmethod
    def _git_source_message(located: Located) -> str:
        form = "template" if isinstance(located.value, ScalarNode) else "mapping"
        return schemas.rule_message(f"git-source-{form}")

    def _collect_handler_clash(self, schema_path: list[Any], path: list[PathPart]) -> None:
        index = len(schema_path) - 1 - schema_path[::-1].index("dependentSchemas")
        first = schema_path[index + 1]
        entry_path = tuple(path[:-1])
        entry = locate(self.root, entry_path).value
        if not isinstance(entry, MappingNode):
            return
        clash = self._handler_clashes.setdefault(entry_path, {})
        for name in (first, path[-1]):
            pair = entry.get(name)
            if pair is not None:
                clash[str(name)] = pair[0]

    def _emit_handler_clashes(self) -> None:
        for keys in self._handler_clashes.values():
            ordered = sorted(keys.items(), key=lambda item: (item[1].start.line, item[1].start.column))
            first_name = ordered[0][0]
            for name, key_node in ordered[1:]:
                message = schemas.rule_message("one-handler", first=first_name, second=name)
                self._emit(
                    key_node.range,
                    Severity.ERROR,
                    "one-handler",
                    message,
                    {"handlers": [first_name, name]},
                )

    # ------------------------------------------------------------------ keywords
    def _on_additionalProperties(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        mapping = located.value
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        suggestions = schemas.canonical_keys(schema)
        where = _where(schema, path)
        for key in error.instance:
            if key in allowed:
                continue
            key_node = self._key_node(mapping, key)
            if key_node is None:
                continue
            self._unknown_key(key, key_node, suggestions, where, severity)

    def _unknown_key(self, key: Any, key_node: Node, allowed: list[str], where: str, severity: Severity) -> None:
        shown = key_node.source if isinstance(key_node, ScalarNode) else str(key)
        suggestion = _did_you_mean(str(key), allowed)
        message = f"Unknown key `{shown}` {where}."
        data: dict[str, Any] = {}
        if suggestion:
            message += f" Did you mean `{suggestion}`?"
            data["suggestion"] = suggestion
        elif 0 < len(allowed) <= 30:
            message += f" Expected one of: {', '.join(allowed)}."
        self._emit(key_node.range, severity, "unknown-key", message, data)

    def _on_property_name(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        """A key rejected by `propertyNames` (jsonschema reports the inner keyword's failure)."""
        located = locate(self.root, path)
        key_node = self._key_node(located.value, error.instance)
        if key_node is None:
            return
        schema_path = list(error.absolute_schema_path)
        chain = list(schemas.walk_schema_path(schema_path[: schema_path.index("propertyNames")]))
        parent_schema = schemas.deref(chain[-1]) if chain and isinstance(chain[-1], dict) else {}
        where = f"in {_label(path)}" if path else "at the top level"
        if not isinstance(error.instance, str):
            written = key_node.source if isinstance(key_node, ScalarNode) else error.instance
            message = f"Keys {where} must be strings; YAML reads `{written}` as {value_kind(error.instance)}."
            self._emit(key_node.range, Severity.ERROR, "type", message)
            return
        # container keys: Kubernetes field names in camelCase or snake_case
        allowed = [k for k in schemas.canonical_keys(parent_schema.get("allOf", [{}])[0]) if k]
        if not isinstance(parent_schema.get("allOf"), list):
            allowed = schemas.canonical_keys(parent_schema)
        self._unknown_key(error.instance, key_node, allowed, where, Severity.ERROR)

    def _on_required(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        range_ = located.key.range if located.key is not None else _first_line_range(located.value or self.root)
        for name in missing:
            owner = _label(path) if path else "The document"
            message = f"{owner} is missing the required key `{name}`."
            self._emit(range_, severity, "required", message, {"missing": name})

    def _on_type(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        wanted = expected(error.schema)
        self._type_message(located, path, wanted, error.instance, severity)

    def _type_message(
        self, located: Located, path: list[PathPart], wanted: list[str], value: Any, severity: Severity
    ) -> None:
        node = located.value
        got = value_kind(value)
        if isinstance(value, str) and any("template" in w for w in wanted):
            got = "a plain string"
        elif isinstance(value, str) and _TEMPLATE.search(value):
            got = "a `{{ ... }}` template (templates are not accepted here)"
        shown = wanted or ["another type"]
        message = f"{_label(path)} must be {join_choices(shown)}, not {got}."
        hint = yaml_reading_hint(node, any(w.startswith("a string") or w == "a string" for w in shown))
        data: dict[str, Any] = {}
        if hint:
            message += hint
            data["quote"] = True
        elif isinstance(value, str) and _looks_numeric(value) and any(w.startswith("an integer") for w in shown):
            message += f" Remove the quotes: {value.strip()}."
        target = node or self.root
        self._emit(_first_line_range(target), severity, "type", message, data)

    def _on_enum(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        schema = schemas.deref(error.schema) if isinstance(error.schema, dict) else {}
        removed = schema.get("x-plx-removed", {}) if isinstance(schema, dict) else {}
        values = [v for v in error.validator_value if v is not None]
        message = f"{_label(path)} cannot be `{error.instance}`: expected one of {', '.join(map(str, values))}."
        if isinstance(error.instance, str) and error.instance in removed:
            message = f"{removed[error.instance]} Supported kinds: {', '.join(map(str, values))}."
        elif isinstance(error.instance, str):
            close = _did_you_mean(error.instance, [str(v) for v in values])
            if close:
                message += f" Did you mean `{close}`?"
        self._emit(_first_line_range(located.value or self.root), severity, "invalid-value", message)

    _on_const = _on_enum

    def _on_minLength(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        self._emit(
            _first_line_range(located.value or self.root),
            severity,
            "invalid-value",
            f"{_label(path)} must not be empty.",
        )

    def _on_multipleOf(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        self._emit(
            _first_line_range(located.value or self.root),
            severity,
            "invalid-value",
            f"{_label(path)} must be a whole number, not {error.instance!r}.",
        )

    def _on_anyOf(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        branches = error.validator_value
        value_type = schemas.json_type(error.instance)
        matching = [index for index, branch in enumerate(branches) if value_type in schemas.shape_types(branch)]
        located = locate(self.root, path)
        non_template = [i for i in matching if not schemas.is_template_schema(branches[i])]
        if len(non_template) == 1:
            chosen = non_template[0]
            sub_errors = [e for e in error.context or [] if e.relative_schema_path[0] == chosen]
            if sub_errors:
                for sub in sub_errors:
                    self._map(sub)
                return
        wanted: list[str] = []
        for branch in branches:
            wanted.extend(expected(branch))
        if matching and not non_template and value_type == "string":
            self._type_message(located, path, wanted, error.instance, severity)
            return
        if not matching:
            self._type_message(located, path, wanted, error.instance, severity)
            return
        message = f"{_label(path)} cannot be `{error.instance}`: expected {join_choices(wanted)}."
        self._emit(_first_line_range(located.value or self.root), severity, "invalid-value", message)

    _on_oneOf = _on_anyOf

    def _on_generic(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        message = f"{_label(path)}: {error.message}"
        self._emit(_first_line_range(located.value or self.root), severity, "invalid-value", message)

    def _on_pattern(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        message = f"{_label(path)} cannot be `{error.instance}`."
        self._emit(_first_line_range(located.value or self.root), severity, "invalid-value", message)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _key_node(mapping: Node | None, key: Any) -> Node | None:
        if not isinstance(mapping, MappingNode):
            return None
        pair = mapping.get(key)
        return pair[0] if pair else None


def _doc_start() -> Range:
    return Range(Position(0, 0), Position(0, 1))


def _where(schema: dict[str, Any], path: Sequence[PathPart]) -> str:
    title = schema.get("title") if isinstance(schema, dict) else None
    if title:
        return f"in {title}" if not title[0].isupper() else f"in {title[0].lower()}{title[1:]}"
    return f"in {_label(path)}" if path else "at the top level"


def _did_you_mean(word: str, candidates: Sequence[str]) -> str | None:
    lowered = {c.lower(): c for c in candidates}
    if word.lower() in lowered:
        return lowered[word.lower()]
    camel = _camel_case(word)
    if camel in candidates:
        return camel
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def _camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_TEMPLATE = re.compile(r"\{\{\s*.+\s*\}\}")


def _looks_numeric(value: str) -> bool:
    stripped = value.strip()
    return stripped.lstrip("+-").isdigit()

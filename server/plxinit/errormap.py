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

import yaml

from . import schema as schemas
from .diagnostics import Diagnostic, Position, Range, Related, Severity
from .locate import Located, PathPart, UseSite, key_node_site, locate
from .messages import (
    clip,
    expected,
    is_init_entry,
    join_choices,
    key_text,
    label,
    number_text,
    split_properties,
    value_kind,
    yaml_reading_hint,
    yaml_text,
)
from .overflow import Overflow
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


Placement = tuple[Range, tuple[Related, ...]]


def _placed(site: UseSite | None, defined: Range) -> Placement:
    """Report at the use site (an alias, a `<<`) when there is one, pointing at the definition."""
    if site is None:
        return defined, ()
    return site.range, (Related(defined, site.explanation()),)


Accepts = Callable[[Any, Any], bool]

#: `data` keys that drive a quick fix editing the text at the diagnostic's range.
_IN_PLACE_FIXES = ("suggestion", "quote", "handlers")


def _accepts_nothing(_schema: Any, _value: Any) -> bool:
    return False


class ErrorMapper:
    """Maps the errors of one validation run onto the document's node tree.

    `accepts(schema, value)` says whether a sub-schema takes a value; advice such as
    "quote it" is given only when the value it leads to is accepted.
    """

    def __init__(
        self,
        root: Node,
        document_path: Callable[[list[Any]], list[Any]] | None = None,
        accepts: Accepts = _accepts_nothing,
        limit: int | None = None,
    ) -> None:
        self.root = root
        # maps an error's instance path to the document (the validated instance may omit entries)
        self._document_path = document_path or (lambda path: path)
        self._accepts = accepts
        self.diagnostics: list[Diagnostic] = []
        # past `limit` diagnostics, problems are only counted (300,000 unknown keys would take
        # minutes to word and tens of megabytes to print)
        self.limit = limit
        self.overflow = Overflow()
        self._seen: set[tuple[str, Range, str]] = set()
        # entry path -> {handler key: (where it is seen, key node)}, collected from one-handler errors
        self._handler_clashes: dict[tuple[PathPart, ...], dict[str, tuple[Placement, Node]]] = {}
        # "`lr`: " while mapping an error inside hyperparameter `lr` (see _hyperparameter_prefix)
        self._prefix = ""

    # ------------------------------------------------------------------ driver
    def add_errors(self, errors: Iterable[ValidationError]) -> None:
        errors = list(errors)
        # A value of the wrong type also fails the `enum`/`const` beside its `type` (an empty
        # `imagePullPolicy:` is neither a string nor one of the values): the type error says
        # both, so the enum error is one cause said twice.
        typed = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
        # A key that no schema of its mapping knows is one "Unknown key" (with its did-you-mean),
        # even when a `propertyNames` rule of the same mapping (camelCase sections) rejects it too.
        unknown = {(tuple(error.absolute_path), key) for error in errors for key in _extra_keys(error)}
        for error in errors:
            if error.validator in ("enum", "const") and tuple(error.absolute_path) in typed:
                continue
            if _names_a_key(error) and (tuple(error.absolute_path), error.instance) in unknown:
                continue
            self._map(error)

    def finish(self) -> list[Diagnostic]:
        self._emit_handler_clashes()
        return self.diagnostics

    def _emit(
        self,
        placement: Placement,
        severity: Severity,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        range_, related = placement
        key = (code, range_, message)
        if key in self._seen:
            return
        if self.full:
            self.overflow.add(range_, severity)
            return
        self._seen.add(key)
        if self._prefix and not message.startswith((self._prefix, self._prefix[:-2])):
            message = self._prefix + message[:1].lower() + message[1:]
        data = data or {}
        if related:
            # reported at an alias or a `<<` (the only related places here): a fix that edits the
            # text at the range would edit `*v` or `<<`, not the value; the message says what to do
            data = {name: value for name, value in data.items() if name not in _IN_PLACE_FIXES}
        self.diagnostics.append(Diagnostic(range_, severity, code, message, data, related))

    @property
    def full(self) -> bool:
        """Whether the limit is reached: further problems are only counted."""
        return self.limit is not None and len(self.diagnostics) >= self.limit

    # ------------------------------------------------------------------ where to report
    def _place(self, located: Located, target: Node | None = None) -> Placement:
        """Where to report a problem with `target` (by default the located value)."""
        node = target if target is not None else located.value
        defined = _first_line_range(node if node is not None else self.root)
        return _placed(located.site, defined)

    def _key_place(self, located: Located, key: Any) -> tuple[Placement, Node] | None:
        """Where to report a problem with the key `key` of the located mapping, and its node."""
        mapping = located.value
        if not isinstance(mapping, MappingNode):
            return None
        pair = mapping.get(key)
        if pair is None:
            return None
        site = located.site or key_node_site(mapping, key)
        return _placed(site, pair[0].range), pair[0]

    # ------------------------------------------------------------------ dispatch
    def _map(self, error: ValidationError) -> None:
        chain = list(schemas.walk_schema_path(error.absolute_schema_path))
        severity = Severity.ERROR
        if any(isinstance(s, dict) and s.get("x-plx-severity") == "warning" for s in chain):
            severity = Severity.WARNING
        annotated = next((s for s in reversed(chain) if isinstance(s, dict) and "x-plx-code" in s), None)
        path = self._document_path(list(error.absolute_path))
        outer = self._prefix
        self._prefix = _hyperparameter_prefix(path)
        try:
            self._dispatch(error, annotated, path, severity)
        finally:
            self._prefix = outer

    def _dispatch(
        self, error: ValidationError, annotated: dict[str, Any] | None, path: list[PathPart], severity: Severity
    ) -> None:
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
        placement: Placement | None = None
        if "dependentSchemas" in schema_path:
            # the rule belongs to a key of the mapping at `path`
            key_name = schema_path[len(schema_path) - 1 - schema_path[::-1].index("dependentSchemas") + 1]
            found = self._key_place(located, key_name)
            placement = found[0] if found else None
        elif annotated.get("x-plx-target") == "key" and path:
            found = self._key_place(locate(self.root, path[:-1]), path[-1])
            placement = found[0] if found else None
        elif _names_a_key(error):
            # the error is about a key of the mapping at `path` (the inner keyword of `propertyNames`)
            found = self._key_place(located, error.instance)
            placement = found[0] if found else None
        if placement is None:
            placement = self._place(located)
        if code == "git-source":
            message = self._git_source_message(located)
        else:
            template = annotated.get("errorMessage") or error.message
            if "{param}" in template:
                self._prefix = ""  # the message names the hyperparameter where its author put it
            message = _fill(template, error.instance, key_name, hyperparameter(path))
        data: dict[str, Any] = {}
        if code == "unknown-key" and _names_a_key(error):
            suggestion = _camel_case(error.instance)
            if suggestion != error.instance and not _present(located.value, suggestion, error.instance):
                data = {"suggestion": suggestion}
                message += f" Did you mean `{clip(suggestion)}`?"
        self._emit(placement, severity, code, message, data)

    @staticmethod
    def _git_source_message(located: Located) -> str:
        form = "template" if isinstance(located.value, ScalarNode) else "mapping"
        return schemas.rule_message(f"git-source-{form}")

    def _collect_handler_clash(self, schema_path: list[Any], path: list[PathPart]) -> None:
        index = len(schema_path) - 1 - schema_path[::-1].index("dependentSchemas")
        first = schema_path[index + 1]
        entry_path = tuple(path[:-1])
        located = locate(self.root, entry_path)
        clash = self._handler_clashes.setdefault(entry_path, {})
        for name in (first, path[-1]):
            found = self._key_place(located, name)
            if found is not None:
                clash[str(name)] = found

    def _emit_handler_clashes(self) -> None:
        for keys in self._handler_clashes.values():
            if not keys:
                continue
            # in the order the user reads them in the entry (a merged key where its `<<` is)
            ordered = sorted(keys.items(), key=lambda item: (item[1][0][0].start, item[1][1].start))
            first_name = ordered[0][0]
            for name, (placement, _key_node) in ordered[1:]:
                if _camel_case(name) == _camel_case(first_name):
                    continue  # `modelRef` and `model_ref`: one handler twice, which the alias rule reports
                message = schemas.rule_message("one-handler", first=first_name, second=name)
                self._emit(placement, Severity.ERROR, "one-handler", message, {"handlers": [first_name, name]})

    # ------------------------------------------------------------------ keywords
    def _on_additionalProperties(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        suggestions = schemas.canonical_keys(schema)
        where = _where(schema, path)
        for key in error.instance:
            if key in allowed:
                continue
            found = self._key_place(located, key)
            if found is not None:
                self._unknown_key(key, found, suggestions, where, severity, error.instance)

    def _unknown_key(
        self,
        key: Any,
        found: tuple[Placement, Node],
        allowed: list[str],
        where: str,
        severity: Severity,
        mapping: Any,
    ) -> None:
        placement, key_node = found
        if self.full:  # skip the wording (a did-you-mean costs a fuzzy match per key)
            self.overflow.add(placement[0], severity)
            return
        shown = key_text(key_node, key)
        suggestion = _did_you_mean(str(key), allowed) if isinstance(key, str) and len(key) <= 200 else None
        message = f"Unknown key `{shown}` {where}."
        data: dict[str, Any] = {}
        if suggestion and _present(mapping, suggestion, key):
            # never advise a key the mapping already has (`{filename: a, filname: b}`): renaming
            # would make a duplicate; say why the near-miss is wrong instead
            message += f" `{suggestion}` is already set."
        elif suggestion:
            message += f" Did you mean `{suggestion}`?"
            data["suggestion"] = suggestion
        elif 0 < len(allowed) <= 30:
            message += f" Expected one of: {', '.join(allowed)}."
        self._emit(placement, severity, "unknown-key", message, data)

    def _on_property_name(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        """A key rejected by `propertyNames` (jsonschema reports the inner keyword's failure)."""
        located = locate(self.root, path)
        found = self._key_place(located, error.instance)
        if found is None:
            return
        placement, key_node = found
        schema_path = list(error.absolute_schema_path)
        chain = list(schemas.walk_schema_path(schema_path[: schema_path.index("propertyNames")]))
        parent_schema = schemas.deref(chain[-1]) if chain and isinstance(chain[-1], dict) else {}
        where = f"in {label(path, capital=False)}" if path else "at the top level"
        if not isinstance(error.instance, str):
            written = key_text(key_node, error.instance)
            message = f"Keys {where} must be strings; YAML reads `{written}` as {value_kind(error.instance)}."
            self._emit(placement, Severity.ERROR, "type", message)
            return
        # container keys: Kubernetes field names in camelCase or snake_case
        allowed = [k for k in schemas.canonical_keys(parent_schema.get("allOf", [{}])[0]) if k]
        if not isinstance(parent_schema.get("allOf"), list):
            allowed = schemas.canonical_keys(parent_schema)
        self._unknown_key(error.instance, found, allowed, where, Severity.ERROR, located.value)

    def _on_required(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        if located.site is None and located.key is not None:
            placement: Placement = (located.key.range, ())
        else:
            placement = self._place(located)
        for name in missing:
            message = f"{label(path)} is missing the required key `{name}`."
            self._emit(placement, severity, "required", message, {"missing": name})

    def _on_type(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        wanted = expected(error.schema)
        self._type_message(located, path, wanted, error.instance, severity, error.schema)

    def _type_message(
        self,
        located: Located,
        path: list[PathPart],
        wanted: list[str],
        value: Any,
        severity: Severity,
        schema: Any,
    ) -> None:
        node = located.value
        got = value_kind(value)
        if isinstance(value, str) and any("template" in w for w in wanted):
            got = "a plain string"
        elif isinstance(value, str) and _is_template(value):
            got = "a `{{ ... }}` template (templates are not accepted here)"
        shown = wanted or ["another type"]
        message = f"{label(path)} must be {join_choices(shown)}, not {got}."
        defined_on_line = node.start.line + 1 if located.site is not None and node is not None else None
        hint = yaml_reading_hint(
            node,
            any(w.startswith("a string") for w in shown),
            lambda candidate: self._accepts(schema, candidate),
            defined_on_line,
        )
        data: dict[str, Any] = {}
        if hint.text:
            message += hint.text
            if hint.quote:
                data["quote"] = True
        elif any(w.startswith("an integer") for w in shown):
            unquoted = self._unquoted_integer(node, schema)
            if unquoted is not None and defined_on_line is not None:
                message += f" Remove the quotes where it is defined (line {defined_on_line}): {unquoted}."
            elif unquoted is not None:
                message += f" Remove the quotes: {unquoted}."
        self._emit(self._place(located), severity, "type", message, data)

    def _unquoted_integer(self, node: Node | None, schema: Any) -> str | None:
        """The text of a quoted number without its quotes, when YAML would read that as an accepted int."""
        if not isinstance(node, ScalarNode) or node.style not in ("'", '"') or not isinstance(node.value, str):
            return None
        properties, _written = split_properties(node.source)
        text = node.value.strip()
        if properties or not _looks_numeric(text) or len(text) > 100:
            return None
        # `0755` unquoted is 493, not 755: advise only when YAML reads the number the user wrote
        read = yaml.safe_load(text)
        if type(read) is not int or read != int(text, 10) or not self._accepts(schema, read):
            return None
        return text

    def _on_enum(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        schema = schemas.deref(error.schema) if isinstance(error.schema, dict) else {}
        removed = schema.get("x-plx-removed", {}) if isinstance(schema, dict) else {}
        listed = error.validator_value if error.validator == "enum" else [error.validator_value]
        values = [v for v in listed if v is not None]
        choices = ", ".join(yaml_text(v) for v in values)
        wanted = f"one of {choices}" if len(values) > 1 else choices
        message = f"{label(path)} cannot be `{yaml_text(error.instance)}`: expected {wanted}."
        if isinstance(error.instance, str) and error.instance in removed:
            message = f"{removed[error.instance]} Supported kinds: {choices}."
        elif isinstance(error.instance, str) and len(error.instance) <= 200:
            close = _did_you_mean(error.instance, [str(v) for v in values])
            if close:
                message += f" Did you mean `{close}`?"
        self._emit(self._place(located), severity, "invalid-value", message)

    _on_const = _on_enum

    def _on_minLength(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        limit = error.validator_value
        if limit == 1:
            message = f"{label(path)} must not be empty."
        else:
            message = f"{label(path)} must be at least {number_text(limit)} characters long."
        self._emit(self._place(located), severity, "invalid-value", message)

    def _on_multipleOf(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        shown = yaml_text(error.instance)
        if error.validator_value == 1:
            message = f"{label(path)} must be a whole number, not {shown}."
        else:
            message = f"{label(path)} must be a multiple of {number_text(error.validator_value)}, not {shown}."
        self._emit(self._place(located), severity, "invalid-value", message)

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
                self.add_errors(sub_errors)
                return
        wanted: list[str] = []
        for branch in branches:
            wanted.extend(expected(branch))
        if not matching or (not non_template and value_type == "string"):
            self._type_message(located, path, wanted, error.instance, severity, error.schema)
            return
        message = f"{label(path)} cannot be `{yaml_text(error.instance)}`: expected {join_choices(wanted)}."
        self._emit(self._place(located), severity, "invalid-value", message)

    _on_oneOf = _on_anyOf

    def _on_pattern(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        located = locate(self.root, path)
        message = f"{label(path)} cannot be `{yaml_text(error.instance)}`."
        self._emit(self._place(located), severity, "invalid-value", message)

    def _on_generic(self, error: ValidationError, path: list[PathPart], severity: Severity) -> None:
        """Keywords the schema uses without an annotation; worded here, never jsonschema's repr."""
        located = locate(self.root, path)
        self._emit(self._place(located), severity, "invalid-value", _generic_message(error, label(path)))


_PLACEHOLDER = re.compile(r"\{(value|key|param)\}")


def _fill(template: str, value: Any, key_name: Any, param: str | None) -> str:
    """An `errorMessage` with its placeholders filled in one pass (a value that contains
    `{param}` stays as written): `{value}` the value, `{key}` the rule's key, `{param}` the
    hyperparameter the error is in."""
    if param is None:  # unreachable through the schema (hyperparameters only live in params)
        template = template.replace("`{param}`: ", "").replace("{param}", "the hyperparameter")
        template = template[:1].upper() + template[1:]
    filled = {"value": yaml_text(value), "key": str(key_name or ""), "param": param or ""}
    return _PLACEHOLDER.sub(lambda match: filled[match.group(1)], template)


def hyperparameter(path: Sequence[PathPart]) -> str | None:
    """The name of the hyperparameter at or above `path` (`lr` for `matrix.params.lr.value[0]`)."""
    found = _hyperparameter_index(path)
    if found is None:
        return None
    name = path[found]
    return clip(name) if isinstance(name, str) else yaml_text(name)


def _hyperparameter_index(path: Sequence[PathPart]) -> int | None:
    # the last `matrix.params` pair: a DAG operation's matrix sits below the file's keys, and a
    # hyperparameter may itself be named `matrix` or `params`
    for index in range(len(path) - 2, 0, -1):
        if path[index] == "params" and path[index - 1] == "matrix":
            return index + 1
    return None


def _hyperparameter_prefix(path: Sequence[PathPart]) -> str:
    """ "`lr`: " for an error at or below hyperparameter `lr`, so that every message names it
    (`_emit` leaves out the prefix of a message about `lr` itself that starts with its name)."""
    if _hyperparameter_index(path) is None:
        return ""
    return f"`{hyperparameter(path)}`: "


def _generic_message(error: ValidationError, name: str) -> str:
    keyword, limit = error.validator, error.validator_value
    shown = yaml_text(error.instance)
    if keyword in ("maxLength", "maxItems") and limit == 0:
        return f"{name} must be empty, not `{shown}`."
    if keyword == "maxLength":
        return f"{name} must be at most {number_text(limit)} characters long."
    if keyword in ("maxItems", "minItems"):
        bound = "at most" if keyword == "maxItems" else "at least"
        return f"{name} must have {bound} {number_text(limit)} item{'' if limit == 1 else 's'}."
    bounds = {
        "minimum": "at least",
        "exclusiveMinimum": "more than",
        "maximum": "at most",
        "exclusiveMaximum": "less than",
    }
    if keyword in bounds:
        return f"{name} must be {bounds[keyword]} {number_text(limit)}, not {shown}."
    if keyword == "uniqueItems":
        return f"{name} must not repeat an item."
    if keyword in ("not", "False", "false"):
        return f"{name} cannot be `{shown}` here."
    return f"{name} cannot be `{shown}`."


def _where(schema: dict[str, Any], path: Sequence[PathPart]) -> str:
    """'in init entry 1 (`run.init[0]`)', 'in artifacts handler', 'at the top level'."""
    if is_init_entry(path):
        return f"in {label(path, capital=False)}"
    title = schema.get("title") if isinstance(schema, dict) else None
    if title:
        return f"in {title}" if not title[0].isupper() else f"in {title[0].lower()}{title[1:]}"
    return f"in {label(path, capital=False)}" if path else "at the top level"


def _names_a_key(error: ValidationError) -> bool:
    """Whether the error is a key's (a `propertyNames` rule, whose inner keyword fails on the key)."""
    return "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str)


def _extra_keys(error: ValidationError) -> list[Any]:
    """The keys an `additionalProperties` error is about (those its schema's `properties` lack)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [key for key in error.instance if key not in known]


def _present(mapping: Any, key: str, unknown: Any) -> bool:
    """Whether `mapping` (a loaded dict or a mapping node) has `key` (camelCase or snake_case)
    in another key than the `unknown` one the suggestion would replace."""
    keys = mapping.by_key if isinstance(mapping, MappingNode) else mapping
    if not isinstance(keys, dict):
        return False
    return any(k != unknown and isinstance(k, str) and key in (k, _camel_case(k)) for k in keys)


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


def _is_template(value: str) -> bool:
    """Whether a string holds a `{{ ... }}` template; only for the wording of a message, so a long
    string is only looked at in its start (the pattern takes quadratic time on many braces)."""
    return "{{" in value and "}}" in value and bool(_TEMPLATE.search(value[:2_000]))


def _looks_numeric(value: str) -> bool:
    stripped = value.strip()
    return stripped.lstrip("+-").isdigit()

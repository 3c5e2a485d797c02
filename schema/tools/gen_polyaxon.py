"""Generate the structural JSON Schema `$defs` of every Polyaxon model a polyaxonfile can hold.

Walks pydantic-core's `__pydantic_core_schema__` of `V1Polyaxonfile`, `V1Component` and
`V1Operation` (every model they reach), and writes `schema/generated/polyaxon.json`
(then `schema/tools/build.py` combines it with the hand-kept overlay):

* one def per model, named exactly after the class (`V1IO`, `V1HpChoice`, ...), with
  `x-plx-model`, `type: object`, `properties` keyed by the YAML name (the camelCase alias),
  the snake_case field names as alias properties, `required` and `additionalProperties: false`;
* one def per discriminated union on `kind` (`union-run`, `union-matrix`, `union-hp`, ...),
  dispatching with `if`/`then` on `kind`;
* the shared scalar defs `pydantic-lax-int`, `pydantic-lax-float`, `pydantic-lax-bool`,
  `pydantic-datetime`, `pydantic-date`, `pydantic-timedelta`: what pydantic v2 accepts in lax
  mode from the values `yaml.safe_load` produces.

Kubernetes objects become `$ref`s to the `k8s-*` defs of `schema/generated/kubernetes.json`
(and `V1Container` to the hand-kept `container` def); a `RefField` becomes `#/$defs/template`.
Custom validators (the semantic rules) are not modelled here: the overlay adds them. The
before-validators that change what a field accepts (`tags` as a comma-separated string, the short
form of a param) are applied, since they are part of the field's structure.

Run with the oracle venv (polyaxon 2.18.0):

    .venv-oracle/bin/python schema/tools/gen_polyaxon.py          # write the generated part
    .venv-oracle/bin/python schema/tools/gen_polyaxon.py --check  # fail if it is stale
"""

from __future__ import annotations

import enum
import json
import os
import sys
import warnings
from typing import Any

warnings.filterwarnings("ignore")

from polyaxon._flow.polyaxonfile import V1Component, V1Operation, V1Polyaxonfile  # noqa: E402
from pydantic import BaseModel  # noqa: E402

SCHEMA_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED = os.path.join(SCHEMA_DIR, "generated", "polyaxon.json")
ROOTS = [V1Polyaxonfile, V1Component, V1Operation]

TEMPLATE = {"$ref": "#/$defs/template"}
NULL = {"type": "null"}

# Kubernetes classes Polyaxon embeds, by class name -> def.
K8S = {
    "V1Container": "container",
    "V1Volume": "k8s-volume",
    "V1Toleration": "k8s-toleration",
    "V1Affinity": "k8s-affinity",
    "V1HostAlias": "k8s-host-alias",
    "V1PodDNSConfig": "k8s-pod-dns-config",
    "V1PodFailurePolicy": "k8s-pod-failure-policy",
    "V1SecurityContext": "k8s-environment-security-context",
    "V1PodSecurityContext": "k8s-pod-security-context",
    "V1ExecAction": "k8s-exec-action",
    "V1HTTPGetAction": "k8s-http-get-action",
    "V1ResourceRequirements": "k8s-resource-requirements",
}

# the pchoice pair and the list / "a:b:c" range forms: off while schema/overlay/50-matrix.json models them
MODEL_RANGE_FORMS = False

K8S_PREFIXES = ("#/$defs/k8s-", "#/$defs/container")

# Discriminated unions, by the enum class of their tags.
UNION_NAMES = {
    "V1RunKind": "union-run",
    "V1MatrixKind": "union-matrix",
    "V1HPKind": "union-hp",
    "V1ScheduleKind": "union-schedule",
    "metric_early_stopping": "union-early-stopping",
    "median": "union-stopping-policy",
}

# A whitespace class as Python's str.strip() (what pydantic's number parsing strips) sees it.
_WS = "[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*"
# Unanchored bodies (none matches a `:`, so `"a:b:c"` range strings can be composed from them).
_INT_BODY = _WS + "[-+]?[0-9](?:_?[0-9])*(?:\\.0+)?" + _WS
_INT_POSITIVE_BODY = _WS + "\\+?(?=[0-9_]*[1-9])[0-9](?:_?[0-9])*(?:\\.0+)?" + _WS
_FLOAT_NUMBER = (
    "(?:[iI]_?[nN]_?[fF](?:_?[iI]_?[nN]_?[iI]_?[tT]_?[yY])?|[nN]_?[aA]_?[nN]|"
    "(?:[0-9](?:_?[0-9])*(?:_?\\.(?:_?[0-9](?:_?[0-9])*)?)?|\\._?[0-9](?:_?[0-9])*)"
    "(?:_?[eE]_?(?:[+-]_?)?[0-9](?:_?[0-9])*)?)"
)
_FLOAT_BODY = _WS + "(?![^:]*__)(?:[+-]_?)?" + _FLOAT_NUMBER + _WS
# ge 0: no minus sign (but `-0`), and nan fails the comparison
_FLOAT_NON_NEGATIVE_BODY = (
    _WS + "(?![^:]*__)(?![+-]?_?[nN])(?:\\+_?|-_?(?=[0._]*(?:[eE]|[^0-9._eE]|$)))?" + _FLOAT_NUMBER + _WS
)
_BOOL_BODY = (
    "(?:[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[yY][eE][sS]|[nN][oO]|[oO][nN]|[oO][fF][fF]|[tT]|[fF]|[yY]|[nN]|1|0)"
)
# a calendar date as speedate checks it: year 0001-9999, the days of each month, February 29 in leap years
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"  # 31 days
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"  # 30 days
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_DATE_BODY = "(?!0000)(?:[0-9]{4}-" + _MONTH_DAY + "|" + _LEAP_YEAR + "-02-29)"
_TIME_BODY = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?"
_TZ_BODY = "(?:[zZ]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])"
_DATETIME_BODY = _DATE_BODY + "(?:[Tt _]" + _TIME_BODY + _TZ_BODY + "?)?"
_DURATION_ISO = (
    "P(?=[0-9]|T[0-9])(?:[0-9]+(?:\\.[0-9]+)?Y)?(?:[0-9]+(?:\\.[0-9]+)?M)?(?:[0-9]+(?:\\.[0-9]+)?W)?"
    "(?:[0-9]+(?:\\.[0-9]+)?D)?(?:T(?=[0-9])(?:[0-9]+(?:\\.[0-9]+)?H)?(?:[0-9]+(?:\\.[0-9]+)?M)?(?:[0-9]+(?:\\.[0-9]+)?S)?)?"
)
_DURATION_DAYS = "(?=[0-9])(?:[0-9]+ ?(?:d|days?),? ?)?(?:[0-9]{2,}:[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?)?"
_DURATION_BODY = "[-+]?(?:" + _DURATION_ISO + "|" + _DURATION_DAYS + ")"


def _anchored(body: str) -> str:
    return "^" + body + "$"


_INT_STR = _anchored(_INT_BODY)
_FLOAT_STR = _anchored(_FLOAT_BODY)
_BOOL_STR = _anchored(_BOOL_BODY)
_JSON_TYPES = ["null", "boolean", "number", "string", "array", "object"]


def _if_json(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` for the values JSON has, and anything for the others (what yaml.safe_load makes of a
    timestamp, a date or a datetime, which pydantic takes): written as `if`/`then` rather than as one
    more union branch, which every value would match by its shape (and messages would name none)."""
    return {"if": {"type": _JSON_TYPES}, "then": schema}


_I64 = 9223372036854775807
# pydantic reads a number above 2e10 (in absolute value) as milliseconds; the year 9999 ends at
# this many, the year 1 starts at minus the other
_UNIX_MS_LIMIT = 253402300799999
_UNIX_MS_FLOOR = 62135596800000


def _at_most(limit: int) -> str:
    """A regex for the decimal integers 0..limit written without leading zeros."""
    digits = str(limit)
    options = ["0", f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else [f"[0-{digits}]"]
    for index, digit in enumerate(digits):
        lowest = 1 if index == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - index - 1
            options.append(digits[:index] + f"[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    if len(digits) > 1:
        options.append(digits)
    return "(?:" + "|".join(options) + ")"


# A numeric string is a Unix time too: an int (i64), or with a `.` a float (Rust's f64 syntax), in
# the same range; leading zeros are fine. (A float's exponent is not bounded here.)
_UNIX_DIGITS = "(?:(?:\\+?0*%s|-0*%s)(?:\\.[0-9]*(?:[eE][-+]?[0-9]+)?)?|[-+]?\\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
_UNIX_BODY = _UNIX_DIGITS % (_at_most(_UNIX_MS_LIMIT), _at_most(_UNIX_MS_FLOOR))
# at most 999,999,999 days
_DURATION_LIMIT = 86399999913600
# a numeric string is a Unix time too, but only a midnight's (a multiple of 86400) makes a date:
# the pattern takes the ISO form and 0
_DATE_STRING_BODY = "(?:" + _DATE_BODY + "|[-+]?0+(?:\\.0*)?)"


def _unix_number() -> dict[str, Any]:
    """A Unix time in seconds or milliseconds, within the years 1-9999; never NaN (which passes
    every bound, so it is the only number that meets `minimum: 1` and `maximum: 0` at once)."""
    return {
        "type": "number",
        "minimum": -_UNIX_MS_FLOOR,
        "maximum": _UNIX_MS_LIMIT,
        "not": {"minimum": 1, "maximum": 0},
        "x-plx-code": "invalid-value",
        "errorMessage": "`{value}` is not a Unix time of the years 1 to 9999 (seconds, or milliseconds beyond "
        "20000000000).",
    }


def _orjson_number() -> dict[str, Any]:
    """`GenericStr` writes a number with orjson, which refuses integers beyond 64 bits."""
    return {
        "type": "number",
        "if": {"type": "integer"},
        "then": {
            "minimum": -(2**63),
            "maximum": 2**64 - 1,
            "x-plx-code": "invalid-value",
            "errorMessage": "`{value}` is too big: Polyaxon writes this value as JSON, which takes integers of at "
            "most 64 bits; quote it.",
        },
    }


# orjson writes only string keys
_ORJSON_MAPPING = {"propertyNames": {"type": "string"}, "additionalProperties": {"$ref": "#/$defs/orjson-value"}}


def _numeric_string(body: str, message: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": _anchored(body),
        "x-plx-expected": "a numeric string",
        "x-plx-code": "invalid-value",
        "errorMessage": message,
    }


SCALARS: dict[str, Any] = {
    "pydantic-lax-int": {
        "description": "An integer as pydantic reads it in lax mode: an int, a bool, a float with no fractional part, "
        "or a numeric string.",
        "anyOf": [
            {"type": "integer"},
            {"type": "boolean"},
            {"type": "number", "multipleOf": 1, "minimum": -_I64 - 1, "maximum": _I64},
            _numeric_string(_INT_BODY, "`{value}` is not a whole number."),
        ],
    },
    "pydantic-lax-int-gt-0": {
        "description": "An integer greater than 0, as pydantic reads it in lax mode (`true` counts as 1).",
        "anyOf": [
            {"type": "integer", "minimum": 1},
            {"const": True},
            {"type": "number", "multipleOf": 1, "minimum": 1, "maximum": _I64},
            _numeric_string(_INT_POSITIVE_BODY, "`{value}` is not a whole number greater than 0."),
        ],
    },
    "pydantic-lax-float": {
        "description": "A number as pydantic reads it in lax mode: an int, a float, a bool, or a numeric string.",
        "anyOf": [
            {"type": "number"},
            {"type": "boolean"},
            _numeric_string(_FLOAT_BODY, "`{value}` is not a number."),
        ],
    },
    "pydantic-lax-float-ge-0": {
        "description": "A number greater than or equal to 0, as pydantic reads it in lax mode.",
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "boolean"},
            _numeric_string(_FLOAT_NON_NEGATIVE_BODY, "`{value}` is not a number greater than or equal to 0."),
        ],
    },
    "pydantic-lax-bool": {
        "description": "A boolean as pydantic reads it in lax mode: true/false, 0/1, or a boolean word.",
        "anyOf": [
            {"type": "boolean"},
            {"enum": [0, 1]},
            {
                "type": "string",
                "pattern": _BOOL_STR,
                "x-plx-expected": "a boolean word (true, false, yes, no, on, off)",
                "x-plx-code": "invalid-value",
                "errorMessage": "`{value}` is not a boolean: write true or false.",
            },
        ],
    },
    "pydantic-datetime": {
        "description": "A date and time: a YAML timestamp, an ISO 8601 string (`2024-01-31 10:00`), or a Unix time "
        "in seconds.",
        **_if_json(
            {
                "anyOf": [
                    _unix_number(),
                    {
                        "type": "string",
                        "pattern": _anchored("(?:" + _DATETIME_BODY + "|" + _UNIX_BODY + ")"),
                        "x-plx-expected": "an ISO 8601 date and time",
                        "x-plx-code": "invalid-value",
                        "errorMessage": "`{value}` is not a date and time (write e.g. 2024-01-31 10:00).",
                    },
                ]
            }
        ),
    },
    "pydantic-date": {
        "description": "A date: a YAML date, an ISO 8601 date string (`2024-01-31`), or a Unix time of a midnight.",
        **_if_json(
            {
                "anyOf": [
                    {"type": "number", "multipleOf": 86400, "minimum": -_UNIX_MS_FLOOR, "maximum": _UNIX_MS_LIMIT},
                    {
                        "type": "string",
                        "pattern": _anchored(_DATE_STRING_BODY),
                        "x-plx-expected": "an ISO 8601 date",
                        "x-plx-code": "invalid-value",
                        "errorMessage": "`{value}` is not a date (write e.g. 2024-01-31).",
                    },
                ]
            }
        ),
    },
    "pydantic-timedelta": {
        "description": "A duration: seconds, an ISO 8601 duration (`P1DT2H`), or `[N days] HH:MM[:SS[.ffffff]]`.",
        "anyOf": [
            {"type": "number", "minimum": -_DURATION_LIMIT, "maximum": _DURATION_LIMIT},
            {"type": "boolean"},
            {
                "type": "string",
                "pattern": _anchored(_DURATION_BODY),
                "x-plx-expected": "a duration",
                "x-plx-code": "invalid-value",
                "errorMessage": "`{value}` is not a duration (write seconds, `PT1H`, or `01:00:00`).",
            },
        ],
    },
    "pydantic-generic-str": {
        "description": "A string; numbers, booleans, lists and mappings are turned into their JSON text, dates "
        "into their text.",
        **_if_json(
            {
                "anyOf": [
                    {"type": "string"},
                    {"type": "boolean"},
                    _orjson_number(),
                    {"type": "array", "items": {"$ref": "#/$defs/orjson-value"}, "x-plx-expected": "a list"},
                    {"type": "object", **_ORJSON_MAPPING},
                ]
            }
        ),
    },
    "orjson-value": {
        "description": "A value orjson can write as JSON: no integer beyond 64 bits, no mapping key that is not a "
        "string, no binary data.",
        # a date or a datetime passes (binary data too, which JSON Schema cannot tell from a date)
        **_if_json(
            {
                "anyOf": [
                    {"type": ["null", "string", "boolean"]},
                    _orjson_number(),
                    {"type": "array", "items": {"$ref": "#/$defs/orjson-value"}, "x-plx-expected": "a list"},
                    {"type": "object", **_ORJSON_MAPPING},
                ]
            }
        ),
    },
    "pydantic-uuid": {
        "description": "A UUID.",
        "type": "string",
        "pattern": "^(?:urn:)?(?:uuid:)?\\{*-*(?:[0-9a-fA-F]-*){32}\\}*$",
        "x-plx-expected": "a UUID",
        "x-plx-code": "invalid-value",
        "errorMessage": "`{value}` is not a UUID.",
    },
}

# the string bodies of the scalar defs, for `"a:b:c"` range strings
_STRING_BODIES = {
    "#/$defs/pydantic-lax-int": _INT_BODY,
    "#/$defs/pydantic-lax-int-gt-0": _INT_POSITIVE_BODY,
    "#/$defs/pydantic-lax-float": _FLOAT_BODY,
    "#/$defs/pydantic-lax-float-ge-0": _FLOAT_NON_NEGATIVE_BODY,
    "#/$defs/pydantic-lax-bool": _BOOL_BODY,
    "#/$defs/pydantic-date": _DATE_STRING_BODY,
}


def _required_by_either_name(alias: str, field_name: str) -> dict[str, Any]:
    """A required field that also takes its field name: pydantic fills it from either (`num_runs`
    for `numRuns`), so `alias` is required only when `field_name` is absent, and a missing key is
    still reported under its camelCase name."""
    return {"if": {"not": {"required": [field_name]}}, "then": {"required": [alias]}}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _is_reffield(schema: dict[str, Any]) -> bool:
    if schema.get("type") != "function-after":
        return False
    func = schema.get("function", {}).get("function")
    return "RefField" in getattr(func, "__qualname__", "")


def _func_name(schema: dict[str, Any]) -> str:
    func = schema.get("function", {}).get("function")
    return getattr(func, "__qualname__", "") or getattr(func, "__name__", "")


def _simplify_any_of(options: list[dict[str, Any]]) -> dict[str, Any]:
    flat: list[dict[str, Any]] = []
    for option in options:
        if list(option) == ["anyOf"]:
            flat.extend(option["anyOf"])
        else:
            flat.append(option)
    unique: list[dict[str, Any]] = []
    for option in flat:
        if option not in unique:
            unique.append(option)
    if {} in unique:
        return {}
    # `Union[k8s.V1X, Dict]` with a before-validator that builds the k8s object from the dict:
    # the dict is checked as the k8s object, so a plain object is no extra choice
    if any(option.get("$ref", "").startswith(K8S_PREFIXES) for option in unique):
        unique = [option for option in unique if option != {"type": "object"}]
    # `null` last, as the hand-kept defs write it
    unique.sort(key=lambda option: option == NULL)
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


class Generator:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.refs: dict[str, Any] = {}
        self.pending: list[Any] = []

    # -- entry points -------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        for root in ROOTS:
            self.model_ref(root, root.__pydantic_core_schema__)
        used = set()
        text = json.dumps(self.defs)
        for name in SCALARS:
            if f'"#/$defs/{name}"' in text:
                used.add(name)
                # the scalar defs that this one refers to
                used.update(other for other in SCALARS if f'"#/$defs/{other}"' in json.dumps(SCALARS[name]))
        out = {name: SCALARS[name] for name in SCALARS if name in used}
        out.update(self.defs)
        return dict(sorted(out.items()))

    # -- models ---------------------------------------------------------------------------------
    def model_ref(self, cls: Any, schema: dict[str, Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = None  # placeholder: recursion stops here
            self.defs[name] = self.model_def(cls, schema)
        return {"$ref": f"#/$defs/{name}"}

    def _model_fields(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The `model-fields` core schema below a model's wrappers."""
        while schema.get("type") != "model-fields":
            if schema.get("type") == "definitions":
                self._register(schema)
            elif schema.get("type") == "definition-ref":
                schema = self.refs[schema["schema_ref"]]
                continue
            schema = schema["schema"]
        return schema

    def model_def(self, cls: Any, schema: dict[str, Any]) -> dict[str, Any]:
        fields = self._model_fields(schema)
        properties: dict[str, Any] = {}
        aliases: dict[str, Any] = {}
        required: list[str] = []
        populate = bool(cls.model_config.get("populate_by_name") or cls.model_config.get("validate_by_name"))
        for field_name, field in fields["fields"].items():
            alias = field.get("validation_alias") or field_name
            if not isinstance(alias, str):
                raise SystemExit(f"{cls.__name__}.{field_name}: alias {alias!r} is not a plain name")
            inner = field["schema"]
            if inner.get("type") != "default":
                required.append(alias)
            properties[alias] = self.field_schema(cls, field_name, inner)
            if populate and field_name != alias:
                aliases[field_name] = {
                    "$ref": f"#/$defs/{cls.__name__}/properties/{alias}",
                    "x-plx-alias-of": alias,
                    "description": f"Another name for `{alias}`; prefer `{alias}`.",
                }
        result: dict[str, Any] = {
            "x-plx-model": cls.__name__,
            "type": "object",
            "properties": {**properties, **aliases},
        }
        aliased = {alias["x-plx-alias-of"]: name for name, alias in aliases.items()}
        plain_required = [name for name in required if name not in aliased]
        if plain_required:
            result["required"] = plain_required
        either_name = [_required_by_either_name(name, aliased[name]) for name in required if name in aliased]
        if either_name:
            result["allOf"] = either_name
        if aliases:
            # with both names present, pydantic takes the alias and the field name is an extra key
            result["dependentSchemas"] = {
                name: {
                    "not": {"required": [alias["x-plx-alias-of"]]},
                    "x-plx-code": "unknown-key",
                    "x-plx-target": "key",
                    "errorMessage": f"`{name}` is another name for `{alias['x-plx-alias-of']}`, which is also set; "
                    f"keep only `{alias['x-plx-alias-of']}`.",
                }
                for name, alias in aliases.items()
            }
        extra = fields.get("extra_behavior") or cls.model_config.get("extra")
        if extra == "forbid":
            result["additionalProperties"] = False
        return result

    def field_schema(self, cls: Any, field_name: str, schema: dict[str, Any]) -> dict[str, Any]:
        special = NORMALISERS.get((field_name,))
        converted = self.convert(schema)
        if special is not None and any(_has_validator(schema, name) for name in special[0]):
            return special[1](converted)
        return converted

    def _register(self, schema: dict[str, Any]) -> None:
        for definition in schema.get("definitions", []):
            self.refs[definition["ref"]] = definition

    # -- core schema -> JSON Schema ------------------------------------------------------------
    def convert(self, schema: dict[str, Any]) -> dict[str, Any]:
        kind = schema["type"]
        if kind == "definitions":
            self._register(schema)
            return self.convert(schema["schema"])
        if kind == "definition-ref":
            return self.convert(self.refs[schema["schema_ref"]])
        if kind == "model":
            cls = schema["cls"]
            if issubclass(cls, BaseModel):
                return self.model_ref(cls, schema)
            raise SystemExit(f"unexpected model class {cls!r}")
        if kind in ("default",):
            return self.convert(schema["schema"])
        if kind == "nullable":
            return _simplify_any_of([self.convert(schema["schema"]), NULL])
        if kind == "function-after" and _is_reffield(schema):
            return TEMPLATE
        if kind in ("function-after", "function-before", "function-wrap"):
            special = self.clipped_type(schema)
            if special is not None:
                return special
            return self.convert(schema["schema"])
        if kind == "function-plain":
            return {}
        if kind == "any":
            return {}
        if kind == "str":
            out: dict[str, Any] = {"type": "string"}
            if schema.get("pattern") is not None:
                out["pattern"] = _ecma_pattern(schema["pattern"])
            for src, dst in (("min_length", "minLength"), ("max_length", "maxLength")):
                if schema.get(src) is not None:
                    out[dst] = schema[src]
            return out
        if kind in ("int", "float"):
            bounds = {
                key: schema[key] for key in ("ge", "gt", "le", "lt", "multiple_of") if schema.get(key) is not None
            }
            if schema.get("strict"):
                out = {"type": "integer" if kind == "int" else "number"}
            elif not bounds:
                return {"$ref": f"#/$defs/pydantic-lax-{kind}"}
            elif kind == "int" and bounds == {"gt": 0}:
                return {"$ref": "#/$defs/pydantic-lax-int-gt-0"}
            elif kind == "float" and bounds == {"ge": 0}:
                return {"$ref": "#/$defs/pydantic-lax-float-ge-0"}
            else:
                raise SystemExit(f"no lax {kind} def for the bounds {bounds}")
            for src, dst in (
                ("ge", "minimum"),
                ("gt", "exclusiveMinimum"),
                ("le", "maximum"),
                ("lt", "exclusiveMaximum"),
                ("multiple_of", "multipleOf"),
            ):
                if src in bounds:
                    out[dst] = bounds[src]
            return out
        if kind == "bool":
            return {"type": "boolean"} if schema.get("strict") else {"$ref": "#/$defs/pydantic-lax-bool"}
        if kind in ("datetime", "date", "timedelta"):
            return {"$ref": f"#/$defs/pydantic-{kind}"}
        if kind == "literal":
            return {"enum": [_plain(v) for v in schema["expected"]]}
        if kind == "enum":
            return {"enum": [_plain(m) for m in schema["members"]]}
        if kind == "list":
            out = {"type": "array"}
            items = self.convert(schema.get("items_schema", {"type": "any"}))
            if items:
                out["items"] = items
            if schema.get("min_length") is not None:
                out["minItems"] = schema["min_length"]
            if schema.get("max_length") is not None:
                out["maxItems"] = schema["max_length"]
            return out
        if kind == "tuple":
            items = [self.convert(item) for item in schema["items_schema"]]
            variadic = schema.get("variadic_item_index")
            out = {"type": "array"}
            if variadic is None:
                out.update({"prefixItems": items, "minItems": len(items), "maxItems": len(items)})
            else:
                out.update({"prefixItems": items[:variadic], "items": items[variadic]})
                if variadic:
                    out["minItems"] = variadic
            return out
        if kind == "dict":
            out = {"type": "object"}
            if schema.get("keys_schema", {}).get("type") == "str":
                # YAML keys can be ints, booleans, dates or null: pydantic refuses them for `str`
                out["propertyNames"] = {"type": "string"}
            values = self.convert(schema.get("values_schema", {"type": "any"}))
            if values:
                out["additionalProperties"] = values
            return out
        if kind == "union":
            options = [self.convert(c[0] if isinstance(c, tuple) else c) for c in schema["choices"]]
            return _simplify_any_of(options)
        if kind == "tagged-union":
            return self.tagged_union(schema)
        if kind == "is-instance":
            name = schema["cls"].__name__
            if name not in K8S:
                raise SystemExit(f"no def for the instance class {name}")
            return {"$ref": f"#/$defs/{K8S[name]}"}
        raise SystemExit(f"unsupported core schema type {kind!r}")

    def clipped_type(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The types of clipped and of the matrix that validate in a function of their own."""
        name = _func_name(schema)
        owner = getattr(schema.get("function", {}).get("function"), "__self__", None)
        if name == "GenericStr.validate":
            return {"$ref": "#/$defs/pydantic-generic-str"}
        if name == "UUIDStr.validate":
            return {"$ref": "#/$defs/pydantic-uuid"}
        if name in ("PChoice.validate", "RangeList.validate", "RangeStr.validate") and not MODEL_RANGE_FORMS:
            return None  # the matrix overlay (50-matrix.json) models these forms and their messages
        if name == "PChoice.validate":
            # `[value, p]` with p a float (not an int) in [0, 1)
            return {
                "type": "array",
                "prefixItems": [
                    {},
                    {"type": "number", "not": {"type": "integer"}, "minimum": 0, "exclusiveMaximum": 1},
                ],
                "minItems": 2,
                "maxItems": 2,
            }
        if name in ("RangeList.validate", "RangeStr.validate"):
            target = owner._CLASS
            model = self.model_ref(target, target.__pydantic_core_schema__)
            keys = list(target._REQUIRED_KEYS) + list(target._OPTIONAL_KEYS)
            parts = [{"$ref": f"{model['$ref']}/properties/{key}"} for key in keys]
            required = len(target._REQUIRED_KEYS)
            if name == "RangeList.validate":
                # `Model(**dict(zip(keys, value)))`: elements past the keys are ignored
                return {"type": "array", "prefixItems": parts, "minItems": required}
            # `Model(**dict(zip(keys, value.split(":"))))`: each part is a string
            bodies = [self.string_body(self.defs[target.__name__]["properties"][key]) for key in keys]
            if any(body is None for body in bodies[:required]):
                return {"not": {}}
            pattern = ":".join(f"(?:{body})" for body in bodies[:required])
            tail = "(?::[^:]*)*"
            for body in reversed(bodies[required:]):
                tail = f"(?::(?:{body}){tail})?" if body is not None else tail
            return {
                "type": "string",
                "pattern": _anchored(pattern + tail),
                "x-plx-expected": ":".join(keys[:required]),
            }
        return None

    def string_body(self, schema: dict[str, Any]) -> str | None:
        """The (unanchored) regex of the strings a field schema accepts, None if it takes none."""
        options = schema.get("anyOf", [schema])
        bodies = []
        for option in options:
            if option.get("$ref") in _STRING_BODIES:
                bodies.append(_STRING_BODIES[option["$ref"]])
            elif option == {} or option == {"type": "string"}:
                bodies.append("[^:]*")
        if not bodies:
            return None
        return bodies[0] if len(bodies) == 1 else "|".join(f"(?:{body})" for body in bodies)

    def tagged_union(self, schema: dict[str, Any]) -> dict[str, Any]:
        if schema.get("discriminator") != "kind":
            raise SystemExit(f"unexpected discriminator {schema.get('discriminator')!r}")
        tags = list(schema["choices"])
        enum_class = type(tags[0]).__name__ if isinstance(tags[0], enum.Enum) else str(tags[0])
        name = UNION_NAMES.get(enum_class)
        if name is None:
            raise SystemExit(f"no union name for the tags of {enum_class}")
        if name not in self.defs:
            self.defs[name] = None
            branches = []
            kinds = []
            for tag, choice in schema["choices"].items():
                value = _plain(tag)
                kinds.append(value)
                target = self.convert(choice)
                branches.append(
                    {"if": {"required": ["kind"], "properties": {"kind": {"const": value}}}, "then": target}
                )
            self.defs[name] = {
                "x-plx-union": [_plain(tag) for tag in tags],
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {
                        "enum": kinds,
                        "x-plx-code": "invalid-value",
                        "errorMessage": "`{value}` is not a known kind; expected one of: " + ", ".join(kinds) + ".",
                    }
                },
                "allOf": branches,
            }
        return {"$ref": f"#/$defs/{name}"}


def _ecma_pattern(pattern: str) -> str:
    """A Rust-regex pattern (pydantic-core's) in the dialect JSON Schema validators share.

    `\\z` (the very end) has no ECMA spelling and Python's `$` also matches before a final
    newline, so it becomes a look-ahead that no character follows.
    """
    return pattern.replace("\\z", "(?![\\s\\S])")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _has_validator(schema: dict[str, Any], name: str) -> bool:
    while isinstance(schema, dict) and "schema" in schema:
        if schema.get("type", "").startswith("function-") and _func_name(schema).endswith(name):
            return True
        schema = schema["schema"]
    return False


_UUID_BODY = "(?:urn:)?(?:uuid:)?\\{*-*(?:[0-9a-fA-F]-*){32}\\}*"


def _str_list(converted: dict[str, Any]) -> dict[str, Any]:
    """`validate_str_list`: a string is split on commas (parts stripped, empty ones dropped)
    before the list check."""
    options = converted.get("anyOf", [converted])
    items = next((option.get("items") for option in options if option.get("type") == "array"), None)
    text: dict[str, Any] = {"type": "string"}
    if items == {"$ref": "#/$defs/pydantic-uuid"}:
        part = "\\s*(?:" + _UUID_BODY + ")?\\s*"
        text = {
            "type": "string",
            "pattern": "^" + part + "(?:," + part + ")*$",
            "x-plx-expected": "comma-separated UUIDs",
            "x-plx-code": "invalid-value",
            "errorMessage": "`{value}` is not a comma-separated list of UUIDs.",
        }
    return _simplify_any_of([text, converted])


def _short_form_params(converted: dict[str, Any]) -> dict[str, Any]:
    """`V1Polyaxonfile.validate_params`: a value that is not a full-form param is `{value: v}`."""
    out = dict(converted)
    options = converted.get("anyOf", [converted])
    for option in options:
        if option.get("type") == "object" and "additionalProperties" in option:
            option["additionalProperties"] = {"$ref": "#/$defs/polyaxon-param-value"}
    return out


def _no_strings_positive(converted: dict[str, Any]) -> dict[str, Any]:
    """`check_values` (before): `if v and v < 1` raises a TypeError on any non-empty string, list or
    mapping, templates included; only numbers (and booleans) get through to the type."""
    options = converted.get("anyOf", [converted])
    out: list[dict[str, Any]] = []
    for option in options:
        if option == TEMPLATE:
            continue
        if option == {"$ref": "#/$defs/pydantic-lax-int-gt-0"}:
            out.extend(item for item in SCALARS["pydantic-lax-int-gt-0"]["anyOf"] if item.get("type") != "string")
        else:
            out.append(option)
    return _simplify_any_of(out)


def _no_template(converted: dict[str, Any]) -> dict[str, Any]:
    """A before-validator that refuses strings (`validate_volumes`: any truthy value that is not a list
    raises "expects a list"), so the `RefField` branch of the union is never reached."""
    options = converted.get("anyOf", [converted])
    return _simplify_any_of([option for option in options if option != TEMPLATE])


# field name -> (validator names that trigger it, transform)
NORMALISERS: dict[Any, Any] = {
    ("tags",): (["validate_str_list"], _str_list),
    ("presets",): (["validate_str_list"], _str_list),
    ("uuids",): (["validate_str_list"], _str_list),
    ("plugins",): (["validate_str_list"], _str_list),
    ("params",): (["validate_params"], _short_form_params),
    ("num_runs",): (["check_values"], _no_strings_positive),
    ("max_iterations",): (["check_values"], _no_strings_positive),
    ("concurrency",): (["check_values"], _no_strings_positive),
    ("volumes",): (["validate_volumes"], _no_template),
    ("sidecars",): (["validate_helper_containers"], _no_template),
    # k8s_validation._validate_schema (before) takes a mapping or nothing: a template string fails
    ("pod_failure_policy",): (["validate_pod_failure_policy"], _no_template),
    ("resources",): (["validate_container"], _no_template),
}

PARAM_KEYS = ["value", "ref", "toInit", "to_init", "toEnv", "to_env", "contextOnly", "context_only", "connection"]


def _non_empty(converted: dict[str, Any]) -> dict[str, Any]:
    """`if not v: return v` before a plain k8s type: an empty mapping is not turned into the object."""
    options = converted.get("anyOf", [converted])
    return _simplify_any_of(
        [
            {**option, "minProperties": 1} if option.get("$ref", "").startswith(K8S_PREFIXES) else option
            for option in options
        ]
    )


NORMALISERS[("dns_config",)] = (["validate_dns_config"], _non_empty)


def generate() -> dict[str, Any]:
    defs = Generator().run()
    if "#/$defs/polyaxon-param-value" in json.dumps(defs):
        defs["polyaxon-param-value"] = {
            "description": "A param: the full form (a mapping with `value`, `ref`, `toInit`, `toEnv`, `contextOnly` or "
            "`connection`, or an empty mapping) or the short form (any other value, taken as its `value`).",
            "if": {"type": "object", "anyOf": [{"maxProperties": 0}] + [{"required": [key]} for key in PARAM_KEYS]},
            "then": {"$ref": "#/$defs/V1Param"},
        }
        defs = dict(sorted(defs.items()))
    return {
        "$comment": "Generated by schema/tools/gen_polyaxon.py from Polyaxon 2.18.0's pydantic models; do not edit.",
        "$defs": defs,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render(generate())
    if "--check" in argv:
        try:
            with open(GENERATED, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print(f"{GENERATED} is stale: run `.venv-oracle/bin/python schema/tools/gen_polyaxon.py`", file=sys.stderr)
            return 1
        print(f"{GENERATED} is up to date")
        return 0
    with open(GENERATED, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {GENERATED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

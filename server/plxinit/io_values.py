"""An input's or output's `value` read as its `type` and checked against its `validation`.

Polyaxon 2.18 does this when it reads the file (`V1IO.validate_io` -> `validate_io_value`):
`clipped`'s ConfigParser turns the type string into a Python type and validates the value
with pydantic's lax mode, then `V1Validation.run_validation` applies the predicates to the
parsed value. What it does, measured against Polyaxon itself (tests/test_io_values.py):

* A string value of a "loadable" type (everything but any, str, bool, path, date, datetime,
  timedelta, uuid, email, image, uri, gcs, s3, wasb, without `isList`) is first read as JSON
  (orjson: no NaN, integers within 64 bits), so `"1"` is 1 for an int but `"1_000"`, `"abc"`
  and `"{{ x }}"` are rejected; a JSON string inside (`'"1_000"'`) is then read laxly.
* The 21 named types map to classes (`datetime` maps to a date); any other string is a
  Python expression: names must exist where clipped evaluates it, or Polyaxon crashes.
* `validation.delay` and `delayValidation` do NOT skip the check at read time.
* A predicate that does not apply to the value (`le` on a string, `decimalPlaces` on an
  int, `regex` on a number) makes Polyaxon crash, which rejects the file too.

Where the model cannot tell (a type expression it does not know, a URL it cannot judge
exactly), it says nothing: a finding is only made when Polyaxon surely rejects.
"""

from __future__ import annotations

import builtins
import datetime
import json
import math
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .findings import Finding
from .messages import clip_message, value_kind, yaml_text

# ---------------------------------------------------------------------- outcomes


class _Reject(Exception):
    """Polyaxon rejects the value; `reason` completes "its value `v` ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Unknown(Exception):
    """The model cannot tell what Polyaxon does: say nothing."""


@dataclass(frozen=True)
class _TypeExpr:
    """A parsed type string: a name and its subscript arguments (None when not subscripted)."""

    name: str
    args: tuple[_TypeExpr, ...] | None = None

    def text(self) -> str:
        if self.args is None:
            return self.name
        return f"{self.name}[{', '.join(arg.text() for arg in self.args)}]"


# ---------------------------------------------------------------------- type strings

#: Type names the existing schema rule `io-type-crashes-polyaxon` already reports.
_SCHEMA_CRASH_NAMES = frozenset({"integer", "number", "boolean", "Int"})
_SCHEMA_CRASH_PREFIX = re.compile(r"^(Union|Tuple)\[")

#: Names a type string can use without crashing: what Python finds where clipped evaluates it
#: (clipped.compact.pydantic's globals, parse_obj_as's locals, the builtins).
_CLIPPED_NAMES = (
    "Any AnyUrl BaseConfig BaseModel ByteSize Callable ConfigDict Dict FULLY_QUALIFIED_NAME_REGEX Field "
    "FiniteFloat FutureDate Json List ModelField NAME_REGEX NameFactory NegativeFloat NegativeInt "
    "NonNegativeFloat NonNegativeInt NonPositiveFloat NonPositiveInt Optional PYDANTIC_VERSION PastDate "
    "PaymentCardNumber PositiveFloat PositiveInt PrivateAttr Protocol PydanticAllowConfig "
    "PydanticAlwaysConfig PydanticConfig PydanticTypeError PydanticValueError RootModel SecretBytes "
    "SecretStr StrictBool StrictBytes StrictFloat StrictInt StrictStr T TYPE_CHECKING Type TypeVar "
    "ValidationError ValidationInfo constr create_model field_validator load_str_bytes model_rebuild "
    "model_validator orjson_dumps orjson_loads parse_date parse_datetime parse_duration parse_obj_as "
    "patter_constr strict_str_validator uuid_validator validate_call validation_after validation_always "
    "validation_before wraps type_ obj type_forwarding TypeAdapter"
)
_RESOLVABLE = frozenset(dir(builtins)) | frozenset(_CLIPPED_NAMES.split())

#: The names this model evaluates, with how many subscript arguments each takes (0: none).
_GENERIC_ARITY = {"List": 1, "list": 1, "Dict": 2, "dict": 2, "Optional": 1}
_PLAIN = frozenset({"int", "float", "bool", "str", "dict", "list", "Any", "List", "Dict"})

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\S")


class _Crash(Exception):
    """The type names something Python cannot find: Polyaxon crashes on any value."""

    def __init__(self, name: str, indented: bool = False, literal: bool = False, template: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.indented = indented
        self.literal = literal
        self.template = template


#: A type string that Python evaluates to a value, not a type (`1`, `2.5`, `True`, `None`, `'a'`,
#: `[int]`): pydantic cannot build a validator from it, so Polyaxon fails on any value.
_LITERAL_TYPE = re.compile(r"""^(?:[-+]?[0-9.][0-9_.eEjJ+-]*|True|False|None|'[^']*'|"[^"]*"|\[.*\])$""")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _parse_expr(tokens: list[str], at: int) -> tuple[_TypeExpr, int]:
    if at >= len(tokens) or not (tokens[at][0].isalpha() or tokens[at][0] == "_"):
        raise _Unknown
    name, at = tokens[at], at + 1
    if at < len(tokens) and tokens[at] == "[":
        args = []
        at += 1
        while True:
            arg, at = _parse_expr(tokens, at)
            args.append(arg)
            if at < len(tokens) and tokens[at] == ",":
                at += 1
                continue
            if at < len(tokens) and tokens[at] == "]":
                return _TypeExpr(name, tuple(args)), at + 1
            raise _Unknown
    return _TypeExpr(name), at


def _names(expr: _TypeExpr) -> Iterator[str]:
    yield expr.name
    for arg in expr.args or ():
        yield from _names(arg)


def _checked(expr: _TypeExpr) -> _TypeExpr:
    """`expr` if this model can evaluate it; raises _Crash or _Unknown otherwise."""
    for name in _names(expr):
        if name not in _RESOLVABLE:
            raise _Crash(name)
    _require_modelled(expr)
    return expr


def _require_modelled(expr: _TypeExpr) -> None:
    if expr.args is None:
        if expr.name not in _PLAIN:
            raise _Unknown
        return
    if _GENERIC_ARITY.get(expr.name) != len(expr.args):
        raise _Unknown
    for arg in expr.args:
        _require_modelled(arg)


def type_expression(text: str) -> _TypeExpr:
    """The type string as Polyaxon evaluates it (not one of the 21 named types).

    Raises _Crash when Polyaxon cannot evaluate it, _Unknown when this model cannot.
    """
    if text[:1].isspace():  # Python refuses the indented expression: Polyaxon fails on any value
        raise _Crash(text, indented=True)
    if "{{" in text or "{%" in text:  # read unrendered, as a forward reference pydantic cannot build
        raise _Crash(text, template=True)
    if _LITERAL_TYPE.match(text.rstrip()):
        raise _Crash(text, literal=True)
    tokens = _tokens(text)
    expr, at = _parse_expr(tokens, 0)
    if at != len(tokens):
        raise _Unknown
    return _checked(expr)


# ---------------------------------------------------------------------- JSON as orjson reads it

_I64_MIN, _U64_MAX = -(2**63), 2**64 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_constant(word: str) -> Any:
    raise _Reject("is not valid JSON")


def _json_int(text: str) -> int:
    number = int(text)
    if not _I64_MIN <= number <= _U64_MAX:
        raise _Reject("is a number too large for Polyaxon's JSON reader (64 bits)")
    return number


def _json_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise _Reject("is a number too large for Polyaxon's JSON reader")
    return number


def _load_json(text: str) -> Any:
    """`text` read as orjson reads it (Polyaxon reads a string of a loadable type as JSON)."""
    if len(text) > 100_000 or _SURROGATE.search(text):
        raise _Unknown
    try:
        return json.loads(text, parse_constant=_no_constant, parse_int=_json_int, parse_float=_json_float)
    except RecursionError as error:
        raise _Unknown from error
    except ValueError as error:
        raise _Reject("is not valid JSON") from error


# ---------------------------------------------------------------------- lax values (pydantic 2)

_WS = r"[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
_INT_TEXT = re.compile(rf"^{_WS}[-+]?[0-9](?:_?[0-9])*(?:\.0*)?{_WS}$")
_FLOAT_TEXT = re.compile(
    rf"^{_WS}[-+]?(?:inf(?:inity)?|nan|(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)"
    rf"(?:[eE][-+]?[0-9](?:_?[0-9])*)?){_WS}$",
    re.IGNORECASE,
)
_BOOL_WORDS = {
    **dict.fromkeys(("1", "on", "t", "true", "y", "yes"), True),
    **dict.fromkeys(("0", "off", "f", "false", "n", "no"), False),
}
_I64_RANGE = 2**63


def _lax_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise _Reject("is not a whole number")
        if abs(value) >= _I64_RANGE:
            raise _Reject("is a whole number too large for Polyaxon")
        return int(value)
    if isinstance(value, str):
        if len(value) > 4000:
            raise _Unknown
        if not _INT_TEXT.match(value):
            raise _Reject("is not a whole number")
        return int(float(value.strip().replace("_", ""))) if "." in value else int(value.strip().replace("_", ""))
    raise _Reject("is not a whole number")


def _lax_float(value: Any) -> float:
    if isinstance(value, (bool, float)):
        return float(value)
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError as error:
            raise _Unknown from error
    if isinstance(value, str):
        if len(value) > 4000 or not _FLOAT_TEXT.match(value):
            if len(value) > 4000:
                raise _Unknown
            raise _Reject("is not a number")
        return float(value.strip().replace("_", ""))
    raise _Reject("is not a number")


def _lax_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[value.lower()]
    raise _Reject("is not a boolean (true or false)")


def _strict_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _Reject("is not a string")


def _is_dict(value: Any) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise _Reject("is not a mapping")


def _is_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise _Reject("is not a list")


def _dumps_ok(value: Any, depth: int = 0) -> bool:
    """Whether orjson can write `value` as JSON (64-bit ints, string keys)."""
    if depth > 200:
        raise _Unknown
    if isinstance(value, bool) or value is None or isinstance(value, (str, float, datetime.date)):
        return True
    if isinstance(value, int):
        return _I64_MIN <= value <= _U64_MAX
    if isinstance(value, list):
        return all(_dumps_ok(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _dumps_ok(item, depth + 1) for key, item in value.items())
    raise _Unknown


def _generic_str(value: Any) -> Any:
    """clipped's GenericStr: numbers, lists and mappings become their JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, list, dict)):
        if not _dumps_ok(value):
            raise _Reject("cannot be written as JSON text by Polyaxon (an integer beyond 64 bits or a non-string key)")
        if isinstance(value, (list, dict)):
            raise _Parsed  # the text orjson writes is not reproduced here
        if isinstance(value, bool):
            return "true" if value else "false"
        return json.dumps(value) if isinstance(value, int) else _orjson_float(value)
    if isinstance(value, datetime.date):
        return str(value)
    raise _Unknown


def _orjson_float(value: float) -> str:
    if not math.isfinite(value):
        return "null"
    raise _Parsed  # orjson's float spelling differs from Python's in places


class _Parsed(Exception):
    """The value parses, but its parsed form is not reproduced (predicates cannot be judged)."""


class _NeverHolds(Exception):
    """A predicate can never hold on a parsed object (Polyaxon rejects); `why` ends the message."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True, eq=False)
class _Opaque:
    """A value Polyaxon parses into an object of its own: a pydantic model (git, artifacts, dockerfile,
    file, tensorboard, event), a URL (uri, gcs, s3, wasb) or a `timedelta`. The predicates see that
    object, not what is written; measured against Polyaxon (tests/test_io_values.py):

    * `gt`/`ge`/`lt`/`le`/`multipleOf` and `regex` fail on all of them (TypeError);
    * `minLength`/`maxLength` fail on models and durations (no `len`); a URL has the length of its text;
    * `contains`/`excludes` fail on URLs and durations; a model iterates as (field, value) pairs, so
      `contains` never holds and `excludes` always does;
    * `options` never holds: no option written in YAML equals the object (or it fails on it);
    * `minDigits`/`maxDigits`/`decimalPlaces` read `str()` of the object: judged when `text` is
      known, or from `min_text` (a lower bound on its length without dots) and `has_dot`.
    """

    type_name: str
    form: str  # "model", "url" or "timedelta"
    written: Any
    text: str | None = None  # str() of the parsed object, when reproduced exactly
    min_text: int = 0  # a lower bound on len(str(object).replace(".", ""))
    has_dot: bool | None = None  # whether str(object) has a ".", None when not known

    @property
    def kind(self) -> str:
        return f"a value of type `{self.type_name}`"

    def passes(self, name: str, bound: Any) -> bool:
        """Polyaxon's test `name` on the parsed object; raises what it raises, or _Unknown."""
        if name in _NUMERIC:
            raise TypeError(f"a {self.type_name} value is not a number")
        if name == "regex":
            re.compile(bound)  # a bad pattern fails first, as in re.match
            raise TypeError("expected string or bytes-like object")
        if name == "options":
            raise _NeverHolds(
                "Polyaxon compares the parsed object with each option, and no option written in YAML equals it"
            )
        if name in ("contains", "excludes"):
            if self.form != "model":
                raise TypeError(f"argument of type {self.type_name} is not iterable")
            if name == "excludes":
                return True
            raise _NeverHolds("Polyaxon looks for it among the parsed object's (field, value) pairs, never in them")
        if name in ("minLength", "maxLength"):
            if self.form != "url":
                raise TypeError(f"object of type {self.type_name} has no len()")
            return self._count(name, bound, None if self.text is None else len(self.text))
        if name == "decimalPlaces":
            if self.has_dot is False:
                raise IndexError("list index out of range")
            if isinstance(bound, str) or self.text is None:
                if isinstance(bound, str):
                    raise TypeError("a template is not a number")
                raise _Unknown
            return not len(self.text.split(".")[1]) > bound
        if name in ("minDigits", "maxDigits"):
            return self._count(name, bound, None if self.text is None else len(self.text.replace(".", "")))
        return True  # minItems, maxItems and the key predicates apply to lists and mappings only

    def _count(self, name: str, bound: Any, exact: int | None) -> bool:
        if isinstance(bound, str):
            raise TypeError("a template is not a number")  # Polyaxon compares the count with it as it is
        least = name.startswith("min")
        if exact is not None:
            return not exact < bound if least else not exact > bound
        if least and bound <= self.min_text:
            return True
        if not least and bound < self.min_text:
            return False
        raise _Unknown


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMERIC_TEXT = re.compile(r"^[-+]?[0-9]+(?:\.[0-9]*)?$")
_EPOCH = datetime.date(1970, 1, 1)
_MS_THRESHOLD = 2e10


def _date_from_number(number: float) -> datetime.date:
    seconds = number / 1000 if abs(number) > _MS_THRESHOLD else number
    if not math.isfinite(seconds) or abs(seconds) > 2.5e11:
        raise _Reject("is not a date")
    if seconds % 86400:
        raise _Reject("is a Unix time that is not a midnight, so not a date")
    return _EPOCH + datetime.timedelta(days=int(seconds // 86400))


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise _Reject("has a time of day, so is not a date")
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _date_from_number(float(value))
    if isinstance(value, str):
        if _NUMERIC_TEXT.match(value):
            return _date_from_number(float(value))
        if _ISO_DATE.match(value):
            return _date_text(value)
        raise _Reject("is not a date (write e.g. 2024-01-31)")
    raise _Reject("is not a date (write e.g. 2024-01-31)")


#: `YYYY-MM-DD`, alone or before a time: pydantic reads the day first, and rejects a day that does not exist.
_DAY_OUT_OF_RANGE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ])")


def _real_day(text: str) -> bool:
    """Whether the `YYYY-MM-DD` text names a day of the calendar (year 0 has none)."""
    try:
        datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return False
    return True


def _date_text(text: str) -> datetime.date:
    """An ISO date, or an ISO date and time at midnight (pydantic reads both as a date)."""
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        if _DAY_OUT_OF_RANGE.match(text) and not _real_day(text[:10]):
            raise _Reject("is not a date: there is no such day (write e.g. 2024-01-31)") from None
        raise _Unknown from None  # ISO forms Python and pydantic may read differently
    if moment.time() != datetime.time(0):
        raise _Reject("has a time of day, so is not a date")
    return moment.date()


def _uuid(value: Any) -> str:
    if not isinstance(value, str):
        raise _Reject("is not a UUID")
    try:
        return uuid.UUID(value).hex
    except ValueError:
        raise _Reject("is not a UUID") from None


_EMAIL_USER = re.compile(r"^[A-Za-z0-9._%+-]+$")
_EMAIL_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,6}$")


def _email(value: Any) -> str:
    if not isinstance(value, str):
        raise _Reject("is not a string")
    if "@" not in value:
        raise _Reject("is not an email address")
    user, domain = value.rsplit("@", 1)
    if not user or not domain:
        raise _Reject("is not an email address")
    if domain == "localhost" or _EMAIL_DOMAIN.match(domain):
        if _EMAIL_USER.match(user) and ".." not in user and not user.startswith(".") and not user.endswith("."):
            return value
        raise _Unknown
    if "." not in domain and domain.isascii() and domain.isalnum():
        raise _Reject("is not an email address (its domain has no dot)")
    raise _Unknown


_IMAGE_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")


def _image(value: Any) -> str:
    """clipped's docker image check (`validate_image`)."""
    if not value:
        raise _Reject("is empty, and an image is required")
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        raise _Reject("is not an image name")
    if _IMAGE_TEMPLATE.search(value):
        return value
    if " " in value:
        raise _Reject("is not a valid image name (it has a space)")
    parts = value.strip("htps:/").split(":")
    if len(parts) > 3 or (len(parts) == 3 and ("/" not in parts[1] or parts[1].startswith("/"))):
        raise _Reject("is not a valid image name (too many `:`)")
    return value


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: Schemes whose URLs need a host (the WHATWG "special" schemes pydantic's URL parser follows).
_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_WASB_HOST = re.compile(r"([^@]+)@([^.]+)\.blob\.core\.windows\.net")
_HTTPS_BLOB_HOST = re.compile(r"([^@]+)\.blob\.core\.windows\.net")


def _scheme(value: Any, example: str) -> str:
    """The URL's scheme, lowercased; raises _Reject for a non-string or a string without one."""
    if not isinstance(value, str):
        raise _Reject("is not a URL string")
    if value != value.strip() or any(ord(char) < 32 for char in value):
        raise _Unknown  # the URL parser trims and drops such characters first
    match = _SCHEME.match(value)
    if match is None:
        raise _Reject(f"is not a URL (it has no scheme such as `{example}`)")
    return match.group(1).lower()


def _uri(value: Any) -> Any:
    scheme = _scheme(value, "https://")
    rest = value[len(scheme) + 1 :]
    if scheme in _SPECIAL_SCHEMES and rest.lstrip("/\\")[:1] in ("", "?", "#"):
        raise _Reject("is a URL without a host")
    # Whether the URL parser takes a URL of another shape is not modelled; but a predicate that fails
    # on every parsed URL (or on the bounds of its text) fails on this one too, or the parse does.
    return _url("uri", value, scheme)


#: A URL whose text the URL parser keeps as it is (lowercase scheme, no port, query, escapes, or
#: `.`/`..` path segments); a special scheme's host is lowercase and gets a `/` when it has no path.
_PLAIN_URL = re.compile(
    r"^[a-z][a-z0-9+-]*://([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?:@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)?)"
    r"((?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*/?)$"
)


def _url(type_name: str, value: str, scheme: str) -> _Opaque:
    """A URL as Polyaxon holds it: its text when the parser keeps it, else bounds on it."""
    text: str | None = None
    match = _PLAIN_URL.match(value)
    if match is not None:
        host, path = match.groups()
        if scheme not in _SPECIAL_SCHEMES:
            text = value
        elif re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*", host):
            text = value if path else value + "/"
    least = len(scheme.replace(".", "")) + 1  # the text starts with `scheme:` whatever it normalises
    # the parser adds no `.` (it may drop `.` segments): no `.` written, none in the text
    has_dot = None if "." in value else False
    if text is not None:
        least, has_dot = len(text.replace(".", "")), "." in text
    return _Opaque(type_name, "url", value, text, least, has_dot)


def _bucket_url(type_name: str, schemes: frozenset[str], what: str) -> Callable[[Any], Any]:
    """gcs and s3: a URL with one of `schemes` and a bucket name."""

    def check(value: Any) -> Any:
        example = f"{min(schemes)}://bucket/key"
        scheme = _scheme(value, example)
        if scheme not in schemes:
            raise _Reject(f"is not {what} URL (write e.g. `{example}`)")
        if not urllib.parse.urlparse(value).netloc:
            raise _Reject(f"is {what} URL without a bucket name")
        return _url(type_name, value, scheme)

    return check


def _wasb(value: Any) -> Any:
    scheme = _scheme(value, "wasbs://container@account.blob.core.windows.net/path")
    if scheme not in ("https", "wasb", "wasbs", "az", "abfs"):
        raise _Reject("is not an Azure Blob URL (write e.g. `wasbs://container@account.blob.core.windows.net/path`)")
    netloc = urllib.parse.urlparse(value).netloc
    if scheme in ("wasb", "wasbs") and _WASB_HOST.match(netloc) is None:
        raise _Reject("is not of the form `wasbs://<container>@<account>.blob.core.windows.net`")
    if scheme == "https" and _HTTPS_BLOB_HOST.match(netloc) is None:
        raise _Reject("is not of the form `https://<account>.blob.core.windows.net/<container>`")
    return _url("wasb", value, scheme)


_DEF_OF_MODEL = {
    "git": "V1GitType",
    "artifacts": "V1ArtifactsType",
    "dockerfile": "V1DockerfileType",
    "file": "V1FileType",
    "tensorboard": "V1TensorboardType",
}


def _model(type_name: str) -> Callable[[Any], Any]:
    """An init handler type (git, artifacts, ...): the schema's definition of it judges the mapping."""

    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Reject(f"is not a mapping (a `{type_name}` value has the keys of the `{type_name}` handler)")
        from .validate import _schema_accepts

        if not _schema_accepts({"$ref": f"#/$defs/{_DEF_OF_MODEL[type_name]}"}, value):
            raise _Reject(f"is not a valid `{type_name}` mapping")
        return _model_object(type_name, value)

    return check


#: The fields of each model in the order `str()` writes them (`url=... revision=... flags=...`), with
#: the alias YAML may use and the default a missing field gets.
_MODEL_FIELDS: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    "git": (("url", None, None), ("revision", None, None), ("flags", None, None)),
    "artifacts": (("files", None, None), ("dirs", None, None), ("workers", None, None)),
    "dockerfile": (
        ("image", None, None), ("env", None, None), ("path", None, None), ("copy_", "copy", None),
        ("post_run_copy", "postRunCopy", None), ("run", None, None), ("lang_env", "langEnv", None),
        ("uid", None, None), ("gid", None, None), ("username", None, None), ("filename", None, "Dockerfile"),
        ("workdir", None, "/code"), ("workdir_path", "workdirPath", None), ("shell", None, "/bin/bash"),
    ),
    "file": (("kind", None, None), ("content", None, None), ("filename", None, None), ("chmod", None, None)),
    "tensorboard": (
        ("port", None, None), ("uuids", None, None), ("use_names", "useNames", None),
        ("path_prefix", "pathPrefix", None), ("plugins", None, None),
    ),
    "event": (("name", None, None), ("kind", None, None)),
}  # fmt: skip
#: Fields whose value the model rewrites (UUIDs normalised) or holds as any mapping: no exact text.
_REWRITTEN_FIELDS = frozenset({"uuids", "env"})


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether pydantic keeps `value` as it is and Python's repr writes it as `str()` of the model does."""
    if value is None or isinstance(value, (bool, int)):
        return True
    if isinstance(value, str):
        return "{{" not in value  # a template is held as a RefField
    if isinstance(value, list) and depth < 3:
        return all(_plain(item, depth + 1) for item in value)
    return False


def _model_text(type_name: str, value: dict[Any, Any]) -> str | None:
    """`str()` of the model Polyaxon builds from `value`, or None when not reproduced exactly."""
    fields = _MODEL_FIELDS[type_name]
    spellings = {spelling for field, alias, _ in fields for spelling in (field, alias) if spelling}
    if set(value) - spellings:
        return None
    parts = []
    for field, alias, default in fields:
        written = [spelling for spelling in (field, alias) if spelling and spelling in value]
        if len(written) > 1 or (written and field in _REWRITTEN_FIELDS):
            return None
        held = value[written[0]] if written else default
        if not _plain(held):
            return None
        parts.append(f"{field}={held!r}")
    return " ".join(parts)


def _dotted(value: Any, depth: int = 0) -> bool:
    """Whether `value` has a `.` in a string or key, or a float (whose text may have one)."""
    if depth > 50:
        return True
    if isinstance(value, str):
        return "." in value
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(_dotted(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return any(_dotted(key, depth + 1) or _dotted(item, depth + 1) for key, item in value.items())
    return not isinstance(value, (int, type(None)))  # a date or anything else: not known


def _model_object(type_name: str, value: dict[Any, Any]) -> _Opaque:
    """A model as Polyaxon holds it. Its `str()` is `field=repr ...` over every field: reproduced
    when plain, else bounded (each value is at least one character once dots are dropped, and the
    defaults, `filename='Dockerfile'` and the like, have no dot)."""
    text = _model_text(type_name, value)
    if text is not None:
        return _Opaque(type_name, "model", value, text, len(text.replace(".", "")), "." in text)
    fields = _MODEL_FIELDS[type_name]
    least = sum(len(field) + 2 for field, _, _ in fields) + len(fields) - 1
    return _Opaque(type_name, "model", value, None, least, None if _dotted(value) else False)


def _event(value: Any) -> Any:
    if not isinstance(value, dict):
        raise _Reject("is not a mapping with `name` and `kind`")
    if set(value) - {"name", "kind"}:
        raise _Reject("has keys other than `name` and `kind`")
    if any(item is not None and not isinstance(item, str) for item in value.values()):
        raise _Reject("has a `name` or `kind` that is not a string")
    return _model_object("event", value)


_DURATION_TEXT = re.compile(
    r"^[-+]?(?:P(?:[0-9]+[YMWD])+(?:T(?:[0-9]+[HMS])+)?|PT(?:[0-9]+[HMS])+"
    r"|(?:[0-9]+ ?d(?:ays?)?,? ?)?[0-9]+:[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?)$"
)


_DAYS_TEXT = re.compile(r"^[-+]?[0-9]+ ?d(?:ays?)?$")


#: `str()` of the shortest duration, `0:00:00`: no duration's text is shorter.
_SHORTEST_DURATION = 7
#: A written fraction of a second (`1.5`, `PT1,5S`): the duration's text may have microseconds.
_FRACTION = re.compile(r"[.]|,[0-9]")


_CLOCK = re.compile(r"^(?:([0-9]{1,6}) ?d(?:ays?)?,? ?)?([0-9]{1,6}):([0-5][0-9]):([0-5][0-9])$")
_DAYS = re.compile(r"^([0-9]{1,6}) ?d(?:ays?)?$")
_ISO_DAYS = re.compile(
    r"^P(?:([0-9]{1,6})W)?(?:([0-9]{1,6})D)?(?:T(?:([0-9]{1,6})H)?(?:([0-9]{1,6})M)?(?:([0-9]{1,6})S)?)?$"
)


def _duration_of_text(text: str) -> datetime.timedelta | None:
    """The duration of a whole-second `[N days, ]HH:MM:SS`, `N days` or ISO 8601 weeks-to-seconds text."""
    clock = _CLOCK.match(text)
    if clock is not None:
        days, hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    days_only = _DAYS.match(text)
    if days_only is not None:
        return datetime.timedelta(days=int(days_only.group(1)))
    iso = _ISO_DAYS.match(text)
    if iso is not None and text not in ("P", "PT") and not text.endswith("T"):
        weeks, days, hours, minutes, seconds = (int(part or 0) for part in iso.groups())
        return datetime.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    return None


def _duration(value: Any) -> _Opaque:
    """A duration as Polyaxon holds it: its text for a number of seconds or a plain duration text,
    else bounds on it."""
    text = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e9:
        if float(value * 1_000_000).is_integer():
            text = str(datetime.timedelta(seconds=value))
    elif isinstance(value, str):
        duration = _duration_of_text(value)
        text = None if duration is None else str(duration)
    if text is not None:
        return _Opaque("timedelta", "timedelta", value, text, len(text.replace(".", "")), "." in text)
    has_dot = False if isinstance(value, str) and not _FRACTION.search(value) else None
    return _Opaque("timedelta", "timedelta", value, None, _SHORTEST_DURATION, has_dot)


def _timedelta(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        raise _Reject("is not a duration")
    if isinstance(value, str):
        if _DURATION_TEXT.match(value) or _DAYS_TEXT.match(value):
            return _duration(value)
        if not any(char.isdigit() for char in value) or not (":" in value or "P" in value or "d" in value.lower()):
            # pydantic reads no number of seconds from a string: only `[N days] HH:MM:SS` or ISO 8601
            raise _Reject("is not a duration (write `PT1H`, `01:00:00` or `1 day`, or a number of seconds unquoted)")
        raise _Unknown
    from .validate import _schema_accepts

    if not _schema_accepts({"$ref": "#/$defs/pydantic-timedelta"}, value):
        raise _Reject("is not a duration (write seconds, `PT1H`, or `01:00:00`)")
    return _duration(value)


def _any(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class _Named:
    """One of Polyaxon's named types: whether a string is read as JSON first, and the check."""

    loadable: bool
    check: Callable[[Any], Any]


_NAMED: dict[str, _Named] = {
    "any": _Named(False, _any),
    "str": _Named(False, _generic_str),
    "path": _Named(False, _strict_str),
    "metric": _Named(True, _lax_float),
    "metadata": _Named(True, _is_dict),
    "date": _Named(False, _date),
    "datetime": _Named(False, _date),  # Polyaxon maps `datetime` to a date
    "timedelta": _Named(False, _timedelta),
    "uuid": _Named(False, _uuid),
    "email": _Named(False, _email),
    "image": _Named(False, _image),
    "uri": _Named(False, _uri),
    "gcs": _Named(False, _bucket_url("gcs", frozenset({"gs", "gcs"}), "a Google Cloud Storage")),
    "s3": _Named(False, _bucket_url("s3", frozenset({"s3"}), "an S3")),
    "wasb": _Named(False, _wasb),
    "event": _Named(True, _event),
    **{name: _Named(True, _model(name)) for name in _DEF_OF_MODEL},
}

#: Type strings clipped does not read as JSON although they are not named types.
_NOT_LOADED = frozenset({"bool", "Any"})

_LEAF: dict[str, Callable[[Any], Any]] = {
    "int": _lax_int,
    "float": _lax_float,
    "bool": _lax_bool,
    "str": _strict_str,
    "dict": _is_dict,
    "Dict": _is_dict,
    "list": _is_list,
    "List": _is_list,
    "Any": _any,
}


def _coerce(expr: _TypeExpr | _Named, value: Any, depth: int = 0) -> Any:
    """`value` validated as `expr` in pydantic's lax mode; raises _Reject, _Parsed or _Unknown."""
    if depth > 100:
        raise _Unknown
    if isinstance(expr, _Named):
        return expr.check(value)
    if expr.args is None:
        return _LEAF[expr.name](value)
    if expr.name == "Optional":
        return None if value is None else _coerce(expr.args[0], value, depth + 1)
    if expr.name in ("List", "list"):
        return [_item(expr.args[0], item, depth) for item in _is_list(value)]
    keys, values = expr.args
    return {_item(keys, k, depth): _item(values, v, depth) for k, v in _is_dict(value).items()}


def _item(expr: _TypeExpr | _Named, value: Any, depth: int) -> Any:
    try:
        return _coerce(expr, value, depth + 1)
    except _Reject as rejected:
        raise _Reject(f"has an item `{yaml_text(value, 40)}` that {rejected.reason}") from None


@dataclass(frozen=True)
class _ListOf:
    """`isList: true`: a list of the type, always read as JSON when a string."""

    item: _TypeExpr | _Named


#: What a value of these types is, for messages.
_NOUNS = {"int": "an integer", "float": "a number", "metric": "a number", "dict": "a mapping", "Dict": "a mapping",
          "metadata": "a mapping", "list": "a list", "List": "a list"}  # fmt: skip


def _json_reason(type_text: str, text: str, reason: str) -> str:
    """Why a string of a type Polyaxon reads as JSON is rejected."""
    if _TEMPLATE.search(text):
        return "is a template, which Polyaxon does not resolve here: it reads a string of this type as JSON"
    if reason != "is not valid JSON":
        return reason
    head = type_text.split("[", 1)[0].strip()
    noun = _NOUNS.get(head)
    if noun is not None:
        return f"is not {noun}"
    return "does not parse: Polyaxon reads a string of this type as JSON"


def parse_value(type_text: str, value: Any, is_list: bool) -> Any:
    """The value as Polyaxon parses it. Raises _Reject, _Crash, _Parsed (valid, form unknown) or _Unknown."""
    named = _NAMED.get(type_text)
    target: _TypeExpr | _Named = named if named is not None else type_expression(type_text)
    loadable = is_list or (named.loadable if named is not None else type_text not in _NOT_LOADED)
    if loadable and isinstance(value, str):
        try:
            value = _load_json(value)
        except _Reject as rejected:
            raise _Reject(_json_reason(type_text, value, rejected.reason)) from None
    if is_list:
        return [_item(target, item, 0) for item in _is_list(value)]
    return _coerce(target, value)


# ---------------------------------------------------------------------- validation predicates

#: Predicates in the order Polyaxon runs them, each with its spellings (alias, field name).
_ITEM_PREDICATES = (
    ("gt", "gt"),
    ("ge", "ge"),
    ("lt", "lt"),
    ("le", "le"),
    ("multipleOf", "multiple_of"),
    ("minDigits", "min_digits"),
    ("maxDigits", "max_digits"),
    ("decimalPlaces", "decimal_places"),
    ("regex", "regex"),
    ("minLength", "min_length"),
    ("maxLength", "max_length"),
    ("contains", "contains"),
    ("excludes", "excludes"),
    ("options", "options"),
)
_SIZE_PREDICATES = (("minItems", "min_items"), ("maxItems", "max_items"))
_KEY_PREDICATES = (("keys", "keys"), ("containsKeys", "contains_keys"), ("excludesKeys", "excludes_keys"))
_NUMERIC = frozenset({"gt", "ge", "lt", "le", "multipleOf"})
_COUNTS = frozenset({"minDigits", "maxDigits", "decimalPlaces", "minLength", "maxLength", "minItems", "maxItems"})
_KEY_LISTS = frozenset({"keys", "containsKeys", "excludesKeys"})
_KNOWN_KEYS = frozenset(
    {"delay"}
    | {name for group in (_ITEM_PREDICATES, _SIZE_PREDICATES, _KEY_PREDICATES) for pair in group for name in pair}
)
_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")


@dataclass(frozen=True)
class _Predicate:
    name: str  # the canonical (alias) name
    bound: Any  # as Polyaxon holds it after reading the validation
    path: list[Any]  # where it is written, relative to the IO


def _bound(name: str, raw: Any) -> Any:
    """The predicate's argument as V1Validation reads it; raises _Unknown when the schema judges it."""
    if raw is None:
        return None
    if name in _NUMERIC:
        if isinstance(raw, (int, float)):
            return float(raw) if isinstance(raw, bool) else raw
        if isinstance(raw, str):
            if _TEMPLATE.search(raw) and not _FLOAT_TEXT.match(raw):
                return raw
            if _FLOAT_TEXT.match(raw) and len(raw) < 400:
                return float(raw.strip().replace("_", ""))
        raise _Unknown
    if name in _COUNTS:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and _TEMPLATE.search(raw):
            return raw
        raise _Unknown
    if name == "regex":
        if isinstance(raw, str) and len(raw) <= 500 and not _RISKY_REGEX.search(raw):
            return raw
        raise _Unknown
    if name in _KEY_LISTS:
        if isinstance(raw, list) and all(isinstance(key, str) for key in raw):
            return raw
        if isinstance(raw, str) and _TEMPLATE.search(raw):
            return raw
        raise _Unknown
    return raw


#: A group with a quantifier inside, itself repeated: a pattern that can take exponential time.
_RISKY_REGEX = re.compile(r"[*+}][^()]*\)[*+{?]")


def _spelled(validation: dict[Any, Any], pair: tuple[str, str]) -> tuple[Any, Any] | None:
    for spelling in pair:
        if spelling in validation:
            return spelling, validation[spelling]
    return None


def predicates(io: dict[Any, Any]) -> list[_Predicate]:
    """The predicates that apply to the IO (IO-level `options` folded in); raises _Unknown if unreadable."""
    validation = io.get("validation")
    if validation is None:
        validation = {}
    if not isinstance(validation, dict) or set(validation) - _KNOWN_KEYS:
        raise _Unknown
    found = []
    for group in (_ITEM_PREDICATES, _SIZE_PREDICATES, _KEY_PREDICATES):
        for pair in group:
            spelled = _spelled(validation, pair)
            path: list[Any] = []
            raw = None
            if spelled is not None:
                path, raw = ["validation", spelled[0]], spelled[1]
            if pair[0] == "options" and io.get("options") is not None:
                path, raw = ["options"], io["options"]
            bound = _bound(pair[0], raw)
            if bound is not None:
                found.append(_Predicate(pair[0], bound, path))
    return found


class _Failed(Exception):
    """A predicate rejects the value; `text` is the finding's message, `path` where it points."""

    def __init__(self, text: str, path: list[Any]) -> None:
        super().__init__(text)
        self.text = text
        self.path = path


_RULE_WORDS = {
    "gt": "greater than {}",
    "ge": "at least {}",
    "lt": "less than {}",
    "le": "at most {}",
    "multipleOf": "a multiple of {}",
}


def _shown(value: Any) -> str:
    if isinstance(value, _Opaque):
        value = value.written
    return f"`{yaml_text(value, 40)}`"


def _passes(predicate: _Predicate, value: Any) -> bool:
    """Polyaxon's test for one predicate on one value; raises what Polyaxon's test raises."""
    bound, name = predicate.bound, predicate.name
    if isinstance(value, _Opaque):
        return value.passes(name, bound)
    if name == "regex" and isinstance(value, str) and len(value) > 10_000:
        raise _Unknown
    tests: dict[str, Callable[[], bool]] = {
        "gt": lambda: not value <= bound,
        "ge": lambda: not value < bound,
        "lt": lambda: not value >= bound,
        "le": lambda: not value > bound,
        "multipleOf": lambda: _multiple(value, bound),
        "minDigits": lambda: not len(_digits(value)) < bound,
        "maxDigits": lambda: not len(_digits(value)) > bound,
        "decimalPlaces": lambda: not len(_text(value).split(".")[1]) > bound,
        "regex": lambda: re.match(bound, value) is not None,
        "minLength": lambda: not len(value) < bound,
        "maxLength": lambda: not len(value) > bound,
        "contains": lambda: bound in value,
        "excludes": lambda: bound not in value,
        "options": lambda: value in bound,
        "minItems": lambda: not len(value) < bound,
        "maxItems": lambda: not len(value) > bound,
        "keys": lambda: set(value.keys()) == set(bound),
        "containsKeys": lambda: all(key in value for key in bound),
        "excludesKeys": lambda: not any(key in value for key in bound),
    }
    return tests[name]()


def _text(value: Any) -> str:
    if isinstance(value, (list, dict)) and _size(value) > 1000:
        raise _Unknown
    return str(value)


def _digits(value: Any) -> str:
    return _text(value).replace(".", "")


def _multiple(value: Any, bound: Any) -> bool:
    if isinstance(value, str):
        raise TypeError("a string is not a number")  # `%` formats a string: never 0, or a TypeError
    result: Any = value % bound
    return bool(result == 0)


def _size(value: Any) -> int:
    stack, count = [value], 0
    while stack and count <= 10_000:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _rule_text(predicate: _Predicate) -> str:
    bound, name = predicate.bound, predicate.name
    if name in _RULE_WORDS:
        return "must be " + _RULE_WORDS[name].format(yaml_text(bound, 40))
    words = {
        "minDigits": f"must have at least {bound} digits",
        "maxDigits": f"must have at most {bound} digits",
        "decimalPlaces": f"must have at most {bound} decimal places",
        "regex": f"must match `{yaml_text(bound, 60)}`",
        "minLength": f"must have at least {bound} characters",
        "maxLength": f"must have at most {bound} characters",
        "contains": f"must contain {_shown(bound)}",
        "excludes": f"must not contain {_shown(bound)}",
        "options": f"must be one of {_shown(bound)}",
        "minItems": f"must have at least {bound} items",
        "maxItems": f"must have at most {bound} items",
        "keys": f"must have exactly the keys {_shown(bound)}",
        "containsKeys": f"must have the keys {_shown(bound)}",
        "excludesKeys": f"must not have the keys {_shown(bound)}",
    }
    return words[name]


def _where(predicate: _Predicate) -> str:
    return "`" + ".".join(str(part) for part in predicate.path) + "`"


def _check(io_name: str, predicate: _Predicate, value: Any, whole: bool, shown: Any) -> None:
    """Raise _Failed unless `predicate` holds on `value` (`shown` is how the message quotes it)."""
    try:
        if _passes(predicate, value):
            return
    except _Unknown:
        raise
    except _NeverHolds as never:
        raise _Failed(
            f"{_where(predicate)} never holds for `{io_name}`'s value {_shown(value)}, {_kind(value)}: "
            f"{never.why}, so it rejects the value.",
            predicate.path,
        ) from None
    except re.error as error:
        raise _Failed(
            f"{_where(predicate)} is not a valid regular expression ({error}); Polyaxon fails on it.", predicate.path
        ) from None
    except Exception as error:  # Polyaxon's own test raises here too: it fails on the file
        raise _Failed(_inapplicable(io_name, predicate, value, error), predicate.path) from None
    subject = "its value is" if whole else "it has the item"
    read = ""
    if isinstance(value, _Opaque) and value.text is not None and value.text != value.written:
        read = f" (Polyaxon counts in its text, `{value.text}`)"
    raise _Failed(
        f"`{io_name}` {_rule_text(predicate)} ({_where(predicate)}), but {subject} {_shown(shown)}{read}.",
        predicate.path,
    )


def _inapplicable(io_name: str, predicate: _Predicate, value: Any, error: Exception) -> str:
    """Why a predicate cannot run on the value (Polyaxon's check raises, so the file is rejected)."""
    crash = f"Polyaxon fails on it ({type(error).__name__})"
    if predicate.name in _NUMERIC and isinstance(predicate.bound, str):
        return f"{_where(predicate)} is a template, which Polyaxon compares with `{io_name}`'s value as it is; {crash}."
    if predicate.name in _NUMERIC:
        kind = _kind(value)
        return (
            f"{_where(predicate)} compares `{io_name}`'s value with a number, but {_shown(value)} is {kind}; {crash}."
        )
    if isinstance(value, _Opaque) and predicate.name in _COUNTS and isinstance(predicate.bound, str):
        return f"{_where(predicate)} is a template, which Polyaxon compares with a count as it is; {crash}."
    if predicate.name == "decimalPlaces" and isinstance(error, IndexError) and isinstance(value, _Opaque):
        return (
            f"{_where(predicate)} counts the decimals in the text of `{io_name}`'s parsed value {_shown(value)} "
            f"({value.kind}), which has no decimal point; {crash}."
        )
    if predicate.name == "decimalPlaces" and isinstance(error, IndexError):
        return (
            f"{_where(predicate)} needs a value written with a decimal point, but `{io_name}`'s value "
            f"{_shown(value)} has none; {crash}."
        )
    return f"{_where(predicate)} does not apply to `{io_name}`'s value {_shown(value)} ({_kind(value)}); {crash}."


def _kind(value: Any) -> str:
    """'an integer', 'a `dockerfile` value': what Polyaxon holds, for messages."""
    return value.kind if isinstance(value, _Opaque) else value_kind(value)


def run_predicates(io_name: str, found: list[_Predicate], value: Any, written: Any) -> None:
    """Polyaxon's `run_validation` on the parsed value; raises _Failed on the first failure.

    `written` is the value as the file has it, which messages quote for the whole value.
    """
    if value is None:  # an Optional type read `null`: Polyaxon skips the predicates
        return
    if isinstance(value, (list, dict)) and _size(value) > 10_000:
        raise _Unknown
    container = isinstance(value, (list, dict))
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    per_item = [p for p in found if p.name in dict(_ITEM_PREDICATES)]
    for item in items:
        for predicate in per_item:
            _check(io_name, predicate, item, not container, item if container else written)
    if container:
        for predicate in found:
            if predicate.name in ("minItems", "maxItems"):
                _check(io_name, predicate, value, True, written)
    if isinstance(value, dict):
        for predicate in found:
            if predicate.name in dict(_KEY_PREDICATES):
                _check(io_name, predicate, value, True, written)


# ---------------------------------------------------------------------- one IO, then the document


def _type_message(name: str, type_text: str, value: Any, reason: str) -> str:
    return f"`{name}` has type `{type_text}`, but its value {_shown(value)} {reason}."


def _schema_reports_type(type_text: str) -> bool:
    return type_text in _SCHEMA_CRASH_NAMES or bool(_SCHEMA_CRASH_PREFIX.match(type_text))


def _is_list_flag(io: dict[Any, Any]) -> bool:
    """`isList` as pydantic reads it; raises _Unknown when it is not a boolean (the schema's to report)."""
    flag = io.get("isList", io.get("is_list"))
    if flag is None:
        return False
    try:
        return _lax_bool(flag)
    except _Reject:
        raise _Unknown from None


def _finding(path: list[Any], message: str) -> Finding:

    return Finding(path, clip_message(message))


def io_finding(io: dict[Any, Any], path: list[Any]) -> Finding | None:
    """The finding for one input/output, or None when Polyaxon accepts it (or the model cannot tell)."""
    name, type_text, value = io.get("name"), io.get("type"), io.get("value")
    if not isinstance(name, str) or not isinstance(type_text, str) or not type_text or value is None:
        return None
    if _schema_reports_type(type_text):
        return None
    try:
        parsed = parse_value(type_text, value, _is_list_flag(io))
        found = predicates(io)
        run_predicates(name, found, parsed, value)
    except _Reject as rejected:
        return _finding([*path, "value"], _type_message(name, type_text, value, rejected.reason))
    except _Crash as crash:
        what = "the type starts with a space" if crash.indented else f"`{crash.name}` is not a type name it knows"
        if crash.literal:
            what = f"`{crash.name}` is a value in Python, not a type"
        if crash.template:
            what = "a template, which Polyaxon reads as it is when it checks the value"
        message = (
            f"Polyaxon cannot check `{name}`'s value against type `{type_text}` ({what}; it crashes); "
            "write a type such as `int`, `float`, `bool`, `str`, `List[int]` or `Dict[str, int]`."
        )
        return _finding([*path, "type"], message)
    except _Failed as failed:
        return _finding([*path, *failed.path], failed.text)
    except (_Parsed, _Unknown, RecursionError, ValueError, TypeError, OverflowError, MemoryError):
        # _Parsed: valid, but in a form not reproduced here, so its predicates are not judged.
        return None
    return None


def _parses_to_null(io: dict[Any, Any]) -> bool:
    """Whether the value may be read as null (`Optional[int]` and `'null'`): Polyaxon then has no value."""
    type_text = io.get("type")
    if not isinstance(type_text, str) or not type_text:
        return False
    try:
        return parse_value(type_text, io["value"], _is_list_flag(io)) is None
    except _Parsed:
        return False
    except Exception:  # not modelled (or rejected, which io_finding reports): null only if the type allows it
        return "Optional" in type_text or "None" in type_text


def _optional_flag(flag: Any) -> bool | None:
    """`isOptional` as Polyaxon reads it: True, False, or None (null); a template is a truthy string."""
    if flag is None or (isinstance(flag, str) and _TEMPLATE.search(flag)):
        return None if flag is None else True
    try:
        return _lax_bool(flag)
    except _Reject:
        return True  # not a boolean: the schema reports the type


def required_with_value(io: dict[Any, Any], path: list[Any]) -> Finding | None:
    """An IO with a `value` that Polyaxon still reads as not optional. A `value` alone makes it optional;
    `isOptional` read as false or null does not: `V1IO.validate_io` refuses a value that is not null
    (`not is_optional and value is not None`), and `handle_validation` a `value` key beside a false
    `isOptional`, even a null value (when it reads the file for `false`, for a false-like text or
    number once the operation is composed and its IOs are read again). `isOptional: false` is the
    schema rule io-required-with-value. Only for an IO's own value: a param fed to it is not checked so."""
    written = [key for key in ("isOptional", "is_optional") if key in io]
    if len(written) != 1 or "value" not in io:
        return None  # none: the value makes it optional; both: which one pydantic keeps is not modelled
    key = written[0]
    flag = io[key]
    optional = _optional_flag(flag)
    if optional or (key == "isOptional" and flag is False):
        return None
    if optional is None and (io["value"] is None or _parses_to_null(io)):
        return None
    name = io.get("name")
    called = f"`{name}`" if isinstance(name, str) else "this IO"
    message = (
        f"`{key}: {yaml_text(flag, 20)}` makes {called} required for Polyaxon, so it cannot also have a `value`; "
        f"drop `{key}` (a `value` alone makes it optional) or set it to `true`."
    )
    return _finding([*path, key], message)


def _io_lists(spec: dict[Any, Any], path: list[Any]) -> Iterator[Finding]:
    for section in ("inputs", "outputs"):
        ios = spec.get(section)
        if not isinstance(ios, list):
            continue
        for index, io in enumerate(ios):
            if isinstance(io, dict):
                # Polyaxon checks the value against its type first, then whether the IO is optional
                finding = io_finding(io, [*path, section, index]) or required_with_value(io, [*path, section, index])
                if finding is not None:
                    yield finding


def _specs(spec: Any, path: list[Any], depth: int = 0) -> Iterator[Finding]:
    """Every component or operation under `spec` (inline components, DAG components and operations)."""
    if not isinstance(spec, dict) or depth > 50:
        return
    yield from _io_lists(spec, path)
    yield from _specs(spec.get("component"), [*path, "component"], depth + 1)
    run = spec.get("run")
    if isinstance(run, dict):
        for section in ("components", "operations"):
            nodes = run.get(section)
            if isinstance(nodes, list):
                for index, node in enumerate(nodes):
                    yield from _specs(node, [*path, "run", section, index], depth + 1)


def io_value_findings(value: Any) -> Iterator[Finding]:
    """One finding per input or output whose `value` Polyaxon rejects, anywhere in the document."""
    try:
        found = list(_specs(value, []))
    except RecursionError:
        return
    yield from found

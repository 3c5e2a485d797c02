"""Values safe to hand to python-jsonschema, which puts `repr(instance)` into every error it creates.

That repr is eager and unbounded: a 400 KB string used 160 times through aliases costs gigabytes
of messages nobody reads, and an int of more than 4,300 digits makes `repr()` raise. `printable()`
wraps such strings and ints in subclasses with a short repr; they compare, hash, match patterns
and validate exactly as the originals do. Our own messages never use these reprs (see messages).
"""

from __future__ import annotations

from typing import Any

#: Strings longer than this and ints with more bits are wrapped before python-jsonschema
#: sees them: it puts `repr(instance)` into every error message, eagerly.
_LONG_STRING = 200
_LONG_INT_BITS = 1024


class _LongString(str):
    """A long string whose repr is short: a 400 KB string repeated through aliases would
    otherwise put megabytes into each of jsonschema's messages. Its value is unchanged."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<a string of {len(self):,} characters>"


class _LongInt(int):
    """A huge int whose repr does not fail: Python refuses `repr()` of an int of more than
    4,300 digits (`chmod: 0x` and 5,000 f's), and jsonschema calls it for its messages."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<an integer of {self.bit_length():,} bits>"

    __str__ = __repr__


def printable(value: Any) -> Any:
    """`value` with its long strings and huge ints wrapped (see above), sharing what aliases share.

    Walks each distinct container once, so an alias bomb below the node limit stays cheap,
    and copies only the containers that hold something to wrap.
    """
    done: dict[int, Any] = {}
    return _wrap(value, done)


def _wrap(value: Any, done: dict[int, Any]) -> Any:
    if type(value) is str:
        return _LongString(value) if len(value) > _LONG_STRING else value
    if type(value) is int:
        return _LongInt(value) if value.bit_length() > _LONG_INT_BITS else value
    if not isinstance(value, (dict, list)):
        return value
    known = done.get(id(value))
    if known is not None:
        return known
    done[id(value)] = value  # a value that contains itself is refused by the reader; this only guards
    if isinstance(value, list):
        items = [_wrap(item, done) for item in value]
        wrapped: Any = items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    else:
        # keys too: jsonschema quotes unexpected keys in its messages ("'k…' was unexpected")
        pairs = {_wrap(key, done): _wrap(item, done) for key, item in value.items()}
        changed = any(a is not b for a, b in zip(pairs, value, strict=True))
        wrapped = pairs if changed or any(pairs[key] is not item for key, item in value.items()) else value
    done[id(value)] = wrapped
    return wrapped

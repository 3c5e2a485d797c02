"""Give memory back to the system once a document is gone (didClose).

The server raises the cyclic GC's thresholds (`server.tune_gc`), so the cycles a closed
document leaves would wait for a late collection; and glibc keeps freed heap blocks (a
large document's strings, an alias bomb's expansion) for reuse instead of returning them.
`give_back()` collects now and asks glibc to trim its heap (`malloc_trim`), when it is glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def give_back() -> None:
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)

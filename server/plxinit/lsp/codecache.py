"""A disk cache for the code that attrs and cattrs generate at import time (faster cold starts).

Importing `lsprotocol.types` defines ~570 attrs classes; attrs writes the source of each
class's `__init__`, `__eq__`, `__repr__`... and `compile()`s it, which is about half of that
import (~130 of ~260 ms), and cattrs does the same for each structuring function it makes.
The sources are the same on every start, so the compiled code objects are kept, marshalled,
in `~/.cache/plx-lsp/` (or `$XDG_CACHE_HOME/plx-lsp/`), in a file named after the Python,
attrs and cattrs versions: Python's own `.pyc` idea, for generated code.

`install()` makes the `compile` of attrs' and cattrs' generator modules look in the cache
first (a miss compiles as before); `save()` writes what was compiled anew. Any problem with
the cache (unwritable folder, corrupt file, another version) only means compiling as usual.
`PLX_LSP_NO_CODE_CACHE=1` turns it off.
"""

from __future__ import annotations

import builtins
import logging
import marshal
import os
import sys
from importlib import metadata
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

log = logging.getLogger("plx-lsp")

DISABLE_ENV = "PLX_LSP_NO_CODE_CACHE"
_GENERATORS = ("attr._make", "cattrs.gen")

_cache: dict[tuple[Any, ...], CodeType] = {}
_new: dict[tuple[Any, ...], CodeType] = {}
_path: Path | None = None


def cache_file() -> Path | None:
    """Where the cache for this Python, attrs and cattrs lives (None when unknown)."""
    try:
        versions = "-".join(metadata.version(name) for name in ("attrs", "cattrs", "lsprotocol"))
    except metadata.PackageNotFoundError:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plx-lsp"
    return base / f"generated-{sys.implementation.cache_tag}-{versions}.marshal"


def _compile(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
    if not isinstance(source, str) or "def __hash__" in source:
        # attrs writes this process's random hash seed into generated `__hash__` methods: such
        # a source is new on every start, so caching it would only grow the file
        return builtins.compile(source, filename, mode, *args, **kwargs)
    key = (source, filename, mode, args, tuple(sorted(kwargs.items())))
    code = _cache.get(key)
    if code is None:
        code = builtins.compile(source, filename, mode, *args, **kwargs)
        if isinstance(code, CodeType):
            _cache[key] = _new[key] = code
    return code


def install() -> None:
    """Route attrs' and cattrs' code generation through the cache (imports them: both are needed)."""
    global _path
    if os.environ.get(DISABLE_ENV) or _path is not None:
        return
    _path = cache_file()
    if _path is None:
        return
    try:
        loaded = marshal.loads(_path.read_bytes())
        if isinstance(loaded, dict):
            _cache.update(loaded)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as error:
        log.debug("ignoring the code cache %s: %s", _path, error)
    import importlib

    for name in _GENERATORS:
        try:
            module: ModuleType = importlib.import_module(name)
        except ImportError:
            continue
        module.compile = _compile  # type: ignore[attr-defined]  # shadows the builtin in that module only


def save() -> None:
    """Write the cache if something was compiled anew (atomically; errors are ignored)."""
    if _path is None or not _new:
        return
    try:
        _path.parent.mkdir(parents=True, exist_ok=True)
        partial = _path.with_name(f"{_path.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(_cache))
        os.replace(partial, _path)
        _new.clear()
    except (OSError, ValueError) as error:
        log.debug("could not write the code cache %s: %s", _path, error)

"""Find and read the files the CLI is asked to check, turning every I/O problem into a message."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .detect import YAML_SUFFIXES, is_polyaxonfile

MAX_BYTES = 20 * 1024 * 1024
_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


@dataclass
class Source:
    """One input: its path as given, and either its text or why it could not be read."""

    path: str
    text: str | None = None
    problem: str | None = None


def read_bytes_as_text(path: str, data: bytes) -> Source:
    """Decode a file's bytes, refusing binary data and invalid UTF-8 with a clear reason."""
    if len(data) > MAX_BYTES:
        return Source(path, problem=f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    if b"\x00" in data[:65536]:
        return Source(path, problem="not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Source(
            path,
            problem=f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "polyaxonfiles must be UTF-8",
        )
    return Source(path, text=text.removeprefix("\ufeff"))


def read_source(path: str) -> Source:
    """Read one file (or standard input for `-`)."""
    if path == "-":
        return read_bytes_as_text("<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1))
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Source(path, problem="no such file")
    except IsADirectoryError:
        return Source(path, problem="is a directory")
    except PermissionError:
        return Source(path, problem="permission denied")
    except OSError as error:
        return Source(path, problem=f"cannot be read ({error.strerror or error})")
    return read_bytes_as_text(path, data)


def expand(paths: list[str]) -> Iterator[tuple[Source, bool]]:
    """Every file to check, with `True` when it was named explicitly.

    Directories are walked recursively for .yaml/.yml/.json files; a file found that way
    is kept only if it looks like a polyaxonfile (the caller reports the others with -v).
    """
    for given in paths:
        if given != "-" and os.path.isdir(given):
            for found in _walk(Path(given)):
                yield read_source(str(found)), False
        else:
            yield read_source(given), True


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                yield Path(directory) / name


def looks_like_polyaxonfile(source: Source) -> bool:
    """Whether a file found in a directory scan should be checked."""
    return source.text is not None and is_polyaxonfile(source.path, source.text)

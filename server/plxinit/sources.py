"""Find and read the files the CLI is asked to check, turning every I/O problem into a message.

Nothing here may block or raise: a FIFO, a device or a socket is refused after a `stat` (and
opened with O_NONBLOCK, in case it changed in between), a symlink loop or an unreadable
directory becomes a problem of that path, and undecodable bytes get a reason a user can act on.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from .detect import YAML_SUFFIXES, is_polyaxonfile

MAX_BYTES = 20 * 1024 * 1024
_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
STDIN = "<stdin>"

# Byte order marks of encodings YAML allows but Polyaxon (which reads UTF-8) does not; UTF-32
# first, since its little-endian mark starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)

_FILE_TYPES = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass
class Source:
    """One input: its path as given, and either its text or why it could not be read."""

    path: str
    text: str | None = None
    problem: str | None = None
    is_directory: bool = False  # a directory of a scan that could not be listed


def read_bytes_as_text(path: str, data: bytes) -> Source:
    """Decode a file's bytes, refusing other encodings, binary data and invalid UTF-8 with a clear reason."""
    if len(data) > MAX_BYTES:
        return Source(path, problem=f"file is too large (more than {MAX_BYTES:,} bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Source(path, problem=f"{encoding} is not supported; save the file as UTF-8")
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


def _os_problem(path: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return _missing(path)
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if error.errno == errno.ELOOP:
        return "cannot be read (a symlink loop)"
    return f"cannot be read ({error.strerror or error})"


def _missing(path: str) -> str:
    """Why a path that does not resolve is missing: nothing there, or a link to nothing."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError):
        return "no such file"
    shown = target if len(target) <= 200 else target[:199] + "…"
    return f"a broken symbolic link (to {shown!r}, which does not exist)"


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is refused (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    for test, name in _FILE_TYPES:
        if test(mode):
            return f"not a regular file ({name})"
    return "not a regular file"


def _read_stdin() -> Source:
    stream = sys.stdin
    if stream is None:
        return Source(STDIN, problem="standard input is closed")
    try:
        data = stream.buffer.read(MAX_BYTES + 1)
    except (OSError, ValueError) as error:  # ValueError: a closed file object
        return Source(STDIN, problem=f"cannot be read ({getattr(error, 'strerror', None) or error})")
    return read_bytes_as_text(STDIN, data)


def read_source(path: str) -> Source:
    """Read one file (or standard input for `-`) without ever blocking."""
    if path == "-":
        return _read_stdin()
    try:
        problem = _not_regular(os.stat(path).st_mode)
        if problem:
            return Source(path, problem=problem)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            problem = _not_regular(os.fstat(fd).st_mode)  # it may have been swapped since the stat
            if problem:
                return Source(path, problem=problem)
            chunks: list[bytes] = []
            size = 0
            while size <= MAX_BYTES:
                chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as error:
        return Source(path, problem=_os_problem(path, error))
    except ValueError as error:  # a path with a NUL character
        return Source(path, problem=f"cannot be read ({error})")
    return read_bytes_as_text(path, b"".join(chunks))


@dataclass
class Scan:
    """What one PATH argument gave: the sources to check, and how many YAML files it looked at."""

    given: str
    is_directory: bool
    looked_at: int = 0


def expand(paths: list[str]) -> Iterator[tuple[Scan, Iterator[Source]]]:
    """Each PATH argument with the inputs it gives, read lazily.

    A file (or `-`) gives itself. A directory is walked recursively (symlinked directories are
    not entered) for .yaml, .yml and .json files; the caller keeps those that look like
    polyaxonfiles (see `looks_like_polyaxonfile`). A found file that cannot be read, and a
    directory that cannot be listed, come with their problem: they are never skipped silently.
    `Scan.looked_at` counts the files read so far.
    """
    for given in paths:
        if given != "-" and _is_directory(given):
            scan = Scan(given, is_directory=True)
            yield scan, _counted(scan, _walk(given))
        else:
            yield Scan(given, is_directory=False, looked_at=1), iter([read_source(given)])


def _counted(scan: Scan, sources: Iterator[Source]) -> Iterator[Source]:
    for source in sources:
        scan.looked_at += 1
        yield source


def _is_directory(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _walk(root: str) -> Iterator[Source]:
    unlistable: list[Source] = []

    def on_error(error: OSError) -> None:
        where = error.filename if isinstance(error.filename, str) else root
        problem = f"directory cannot be listed ({error.strerror or error})"
        unlistable.append(Source(where, problem=problem, is_directory=True))

    for directory, subdirs, files in os.walk(root, onerror=on_error):
        yield from unlistable
        unlistable.clear()
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                yield read_source(os.path.join(directory, name))
    yield from unlistable


def looks_like_polyaxonfile(source: Source) -> bool:
    """Whether a readable file found in a directory scan should be checked."""
    return source.text is not None and is_polyaxonfile(source.path, source.text)

"""Which open documents the server serves: the shared detection rules applied to LSP URIs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlparse

from ..detect import DEFAULT_GLOBS, content_matches, matches_globs
from ..detect import is_polyaxonfile as _is_polyaxonfile

__all__ = ["DEFAULT_GLOBS", "content_matches", "is_polyaxonfile", "matches_globs", "uri_to_path"]


def uri_to_path(uri: str) -> str:
    """The POSIX-style path of a `file:` URI (other schemes: the URI's path part)."""
    parsed = urlparse(uri)
    path = unquote(parsed.path or "")
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/x -> C:/x
        path = path[1:]
    return path.replace("\\", "/")


def is_polyaxonfile(uri: str, text: str, globs: Sequence[str], roots: Sequence[str] = ()) -> bool:
    """Both rules: the name globs first (cheap), then the content."""
    return _is_polyaxonfile(uri_to_path(uri), text, globs, roots)

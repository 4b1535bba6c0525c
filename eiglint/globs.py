"""Glob patterns over ``/``-separated relative paths (exclude, per-file-ignores, .gitignore).

One translation serves all three: ``*`` and ``?`` stay inside one path segment, ``[...]`` is a
character class (``[!...]`` negated), ``**/`` matches zero or more folders, a trailing ``/**``
everything below a folder. A pattern without ``/`` is matched against the last segment only.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from re import Pattern


def _segment(glob: str) -> str:
    """Regex for a glob that contains no ``**``."""
    out = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i < n:
            out.append(re.escape(glob[i]))
            i += 1
        elif c == "[":
            j = i
            if j < n and glob[j] in "!^":
                j += 1
            if j < n and glob[j] == "]":
                j += 1
            while j < n and glob[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal "["
                out.append("\\[")
                continue
            body = glob[i:j]
            i = j + 1
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            body = body.replace("\\", "\\\\")
            out.append(f"(?!/)[{body}]")
        else:
            out.append(re.escape(c))
    return "".join(out)


def glob_to_regex(pattern: str) -> str:
    """Regex (without anchors) for a glob matched against a whole relative path."""
    parts = pattern.split("/")
    out = []
    last = len(parts) - 1
    for k, part in enumerate(parts):
        if part == "**":
            if k == last:
                out.append(".*")  # "a/**": everything below a
            else:
                out.append("(?:[^/]+/)*")  # "**/": zero or more folders
            continue
        out.append(_segment(part))
        if k != last:
            out.append("/")
    return "".join(out)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Pattern[str]:
    return re.compile(glob_to_regex(pattern) + r"\Z", re.DOTALL)


def relative_posix(path: str, root: str = "") -> str:
    """``path`` relative to ``root`` (the current folder when empty), with ``/`` separators."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root or os.curdir))
    return rel.replace(os.sep, "/")


def normal_pattern(pattern: str) -> str:
    """A pattern without surrounding blanks, trailing ``/`` or leading ``./``."""
    return pattern.strip().rstrip("/").removeprefix("./")


def path_matches(pattern: str, rel: str, name_only: bool = False) -> bool:
    """Does ``pattern`` match the relative path ``rel`` or one of the folders above it?

    A pattern without ``/`` (``build``, ``*_pb2.py``) matches any segment of the path (only the
    last one with ``name_only``, for a walk that already checked the folders above); one with
    ``/`` (``tests/fixtures``, ``src/**/gen_*.py``) is anchored at the project root.
    """
    pattern = normal_pattern(pattern)
    if not pattern:
        return False
    segments = rel.split("/")
    if "/" not in pattern:
        rx = compile_glob(pattern)
        return any(rx.match(seg) for seg in (segments[-1:] if name_only else segments))
    rx = compile_glob(pattern.lstrip("/"))
    return any(rx.match("/".join(segments[:k])) for k in range(len(segments), 0, -1))

"""Text helpers of the language server: the ``# noqa`` quick fix, the edits of a fix, and LSP
position units.

Pure functions over source text (no LSP types), so they are tested on their own.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

# the noqa quick fix is shared with ``eiglint --add-noqa``
from ..noqa_edit import Insertion, noqa_insertion

__all__ = ["Insertion", "LineEdit", "from_client_units", "line_edits", "noqa_insertion",
           "to_client_units"]


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``start`` to ``end`` (0-based, ``end`` excluded) by ``text``."""

    start: int
    end: int
    text: str


def line_edits(original: str, fixed: str) -> list[LineEdit]:
    """The smallest whole-line edits that turn ``original`` into ``fixed`` (a fix inserts a
    few lines; the editor keeps its cursor and folds elsewhere)."""
    old = original.splitlines(keepends=True)
    new = fixed.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False
                                                       ).get_opcodes():
        if tag != "equal":
            edits.append(LineEdit(i1, i2, "".join(new[j1:j2])))
    return edits


# --------------------------------------------------------------------------- position units


def to_client_units(line_text: str, col: int, encoding: str) -> int:
    """A 0-based character column of ``line_text`` in the negotiated LSP position encoding
    (``utf-16`` by default, ``utf-8`` or ``utf-32``)."""
    prefix = line_text[:col]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8")) + max(col - len(line_text), 0)
    if encoding == "utf-32":
        return col
    return len(prefix.encode("utf-16-le")) // 2 + max(col - len(line_text), 0)


def from_client_units(line_text: str, units: int, encoding: str) -> int:
    """The inverse of :func:`to_client_units`: a 0-based character column."""
    if encoding == "utf-32":
        return units
    count = 0
    for i, ch in enumerate(line_text):
        if count >= units:
            return i
        count += len(ch.encode("utf-8")) if encoding == "utf-8" else (2 if ord(ch) > 0xFFFF else 1)
    return len(line_text) + max(units - count, 0)

"""Writing gauge-free values into some positions of the eigen-axis: ``W[:, 0] = abs(W[:, 0])``.

After the write the positions written carry no gauge and the others keep theirs, position by
position: the eigen-axis still carries the charge, with an alignment that names the written
positions (:func:`eiglint.domain.clear_column`). Two values whose same positions were made
gauge-free this way still pair (``W @ H`` after ``W[:, 0] = |W[:, 0]|`` and ``H[0] = |H[0]|``:
the first term is invariant, the others pair as before); anything else that meets them sees a
different alignment and does not pair; reading a cleared column back (``W[:, 0]``) carries
nothing. Only literal positions (an integer, a slice of literal bounds) on the one charged
axis are followed: positions named by a variable, or a write into several axes or into an
axis that does not carry the charge (a row of an array whose columns carry it), leave the
array to the general case (no longer followed).
"""
from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from .. import domain as D
from .syntax import literal


def _full(s: cst.BaseSlice) -> bool:
    return isinstance(s, cst.Slice) and s.lower is None and s.upper is None and s.step is None


def _int(node: cst.BaseExpression) -> Optional[int]:
    v = literal(node)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _positions(s: cst.BaseSlice) -> Optional[str]:
    """The literal positions an index element names, as text (``0``, ``-1``, ``1:3``, ``::2``)."""
    if isinstance(s, cst.Index):
        v = _int(s.value)
        return None if v is None else str(v)
    if isinstance(s, cst.Slice):
        parts = []
        for b in (s.lower, s.upper, s.step):
            v = None if b is None else _int(b)
            if b is not None and v is None:
                return None
            parts.append("" if v is None else str(v))
        return ":".join(parts)
    return None


def cleared_positions(cur: D.Cov, target: cst.Subscript) -> Optional[Tuple[int, str]]:
    """(axis, positions) when ``cur[target] = value`` with ``value`` gauge-free writes literal
    positions of ``cur``'s one charged axis and every entry of the others (``x[:, 0]``,
    ``x[2]``, ``x[..., -1]``, ``x[:, 1:]``); None otherwise."""
    if cur.residual or cur.elem:
        return None
    items = [el.slice for el in target.slice]
    written: Optional[Tuple[int, str]] = None
    pos = 0
    for i, s in enumerate(items):
        if isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis):
            pos = cur.ndim - (len(items) - i - 1)
            continue
        if not _full(s):
            spec = _positions(s)
            if spec is None or written is not None:
                return None
            written = (pos, spec)
        pos += 1
    charged = [i for i, c in enumerate(cur.axes) if c]
    if written is None or pos > cur.ndim or charged != [written[0]]:
        return None
    return written

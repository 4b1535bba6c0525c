"""Writing gauge-free values into some positions of the eigen-axis: ``W[:, 0] = abs(W[:, 0])``.

After the write the positions written carry no gauge and the others keep theirs, position by
position: the eigen-axis still carries the charge, with an alignment that maps the written
positions to no eigen-index (a new alignment token naming them). Two values whose same
positions were made gauge-free this way still pair (``W @ H`` after ``W[:, 0] = |W[:, 0]|``
and ``H[0] = |H[0]|``: the first term is invariant, the others pair as before); anything
else that meets them sees a different alignment and does not pair. Only literal positions
(an integer, a slice of literal bounds) on the one charged axis are followed: positions named
by a variable, or a write into several charged axes, leave the array unfollowed as before.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from .. import domain as D
from .syntax import literal


def _full(s: cst.BaseSlice) -> bool:
    return isinstance(s, cst.Slice) and s.lower is None and s.upper is None and s.step is None


def _positions(s: cst.BaseSlice) -> Optional[str]:
    """The literal positions an index element names, as text (``0``, ``1:3``, ``::2``)."""
    if isinstance(s, cst.Index):
        v = literal(s.value)
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(s, cst.Slice):
        parts = []
        for b in (s.lower, s.upper, s.step):
            if b is None:
                parts.append("")
                continue
            v = literal(b)
            if not isinstance(v, int) or isinstance(v, bool):
                return None
            parts.append(str(v))
        return ":".join(parts)
    return None


def partly_fixed(cur: D.Cov, target: cst.Subscript) -> Optional[D.Value]:
    """``cur`` after a gauge-free value is written at ``target`` (``cur[...] = value``), or
    None when the write is not of literal positions of the one charged axis."""
    elems = [el.slice for el in target.slice]
    if not elems or len(elems) > cur.ndim or cur.residual or cur.elem:
        return None
    if any(isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis) for s in elems):
        return None
    written = [i for i, s in enumerate(elems) if not _full(s)]
    charged = [i for i, c in enumerate(cur.axes) if c]
    if len(written) != 1 or charged != written:
        return None
    axis = written[0]
    spec = _positions(elems[axis])
    if spec is None:
        return None
    fn = D.TokenFn(f"fix[{spec}]({{}})")
    axes = tuple(D.retoken_charge(c, fn) if i == axis else c for i, c in enumerate(cur.axes))
    return replace(cur, axes=axes, frame=False, diagonal=False)

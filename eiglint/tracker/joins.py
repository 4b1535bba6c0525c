"""Joins of abstract values at control-flow merges and small value walkers (no libcst).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence, Tuple

from .. import catalogue
from .. import domain as D
from ..values import TENSOR_TYPES, Abs, AtVal, Coll, DictVal, ObjVal, Ref, Seq, as_value, bounded


def join_abs(a: Optional[Abs], b: Optional[Abs]) -> Abs:
    if a is None:
        return b if b is not None else D.INV
    if b is None:
        return a
    if a is b or a == b:
        return a
    if isinstance(a, TENSOR_TYPES) and isinstance(b, TENSOR_TYPES):
        return D.join(a, b)
    if _solver(a) or _solver(b):
        # `eig if directed else eigh`, `{"eig": eig, "eigh": eigh}[kind]`: a solver chosen at
        # run time; a call follows every candidate
        return Seq(tuple(dict.fromkeys([*_options(a), *_options(b)])), kind="choice")
    # containers: joined to a summary once over the size or depth bound, so that values
    # cannot grow without end through loops and recursion (values.bounded)
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return bounded(Seq(tuple(join_abs(x, y) for x, y in zip(a.items, b.items)),
                           a.names or b.names, a.kind))
    if isinstance(a, (Seq, Coll)) and isinstance(b, (Seq, Coll)):
        return bounded(Coll(join_abs(elem_of(a), elem_of(b))))
    if isinstance(a, DictVal) and isinstance(b, DictVal):
        # a key stored on one path only: what it may hold (reading it on the other path fails)
        keys = [k for k, _ in a.items] + [k for k, _ in b.items if a.get(k) is None]
        return bounded(DictVal(tuple((k, join_abs(a.get(k), b.get(k))) for k in keys)))
    if isinstance(a, ObjVal) and isinstance(b, ObjVal):
        names = [k for k, _ in a.attrs] + [k for k, _ in b.attrs if a.get(k) is None]
        return bounded(ObjVal(tuple((k, join_abs(a.get(k), b.get(k))) for k in names)))
    if isinstance(a, TENSOR_TYPES) and a == D.INV:
        return b
    if isinstance(b, TENSOR_TYPES) and b == D.INV:
        return a
    if isinstance(a, TENSOR_TYPES) or isinstance(b, TENSOR_TYPES):
        va, vb = as_value(a), as_value(b)
        return D.join(va, vb)
    return a


def is_choice(v: Optional[Abs]) -> bool:
    """A run-time choice among callables (see :func:`join_abs`)."""
    return isinstance(v, Seq) and v.kind == "choice"


def _options(v: Abs) -> Tuple[Abs, ...]:
    return v.items if isinstance(v, Seq) and v.kind == "choice" else (v,)


def _solver(v: Optional[Abs]) -> bool:
    """A decomposition (or a choice among callables that holds one)."""
    if is_choice(v):
        return True
    return isinstance(v, Ref) and catalogue.lookup(v.qualname) is not None


def broadcast_to(v: Abs, ndim: Optional[int]) -> Abs:
    """``v`` written over a whole array of rank ``ndim`` (leading axes broadcast)."""
    if isinstance(v, D.Cov) and ndim is not None and v.ndim < ndim:
        return replace(v, axes=((),) * (ndim - v.ndim) + v.axes, diagonal=False, frame=False)
    if isinstance(v, D.Inv):
        return replace(v, ndim=ndim if ndim is not None else v.ndim)
    return v


def elem_of(v: Abs) -> Abs:
    if isinstance(v, Coll):
        return v.elem
    if isinstance(v, Seq):
        out: Optional[Abs] = None
        for it in v.items:
            out = join_abs(out, it)
        return out if out is not None else D.INV
    return v


def sources_of(v: Abs) -> Tuple[int, ...]:
    if isinstance(v, (D.Cov, D.Pending)):
        return v.sources() if isinstance(v, D.Cov) else v.base.sources()
    if isinstance(v, Seq):
        return tuple(s for it in v.items for s in sources_of(it))
    if isinstance(v, Coll):
        return sources_of(v.elem)
    if isinstance(v, DictVal):
        return tuple(s for _, it in v.items for s in sources_of(it))
    if isinstance(v, ObjVal):
        return tuple(s for _, it in v.attrs for s in sources_of(it))
    if isinstance(v, AtVal):
        return sources_of(v.base)
    return ()


def unrandom(v: Abs) -> Abs:
    """Random draws keep their flag only inside the expression that makes them."""
    if isinstance(v, D.Inv) and v.random:
        return replace(v, random=False)
    return v


def join_items(items: Sequence[Abs]) -> Optional[Abs]:
    out: Optional[Abs] = None
    for it in items:
        out = join_abs(out, it)
    return out

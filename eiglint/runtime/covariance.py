"""Carries vs breaks: is a changed value only a re-gauged copy of its baseline?

A value that changes under a gauge by exactly a unit-modulus factor per row, per column, or
per slice along one axis (``b = a·d`` with ``|d| = 1``, ``d = ±1`` for real values) *carries*
the gauge: an operation further down can still pair it and cancel the factor (``u @
diag(f(lam))`` before ``@ u.mH``; ``s = sign(v[0])`` before ``v * s``). Such a change proves
nothing about the flagged operation: it did not break the gauge here.
"""
from __future__ import annotations

from typing import Any

from .compare import compare

#: residual allowed, relative to the slice norm, per dtype (rounding of the re-gauged path)
_TOL = {"float16": 3e-2, "bfloat16": 3e-2, "complex32": 3e-2, "float32": 1e-3,
        "complex64": 1e-3}
_TOL_DEFAULT = 1e-7


def _axis_name(axis: int, ndim: int) -> str:
    if ndim == 1:
        return "per element"
    if axis == ndim - 1:
        return "per column"
    if axis == ndim - 2:
        return "per row"
    return f"per slice along axis {axis}"


def _factor_ok(a: Any, b: Any, axis: int, tol: float) -> bool:
    """Is ``b = a·d`` for one unit factor per index of ``axis``?"""
    import numpy as np

    am = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    bm = np.moveaxis(b, axis, 0).reshape(b.shape[axis], -1)
    for x, y in zip(am, bm):
        nx = float(np.linalg.norm(x))
        ny = float(np.linalg.norm(y))
        if nx == 0.0 or ny == 0.0:
            if max(nx, ny) > tol * max(1.0, nx, ny) * 1e-3:
                return False
            continue
        c = complex(np.vdot(x, y)) / (nx * nx)
        if abs(abs(c) - 1.0) > tol:
            return False
        if not np.iscomplexobj(x) and not np.iscomplexobj(y) and abs(c.imag) > tol:
            return False
        if float(np.linalg.norm(y - c * x)) > tol * nx:
            return False
    return True


def covariant_arrays(a: Any, b: Any, dtype: str) -> str:
    """How ``b`` is ``a`` times unit factors ('' when it is not): ``per column``, ``per
    row``, ``per element``, ``per slice along axis k``, ``as a whole`` (one factor)."""
    import numpy as np

    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape or a.size == 0 or a.dtype.kind not in "iufc" or \
            b.dtype.kind not in "iufc":
        return ""
    a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    b = b.astype(np.complex128 if b.dtype.kind == "c" else np.float64)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return ""
    tol = _TOL.get(dtype, _TOL_DEFAULT)
    if a.ndim == 0:
        a, b = a.reshape(1), b.reshape(1)
        return "as a whole" if _factor_ok(a[None], b[None], 0, tol) else ""
    if _factor_ok(a.reshape(1, -1), b.reshape(1, -1), 0, tol):
        return "as a whole"
    for axis in sorted(range(a.ndim), key=lambda ax: (ax != a.ndim - 1, -ax)):
        if _factor_ok(a, b, axis, tol):
            return _axis_name(axis, a.ndim)
    if a.ndim >= 3:  # batched: one factor per batch element and column/row
        for inner in (a.ndim - 2, a.ndim - 3):
            if all(_factor_ok(x, y, inner, tol) for x, y in zip(a, b)):
                return _axis_name(inner + 1, a.ndim) + " of each batch element"
    return ""


def covariant(a: dict[str, Any], b: dict[str, Any]) -> str:
    """How value record ``b`` is record ``a`` re-gauged by unit factors ('' if it is not, or
    unknown). Containers: every changed part must be."""
    ka = a.get("k")
    if ka != b.get("k"):
        return ""
    if ka == "array":
        if a.get("truncated") or b.get("truncated") or a.get("dtype") != b.get("dtype") or \
                tuple(a.get("shape", ())) != tuple(b.get("shape", ())):
            return ""
        import numpy as np

        return covariant_arrays(np.asarray(a["data"]).reshape(tuple(a["shape"])),
                                np.asarray(b["data"]).reshape(tuple(b["shape"])),
                                str(a.get("dtype")))
    if ka == "scalar":
        if a.get("dtype") in ("bool",) or isinstance(a.get("data"), bool):
            return ""
        return covariant_arrays([a["data"]], [b["data"]], str(a.get("dtype")))
    if ka == "seq":
        ia, ib = a.get("items", []), b.get("items", [])
        if len(ia) != len(ib) or not ia:
            return ""
        kinds = []
        for x, y in zip(ia, ib):
            if _same(x, y):
                continue
            how = covariant(x, y)
            if not how:
                return ""
            kinds.append(how)
        return "each part " + ", ".join(sorted(set(kinds))) if kinds else ""
    return ""


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not compare(a, b).changed


__all__ = ["covariant", "covariant_arrays"]

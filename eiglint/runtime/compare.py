"""How one recorded value differs from its baseline: dtype-aware tolerances.

Tolerance (doc §6.3): a value changed if ``|Δ| > atol + rtol·|base|`` for some element, with
``rtol`` 1e-3 for float32/complex64 (1e-2 for half precision), 1e-8 for float64/complex128,
and ``atol = max(rtol·max|base|, atol_min)`` — absolute plus relative, because a phase-dependent
value is often exactly 0 at the library's own gauge (the imaginary part of real eigenvectors).
``atol_min`` (1e-5 / 1e-12) keeps rounding noise of a numerically-zero invariant from counting.
Integers and booleans (indices, masks, comparisons) must match exactly. For ``eig``, whose
re-gauged invariants carry noise ∝ cond(V)·u, rtol is raised to ``10·cond(V)·u``; beyond 1e-2
the probe is reported inconclusive (ill-conditioned) instead of unchanged.

The reported ``max_change`` is ``max|Δ| / max|base|``, or the absolute ``max|Δ|`` when the base is
tiny (``max|base| < atol_min / rtol``: 1e-4 in double, 1e-2 in single precision) or zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RTOL = {"float16": 1e-2, "bfloat16": 1e-2, "complex32": 1e-2,
        "float32": 1e-3, "complex64": 1e-3,
        "float64": 1e-8, "complex128": 1e-8, "longdouble": 1e-8, "clongdouble": 1e-8,
        "float128": 1e-8, "complex256": 1e-8}
ATOL_MIN = {"float16": 1e-3, "bfloat16": 1e-3, "complex32": 1e-3,
            "float32": 1e-5, "complex64": 1e-5}
ATOL_MIN_DEFAULT = 1e-12
UNIT_ROUNDOFF = {"float32": 6e-8, "complex64": 6e-8, "float64": 1.1e-16, "complex128": 1.1e-16}
ILL_CONDITIONED_RTOL = 1e-2


@dataclass
class Diff:
    changed: bool = False
    magnitude: float = 0.0  # relative change (finite); structural changes set ``structural``
    structural: str = ""
    comparable: bool = True
    within_noise: bool = False  # changed beyond the dtype rtol, but not beyond the cond floor
    count: int = 0  # elements beyond the tolerance (arrays)

    def merge(self, other: Diff) -> Diff:
        return Diff(
            changed=self.changed or other.changed,
            magnitude=max(self.magnitude, other.magnitude),
            structural=self.structural or other.structural,
            comparable=self.comparable and other.comparable,
            within_noise=self.within_noise or other.within_noise,
            count=self.count + other.count,
        )


def _exact(dtype: str) -> bool:
    return dtype in ("int", "bool") or dtype.startswith(("int", "uint", "bool"))


def compare(a: dict[str, Any], b: dict[str, Any], rtol_floor: float = 0.0) -> Diff:
    """How record ``b`` differs from the baseline record ``a``."""
    ka, kb = a.get("k"), b.get("k")
    if ka != kb:
        return Diff(True, structural=f"value kind changed ({ka} -> {kb})")
    if ka == "none":
        return Diff()
    if ka == "other":
        if a.get("type") != b.get("type"):
            return Diff(True, structural=f"type changed ({a.get('type')} -> {b.get('type')})")
        if a.get("text") is None or b.get("text") is None:
            return Diff(comparable=False)
        return Diff(True, structural="text changed") if a["text"] != b["text"] else Diff()
    if ka == "seq":
        ia, ib = a.get("items", []), b.get("items", [])
        if a.get("len") != b.get("len") or len(ia) != len(ib) or a.get("keys") != b.get("keys"):
            return Diff(True, structural="length changed")
        out = Diff()
        any_comparable = not ia
        for x, y in zip(ia, ib):
            d = compare(x, y, rtol_floor)
            any_comparable = any_comparable or d.comparable
            out = out.merge(Diff(d.changed, d.magnitude, d.structural, True, d.within_noise))
        out.comparable = any_comparable
        return out
    if ka == "scalar":
        return _compare_arrays([a["data"]], [b["data"]], a.get("dtype", "float64"),
                               b.get("dtype", "float64"), rtol_floor)
    if ka == "array":
        if tuple(a.get("shape", ())) != tuple(b.get("shape", ())):
            return Diff(True, structural=f"shape changed {tuple(a['shape'])} -> "
                                         f"{tuple(b['shape'])}")
        return _compare_arrays(a["data"], b["data"], a.get("dtype", "float64"),
                               b.get("dtype", "float64"), rtol_floor)
    return Diff(comparable=False)


def _compare_arrays(x: Any, y: Any, dtype: str, dtype_b: str, rtol_floor: float) -> Diff:
    import numpy as np

    if dtype != dtype_b:
        return Diff(True, structural=f"dtype changed ({dtype} -> {dtype_b})")
    try:
        xa = np.asarray(x)
        ya = np.asarray(y)
    except Exception:  # noqa: BLE001 - ragged tolist() output
        return Diff(comparable=False)
    if xa.shape != ya.shape:
        return Diff(True, structural="shape changed")
    if xa.dtype.kind not in "biufc" or ya.dtype.kind not in "biufc":
        return Diff(comparable=False)
    if xa.size == 0:
        return Diff()
    if _exact(dtype) or xa.dtype.kind in "biu":
        xa = xa.astype(np.float64)
        ya = ya.astype(np.float64)
        delta = np.abs(ya - xa)
        if not np.any(delta > 0):
            return Diff()
        scale = float(np.max(np.abs(xa)))
        mag = float(np.max(delta)) / scale if scale > 0 else float(np.max(delta))
        return Diff(True, mag, count=int(np.count_nonzero(delta > 0)))
    xa = xa.astype(np.complex128 if xa.dtype.kind == "c" else np.float64)
    ya = ya.astype(np.complex128 if ya.dtype.kind == "c" else np.float64)
    nan_x, nan_y = np.isnan(xa), np.isnan(ya)
    if np.any(nan_x != nan_y):
        return Diff(True, structural="NaN pattern changed")
    inf_x, inf_y = np.isinf(xa), np.isinf(ya)
    if np.any(inf_x != inf_y) or np.any(xa[inf_x] != ya[inf_y]):
        return Diff(True, structural="infinities changed")
    ok = ~(nan_x | inf_x)
    if not np.any(ok):
        return Diff()
    xa, ya = xa[ok], ya[ok]
    base_rtol = RTOL.get(dtype, 1e-8)
    atol_min = ATOL_MIN.get(dtype, ATOL_MIN_DEFAULT)
    absx = np.abs(xa)
    scale = float(np.max(absx))
    delta = np.abs(ya - xa)
    dmax = float(np.max(delta))
    # relative change, except for values so small that only the absolute change means anything
    mag = dmax / scale if scale >= atol_min / base_rtol else dmax

    def beyond(rtol: float) -> int:
        atol = max(rtol * scale, atol_min * max(rtol / base_rtol, 1.0))
        return int(np.count_nonzero(delta > atol + rtol * absx))

    if not beyond(base_rtol):
        return Diff(magnitude=mag)
    if rtol_floor > base_rtol and not beyond(rtol_floor):
        return Diff(magnitude=mag, within_noise=True)
    return Diff(True, mag, count=beyond(max(base_rtol, rtol_floor)))

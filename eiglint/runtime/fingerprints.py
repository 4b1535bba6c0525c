"""Gauge-free statistics of a decomposition's input matrix.

Two runs of deterministic code decompose the same matrices, whatever the gauges: the runner
records a :func:`fingerprint` of every input, and :mod:`eiglint.runtime.runs` compares the
control's and the gauged runs' with the baseline's (:func:`same_fingerprint`) to tell the
user's own nondeterminism from a gauge effect.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def fingerprint(x: Any) -> list[float] | None:
    """Shape, sum, weighted sum and squared norm of an array (torch, numpy, JAX), or None
    when ``x`` has no host data (a sparse matrix, a LinearOperator, a tracer, a vmapped
    tensor). Cheap next to the decomposition itself (one pass over the matrix)."""
    try:
        import numpy as np

        if (type(x).__module__ or "").startswith("torch"):
            import torch

            t = x.detach()
            if t.layout != torch.strided:
                t = t.to_dense()
            if t.dtype in (torch.bfloat16, torch.float16):
                t = t.to(torch.float32)
            a = t.cpu().resolve_conj().resolve_neg().numpy()
        else:
            if not (hasattr(x, "__array__") and hasattr(x, "shape") and hasattr(x, "dtype")):
                return None
            a = np.asarray(x)
        if a.dtype.kind not in "fciub" or a.size == 0:
            return None
        acc = np.complex128 if a.dtype.kind == "c" else np.float64
        flat = a.reshape(-1).astype(acc, copy=False)
        w = (np.arange(flat.size) % 7) - 3.0
        total = complex(flat.sum(dtype=acc))
        weighted = complex(np.dot(flat, w))
        norm2 = float(np.vdot(flat, flat).real)
        return [float(d) for d in a.shape] + [total.real, total.imag, weighted.real,
                                              weighted.imag, norm2]
    except Exception:  # noqa: BLE001 - a diagnostic only: no fingerprint
        return None


def same_fingerprint(a: Sequence[float] | None, b: Sequence[float] | None,
                     rtol: float = 1e-6) -> bool:
    """Equal up to rounding (``rtol`` of the matrix norm times sqrt of its size); unknown
    fingerprints count as equal."""
    if a is None or b is None:
        return True
    if len(a) != len(b):
        return False
    shape_a, shape_b = a[:-5], b[:-5]
    if list(shape_a) != list(shape_b):
        return False
    n = math.prod(int(d) for d in shape_a) if shape_a else 1
    norm2 = max(abs(a[-1]), abs(b[-1]))
    if not (math.isfinite(a[-1]) and math.isfinite(b[-1])):
        return all((x == y) or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b))
    if abs(a[-1] - b[-1]) > rtol * norm2:
        return False
    tol = rtol * 3.0 * math.sqrt(norm2 * max(n, 1)) + 1e-300
    return all(abs(x - y) <= tol for x, y in zip(a[-5:-1], b[-5:-1]))



__all__ = ["fingerprint", "same_fingerprint"]

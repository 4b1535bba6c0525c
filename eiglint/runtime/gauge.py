"""Re-gauging patches: every decomposition returns an equally valid decomposition.

A decomposition's vectors are defined up to a gauge: ``V -> V·D`` for eigenvectors (``D`` a
diagonal of unit complex phases, or of signs ±1 when the vectors are real), ``U, Vh -> U·D,
D^H·Vh`` for an SVD (``U, V -> U·D, V·D`` for ``torch.svd``, which returns ``V``), ``Z, T ->
Z·D, D^H·T·D`` for a Schur form. Inside a cluster of (near-)repeated eigen/singular values the
freedom is a whole unitary/orthogonal block ``W`` instead of a diagonal.

:class:`Gauge` replaces the library functions by wrappers that call the original and apply
such a gauge, drawn from a **private** generator (``torch.Generator`` for torch results,
``numpy.random.Generator`` for numpy/scipy results) seeded from :class:`GaugeSpec` — never from
the user's RNG stream, whose later draws would otherwise shift and fake a confirmation.

Modes (:attr:`GaugeSpec.mode`):

``identity``  the library's own result, untouched (baseline and control runs); calls are logged
``random``    a random phase (complex) or sign (real) per column, per call and batch element
``flip``      the sign of column ``GaugeSpec.column`` only, in every decomposition (the sweep
              that a random ±1 draw can miss: ``sum(V[:, 0] * V[:, 1])`` is even under
              flipping all columns)

With ``GaugeSpec.mix`` the random mode also applies a Haar-random unitary (orthogonal for real
results) inside each cluster of eigen/singular values closer than ``100·eps·max|λ|``
(Hermitian eigensolvers and SVDs only; a non-normal ``eig`` has no unitary freedom).

What is preserved: the return type (``torch.return_types.*``, numpy's ``EigResult``/``SVDResult``
named tuples, plain tuples), dtype, device and the autograd graph (the gauge is a constant
factor). The complement columns of ``full_matrices=True`` (``U[..., r:]``, ``Vh[..., r:, :]``)
are left untouched. Decompositions called *inside* a patched one (``svd_lowrank`` calls
``torch.linalg.svd``) pass through unchanged, so one call gets exactly one gauge.

Coverage (patched when importable): ``torch.linalg.eig/eigh/svd``, ``torch.svd``,
``Tensor.svd``, ``torch.svd_lowrank``, ``torch.pca_lowrank``, ``torch.lobpcg``;
``numpy.linalg.eig/eigh/svd``; ``scipy.linalg.eig/eigh/svd/schur/eig_banded/eigh_tridiagonal``;
``scipy.sparse.linalg.eigs/eigsh/svds/lobpcg``; ``jax.numpy.linalg.eig/eigh/svd``,
``jax.scipy.linalg.eigh/svd/schur/eigh_tridiagonal``, ``jax.lax.linalg.eigh/eig/svd``.
The patch replaces the module attributes, so
every later ``torch.linalg.eig(...)``, ``import torch.linalg as LA``, ``from torch.linalg import
eig as E`` sees it; in the confirmation child the patch is installed when the library finishes
importing, i.e. before any user module can bind a name. Names bound *before* the patch (only
possible in-process, e.g. in a notebook) are rebound by :meth:`Gauge.rebind`. Not covered:
references captured inside the libraries themselves, C++/CUDA extensions, ``torch.compile``'d
graphs traced before the patch, ``jax.jit`` functions compiled before it.
"""
from __future__ import annotations

import abc
import contextlib
import functools
import math
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional

MODES = ("identity", "random", "flip")

#: eigen/singular values closer than this many machine epsilons (relative to max |value|) form
#: a cluster whose eigenspace is mixed by a random unitary in ``mix`` mode
CLUSTER_EPS = 100.0

#: the condition number of ``eig`` eigenvectors is estimated up to this size
COND_MAX_N = 512


@dataclass(frozen=True)
class GaugeSpec:
    """Which gauge one run applies."""

    mode: str = "identity"
    seed: int = 0
    column: int = 0
    mix: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown gauge mode {self.mode!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GaugeSpec:
        return cls(mode=str(data.get("mode", "identity")), seed=int(data.get("seed", 0)),
                   column=int(data.get("column", 0)), mix=bool(data.get("mix", False)))

    def describe(self) -> str:
        if self.mode == "identity":
            return "identity gauge"
        if self.mode == "flip":
            return f"sign flip of column {self.column}"
        return f"random gauge (seed {self.seed}{', unitary mix in clusters' if self.mix else ''})"


@dataclass
class CallRecord:
    """One decomposition call seen during a run."""

    api: str
    k: int
    complex: bool
    dtype: str
    clusters: int = 0
    mixed: bool = False
    cond: float | None = None
    #: the calling code: absolute file name and line of the frame that called the function
    path: str = ""
    line: int = 0
    #: a few gauge-free statistics of the input matrix (:func:`fingerprint`): two runs of
    #: deterministic code decompose the same matrices, whatever the gauges
    fp: Optional[list[float]] = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Layout:
    """Where the gauge-carrying outputs of one result sit.

    ``roles``: ``(position, role, source)`` with role ``vec`` (columns: ``X·G``), ``vh`` (rows:
    ``G^H·X``) or ``schur`` (``G^H·T·G``); outputs with the same source share one gauge.
    ``values``: position of the eigen/singular values (gives ``k`` and the clusters).
    """

    roles: tuple[tuple[int, str, int], ...]
    values: int | None = None
    mixable: bool = False


_VEC1 = Layout(((1, "vec", 0),), values=0)
_VEC1_MIX = Layout(((1, "vec", 0),), values=0, mixable=True)
_SVD_VH = Layout(((0, "vec", 0), (2, "vh", 0)), values=1, mixable=True)
_SVD_V = Layout(((0, "vec", 0), (2, "vec", 0)), values=1, mixable=True)
_SCHUR = Layout(((1, "vec", 0), (0, "schur", 0)))

LayoutFn = Callable[[tuple[Any, ...], dict[str, Any], Any], Optional[Layout]]


def _fixed(layout: Layout) -> LayoutFn:
    def fn(args: tuple[Any, ...], kwargs: dict[str, Any], res: Any) -> Layout | None:
        if not isinstance(res, (tuple, list)) or len(res) <= max(p for p, _, _ in layout.roles):
            return None  # e.g. compute_uv=False, eigvals_only=True: values only
        return layout

    return fn


def _scipy_eig_layout(args: tuple[Any, ...], kwargs: dict[str, Any],
                      res: Any) -> Layout | None:
    """``w`` | ``(w, vr)`` | ``(w, vl)`` | ``(w, vl, vr)``: left and right gauges independent
    (also ``jax.lax.linalg.eig``, which returns a list)."""
    if not isinstance(res, (tuple, list)) or len(res) < 2:
        return None
    if len(res) == 3:
        return Layout(((1, "vec", 0), (2, "vec", 1)), values=0)
    return _VEC1  # (w, vr) by default, (w, vl) with left=True, right=False


def _svds_layout(args: tuple[Any, ...], kwargs: dict[str, Any], res: Any) -> Layout | None:
    if not isinstance(res, tuple) or len(res) != 3:
        return None
    roles = []
    if res[0] is not None:
        roles.append((0, "vec", 0))
    if res[2] is not None:
        roles.append((2, "vh", 0))
    return Layout(tuple(roles), values=1, mixable=True) if roles else None


def _lobpcg_layout(args: tuple[Any, ...], kwargs: dict[str, Any], res: Any) -> Layout | None:
    if not isinstance(res, tuple) or len(res) < 2:
        return None
    return _VEC1_MIX


def _basis_layout(args: tuple[Any, ...], kwargs: dict[str, Any], res: Any) -> Layout | None:
    """A subspace basis returned alone (``scipy.linalg.null_space``, ``orth``): its columns,
    as the one output of a 1-tuple (see :meth:`Gauge._make_wrapper`)."""
    return _BASIS if isinstance(res, tuple) and len(res) == 1 else None


_BASIS = Layout(((0, "vec", 0),))


# (module, attribute, api name, layout factory taking the original function)
PatchTable = tuple[tuple[str, str, str, Callable[[Callable[..., Any]], LayoutFn]], ...]

TORCH_PATCHES: PatchTable = (
    ("torch.linalg", "eig", "torch.linalg.eig", lambda o: _fixed(_VEC1)),
    ("torch.linalg", "eigh", "torch.linalg.eigh", lambda o: _fixed(_VEC1_MIX)),
    ("torch.linalg", "svd", "torch.linalg.svd", lambda o: _fixed(_SVD_VH)),
    ("torch", "svd", "torch.svd", lambda o: _fixed(_SVD_V)),
    ("torch.Tensor", "svd", "torch.Tensor.svd", lambda o: _fixed(_SVD_V)),
    ("torch", "svd_lowrank", "torch.svd_lowrank", lambda o: _fixed(_SVD_V)),
    ("torch", "pca_lowrank", "torch.pca_lowrank", lambda o: _fixed(_SVD_V)),
    ("torch.functional", "svd_lowrank", "torch.svd_lowrank", lambda o: _fixed(_SVD_V)),
    ("torch.functional", "pca_lowrank", "torch.pca_lowrank", lambda o: _fixed(_SVD_V)),
    ("torch", "lobpcg", "torch.lobpcg", lambda o: _fixed(_VEC1_MIX)),
)
NUMPY_PATCHES: PatchTable = (
    ("numpy.linalg", "eig", "numpy.linalg.eig", lambda o: _fixed(_VEC1)),
    ("numpy.linalg", "eigh", "numpy.linalg.eigh", lambda o: _fixed(_VEC1_MIX)),
    ("numpy.linalg", "svd", "numpy.linalg.svd", lambda o: _fixed(_SVD_VH)),
)
SCIPY_PATCHES: PatchTable = (
    ("scipy.linalg", "eig", "scipy.linalg.eig", lambda o: _scipy_eig_layout),
    ("scipy.linalg", "eigh", "scipy.linalg.eigh", lambda o: _fixed(_VEC1_MIX)),
    ("scipy.linalg", "svd", "scipy.linalg.svd", lambda o: _fixed(_SVD_VH)),
    ("scipy.linalg", "schur", "scipy.linalg.schur", lambda o: _fixed(_SCHUR)),
    ("scipy.linalg", "null_space", "scipy.linalg.null_space", lambda o: _basis_layout),
    ("scipy.linalg", "orth", "scipy.linalg.orth", lambda o: _basis_layout),
    ("scipy.linalg", "eig_banded", "scipy.linalg.eig_banded", lambda o: _fixed(_VEC1_MIX)),
    ("scipy.linalg", "eigh_tridiagonal", "scipy.linalg.eigh_tridiagonal",
     lambda o: _fixed(_VEC1_MIX)),
)
SCIPY_SPARSE_PATCHES: PatchTable = (
    ("scipy.sparse.linalg", "eigs", "scipy.sparse.linalg.eigs", lambda o: _fixed(_VEC1)),
    ("scipy.sparse.linalg", "eigsh", "scipy.sparse.linalg.eigsh", lambda o: _fixed(_VEC1_MIX)),
    ("scipy.sparse.linalg", "svds", "scipy.sparse.linalg.svds", lambda o: _svds_layout),
    ("scipy.sparse.linalg", "lobpcg", "scipy.sparse.linalg.lobpcg", lambda o: _lobpcg_layout),
)

JAX_NUMPY_PATCHES: PatchTable = (
    ("jax.numpy.linalg", "eig", "jax.numpy.linalg.eig", lambda o: _fixed(_VEC1)),
    ("jax.numpy.linalg", "eigh", "jax.numpy.linalg.eigh", lambda o: _fixed(_VEC1_MIX)),
    ("jax.numpy.linalg", "svd", "jax.numpy.linalg.svd", lambda o: _fixed(_SVD_VH)),
)
JAX_SCIPY_PATCHES: PatchTable = (
    ("jax.scipy.linalg", "eigh", "jax.scipy.linalg.eigh", lambda o: _fixed(_VEC1_MIX)),
    ("jax.scipy.linalg", "svd", "jax.scipy.linalg.svd", lambda o: _fixed(_SVD_VH)),
    ("jax.scipy.linalg", "schur", "jax.scipy.linalg.schur", lambda o: _fixed(_SCHUR)),
    ("jax.scipy.linalg", "eigh_tridiagonal", "jax.scipy.linalg.eigh_tridiagonal",
     lambda o: _fixed(_VEC1_MIX)),
)
JAX_LAX_PATCHES: PatchTable = (
    # vectors first: (v, w)
    ("jax.lax.linalg", "eigh", "jax.lax.linalg.eigh",
     lambda o: _fixed(Layout(((0, "vec", 0),), values=1, mixable=True))),
    ("jax.lax.linalg", "eig", "jax.lax.linalg.eig", lambda o: _scipy_eig_layout),
    ("jax.lax.linalg", "svd", "jax.lax.linalg.svd", lambda o: _fixed(_SVD_VH)),
)

#: library module (as imported) -> the patches installed once it has finished importing
PATCHES_BY_MODULE: dict[str, PatchTable] = {
    "torch": TORCH_PATCHES,
    "numpy": NUMPY_PATCHES,
    "scipy.linalg": SCIPY_PATCHES,
    "scipy.sparse.linalg": SCIPY_SPARSE_PATCHES,
    "jax.numpy": JAX_NUMPY_PATCHES,
    "jax.scipy.linalg": JAX_SCIPY_PATCHES,
    "jax.lax.linalg": JAX_LAX_PATCHES,
}

_EPS = {"float16": 9.77e-4, "bfloat16": 7.82e-3, "float32": 1.19e-7, "float64": 2.22e-16,
        "complex64": 1.19e-7, "complex128": 2.22e-16, "longdouble": 1.08e-19,
        "float128": 1.08e-19, "complex256": 1.08e-19, "clongdouble": 1.08e-19}


def dtype_name(dtype: Any) -> str:
    """``torch.float32`` / ``numpy.dtype('float32')`` -> ``'float32'``."""
    s = str(dtype)
    return s.removeprefix("torch.")


#: input names of the decompositions, when the matrix is passed by keyword
_INPUT_KEYWORDS = ("A", "a", "input", "M", "x", "X")


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


def clusters_of(values: Sequence[float], eps: float) -> list[list[int]]:
    """Index groups (size >= 2) of values within ``CLUSTER_EPS·eps·max|v|`` of a neighbour."""
    vals = [float(v) for v in values]
    if len(vals) < 2 or not all(math.isfinite(v) for v in vals):
        return []
    scale = max(abs(v) for v in vals)
    tol = CLUSTER_EPS * eps * scale if scale > 0 else 0.0
    order = sorted(range(len(vals)), key=vals.__getitem__)
    groups: list[list[int]] = []
    current = [order[0]]
    for a, b in zip(order, order[1:]):
        if vals[b] - vals[a] <= tol:
            current.append(b)
        else:
            if len(current) > 1:
                groups.append(current)
            current = [b]
    if len(current) > 1:
        groups.append(current)
    return groups


class _Ops(abc.ABC):
    """Array operations of one library (torch or numpy) needed to apply a gauge."""

    @abc.abstractmethod
    def is_array(self, x: Any) -> bool:
        """Is ``x`` an array of this library (else the result is left alone)?"""

    @abc.abstractmethod
    def diag(self, spec: GaugeSpec, batch: tuple[int, ...], k: int, like: Any) -> Any:
        """A batch+(k,) array of phases/signs of ``like``'s dtype and device."""

    @abc.abstractmethod
    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        """batch+(k,k) block unitary: ``diag`` outside the clusters, Haar blocks inside."""

    @abc.abstractmethod
    def value_rows(self, values: Any) -> list[list[float]]:
        """The (real parts of the) values as one list of floats per batch element."""

    @abc.abstractmethod
    def cols(self, x: Any, g: Any, k: int) -> Any:
        """``X[..., :k] -> X[..., :k]·G`` (diagonal or block gauge); later columns untouched."""

    @abc.abstractmethod
    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        """``X[..., :k, :] -> G^H·X[..., :k, :]``; later rows untouched."""

    @abc.abstractmethod
    def schur(self, t: Any, g: Any) -> Any:
        """``T -> D^H·T·D`` for a diagonal gauge ``D``."""

    @abc.abstractmethod
    def cond(self, v: Any) -> float | None:
        """2-norm condition number of ``V`` (max over the batch), None if too large."""

    @abc.abstractmethod
    def store(self, target: Any, value: Any) -> None:
        """Write ``value`` into ``target`` in place (``out=`` arguments)."""


class _TorchOps(_Ops):
    def __init__(self, seed: int) -> None:
        import torch

        self.torch = torch
        self.gen = torch.Generator()
        self.gen.manual_seed(seed)

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self.torch.Tensor)

    def _plain(self) -> Any:
        """Draw outside vmap/torch.func transforms (random ops are refused inside vmap); the
        same gauge then applies to every vmapped element, which is still a valid gauge."""
        disable = getattr(self.torch._C, "_DisableFuncTorch", None)
        return disable() if disable is not None else contextlib.nullcontext()

    def diag(self, spec: GaugeSpec, batch: tuple[int, ...], k: int, like: Any) -> Any:
        with self._plain():
            return self._diag(spec, batch, k, like)

    def _diag(self, spec: GaugeSpec, batch: tuple[int, ...], k: int, like: Any) -> Any:
        torch = self.torch
        shape = (*batch, k)
        if spec.mode == "flip":
            d = torch.ones(shape, dtype=torch.float64)
            if 0 <= spec.column < k:
                d[..., spec.column] = -1.0
        elif like.dtype.is_complex:
            a = torch.rand(shape, generator=self.gen, dtype=torch.float64) * (2 * math.pi)
            d = torch.polar(torch.ones_like(a), a)
        else:
            d = (torch.randint(0, 2, shape, generator=self.gen) * 2 - 1).to(torch.float64)
        return d.to(dtype=like.dtype, device=like.device)

    def _haar(self, m: int, is_complex: bool) -> Any:
        torch = self.torch
        dt = torch.complex128 if is_complex else torch.float64
        z = torch.randn((m, m), generator=self.gen, dtype=dt)
        q, r = torch.linalg.qr(z)
        d = torch.diagonal(r)
        return q * (d / d.abs()).unsqueeze(-2)

    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        with self._plain():
            return self._mix(diag, groups, like)

    def _mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        torch = self.torch
        k = diag.shape[-1]
        flat = diag.detach().reshape(-1, k).to(device="cpu")
        out = torch.diag_embed(flat.to(torch.complex128 if like.dtype.is_complex
                                       else torch.float64))
        for b, clusters in enumerate(groups):
            for idx in clusters:
                h = self._haar(len(idx), like.dtype.is_complex)
                ii = torch.tensor(idx)
                out[b][ii.unsqueeze(-1), ii.unsqueeze(0)] = h
        return out.reshape(*diag.shape, k).to(dtype=like.dtype, device=like.device)

    def value_rows(self, values: Any) -> list[list[float]]:
        v = values.detach().to("cpu")
        if v.dtype.is_complex:
            v = v.real
        v = v.to(self.torch.float64)
        return [list(map(float, row)) for row in v.reshape(-1, v.shape[-1]).tolist()]

    def _pad(self, g: Any, n: int, conj: bool = False) -> Any:
        torch = self.torch
        if conj:
            g = g.conj()
        k = g.shape[-1]
        if n == k:
            return g
        ones = torch.ones((*g.shape[:-1], n - k), dtype=g.dtype, device=g.device)
        return torch.cat([g, ones], -1)

    def cols(self, x: Any, g: Any, k: int) -> Any:
        torch = self.torch
        if g.dim() == x.dim() - 1:
            return x * self._pad(g, x.shape[-1]).unsqueeze(-2)
        if x.shape[-1] == k:
            return x @ g
        return torch.cat([x[..., :k] @ g, x[..., k:]], -1)

    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        torch = self.torch
        if g.dim() == x.dim() - 1:
            return self._pad(g, x.shape[-2], conj=True).unsqueeze(-1) * x
        if x.shape[-2] == k:
            return g.mH @ x
        return torch.cat([g.mH @ x[..., :k, :], x[..., k:, :]], -2)

    def schur(self, t: Any, g: Any) -> Any:
        return g.conj().unsqueeze(-1) * t * g.unsqueeze(-2)

    def cond(self, v: Any) -> float | None:
        torch = self.torch
        n = v.shape[-1]
        if n > COND_MAX_N or v.numel() * n > 10 ** 8 or n == 0:
            return None
        with torch.no_grad():
            c = torch.linalg.cond(v.detach())
        return float(c.max().item())

    def store(self, target: Any, value: Any) -> None:
        with self.torch.no_grad():
            target.copy_(value)


class _NumpyOps(_Ops):
    """numpy results; the base of :class:`_JaxOps` (``xp`` builds the results, the private
    ``numpy.random.Generator`` draws the gauges either way)."""

    def __init__(self, seed: int) -> None:
        import numpy

        self.np = numpy
        self.xp: Any = numpy
        self.rng = numpy.random.Generator(numpy.random.PCG64(seed))

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self.np.ndarray)

    def diag(self, spec: GaugeSpec, batch: tuple[int, ...], k: int, like: Any) -> Any:
        np = self.np
        shape = (*batch, k)
        if spec.mode == "flip":
            d = np.ones(shape)
            if 0 <= spec.column < k:
                d[..., spec.column] = -1.0
        elif np.iscomplexobj(like):
            d = np.exp(2j * np.pi * self.rng.random(shape))
        else:
            d = self.rng.integers(0, 2, shape) * 2.0 - 1.0
        return self.xp.asarray(d, dtype=like.dtype)

    def _haar(self, m: int, is_complex: bool) -> Any:
        np = self.np
        z = self.rng.standard_normal((m, m))
        if is_complex:
            z = z + 1j * self.rng.standard_normal((m, m))
        q, r = np.linalg.qr(z)
        d = np.diagonal(r)
        return q * (d / np.abs(d))[None, :]

    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        np = self.np
        k = diag.shape[-1]
        flat = np.asarray(diag).reshape(-1, k)
        out = np.zeros((flat.shape[0], k, k), dtype=np.complex128 if np.iscomplexobj(like)
                       else np.float64)
        for b, clusters in enumerate(groups):
            out[b] = np.diag(flat[b])
            for idx in clusters:
                out[b][np.ix_(idx, idx)] = self._haar(len(idx), np.iscomplexobj(like))
        return self.xp.asarray(out.reshape(*diag.shape, k), dtype=like.dtype)

    def value_rows(self, values: Any) -> list[list[float]]:
        np = self.np
        v = np.asarray(values)
        if np.iscomplexobj(v):
            v = v.real
        v = v.astype(np.float64)
        return [list(map(float, row)) for row in v.reshape(-1, v.shape[-1])]

    def _pad(self, g: Any, n: int, conj: bool = False) -> Any:
        xp = self.xp
        if conj:
            g = g.conj()
        k = g.shape[-1]
        if n == k:
            return g
        return xp.concatenate([g, xp.ones((*g.shape[:-1], n - k), dtype=g.dtype)], -1)

    def cols(self, x: Any, g: Any, k: int) -> Any:
        np = self.xp
        if g.ndim == x.ndim - 1:
            return x * self._pad(g, x.shape[-1])[..., None, :]
        if x.shape[-1] == k:
            return x @ g
        return np.concatenate([x[..., :k] @ g, x[..., k:]], -1)

    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        np = self.xp
        if g.ndim == x.ndim - 1:
            return self._pad(g, x.shape[-2], conj=True)[..., :, None] * x
        gh = np.swapaxes(g.conj(), -1, -2)
        if x.shape[-2] == k:
            return gh @ x
        return np.concatenate([gh @ x[..., :k, :], x[..., k:, :]], -2)

    def schur(self, t: Any, g: Any) -> Any:
        return g.conj()[..., :, None] * t * g[..., None, :]

    def cond(self, v: Any) -> float | None:
        np = self.np
        n = v.shape[-1]
        if n > COND_MAX_N or v.size * n > 10 ** 8 or n == 0:
            return None
        return float(np.max(np.linalg.cond(np.asarray(v))))

    def store(self, target: Any, value: Any) -> None:
        target[...] = value


class _JaxOps(_NumpyOps):
    """JAX results (immutable arrays, maybe tracers under ``jit``: the gauge drawn while
    tracing is baked into the compiled function, which is still a valid gauge)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        import jax
        import jax.numpy as jnp

        self.xp = jnp
        self._array = jax.Array

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self._array)

    def store(self, target: Any, value: Any) -> None:
        raise TypeError("JAX arrays are immutable")


def _rebuild(res: Any, items: list[Any]) -> Any:
    """A result of the same type as ``res`` holding ``items``."""
    tp = type(res)
    if tp is tuple:
        return tuple(items)
    if tp is list:
        return items
    if hasattr(tp, "_fields"):  # collections.namedtuple / typing.NamedTuple (numpy results)
        return tp(*items)
    return tp(tuple(items))  # torch.return_types structseq


class Gauge:
    """The patches of one run. :meth:`install` / :meth:`uninstall`, or use :func:`regauge`."""

    def __init__(self, spec: GaugeSpec) -> None:
        self.spec = spec
        self.calls: list[CallRecord] = []
        self._ops: dict[str, _Ops] = {}
        self._patched: list[tuple[Any, str, Any]] = []
        self._wrappers: dict[int, tuple[Any, Any]] = {}  # id(original) -> (original, wrapper)
        self._local = threading.local()
        self.installed_modules: list[str] = []

    # ------------------------------------------------------------------ installation
    def install(self, modules: Sequence[str] | None = None) -> list[str]:
        """Patch every library in ``modules`` (default: all known) that is already imported."""
        done = []
        for name in modules if modules is not None else PATCHES_BY_MODULE:
            if name in sys.modules and self.install_module(name):
                done.append(name)
        return done

    def install_module(self, name: str) -> bool:
        """Patch the decompositions of one (imported) library module; idempotent."""
        table = PATCHES_BY_MODULE.get(name)
        if table is None or name in self.installed_modules:
            return False
        lib = name.split(".")[0] if name.startswith(("torch", "jax")) else "numpy"
        patched_any = False
        for owner_name, attr, api, layout_factory in table:
            owner = _resolve(owner_name)
            if owner is None:
                continue
            orig = getattr(owner, attr, None)
            if orig is None or not callable(orig):
                continue
            if getattr(orig, "__eiglint_original__", None) is not None:
                continue
            known = self._wrappers.get(id(orig))
            if known is not None and known[0] is orig:
                wrapper = known[1]
            else:
                wrapper = self._make_wrapper(api, orig, lib, layout_factory(orig))
                self._wrappers[id(orig)] = (orig, wrapper)
            setattr(owner, attr, wrapper)
            self._patched.append((owner, attr, orig))
            patched_any = True
        self.installed_modules.append(name)
        return patched_any

    def uninstall(self) -> None:
        for owner, attr, orig in reversed(self._patched):
            setattr(owner, attr, orig)
        self._patched.clear()
        self.installed_modules.clear()

    def rebind(self, namespace: dict[str, Any]) -> int:
        """Replace names bound to an original function (``from torch.linalg import eig``)."""
        n = 0
        active = {id(o) for _, _, o in self._patched}
        for key, value in list(namespace.items()):
            known = self._wrappers.get(id(value))
            if known is not None and known[0] is value and id(value) in active:
                namespace[key] = known[1]
                n += 1
        return n

    def unbind(self, namespace: dict[str, Any]) -> None:
        """Undo :meth:`rebind`."""
        originals = {id(w): o for o, w in self._wrappers.values()}
        for key, value in list(namespace.items()):
            orig = originals.get(id(value))
            if orig is not None and getattr(value, "__eiglint_original__", None) is orig:
                namespace[key] = orig

    # ------------------------------------------------------------------ wrappers
    def _ops_for(self, lib: str) -> _Ops:
        ops = self._ops.get(lib)
        if ops is None:
            ops = (_TorchOps(self.spec.seed) if lib == "torch" else
                   _JaxOps(self.spec.seed) if lib == "jax" else _NumpyOps(self.spec.seed))
            self._ops[lib] = ops
        return ops

    @contextlib.contextmanager
    def _inside(self) -> Iterator[None]:
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1

    def _make_wrapper(self, api: str, orig: Callable[..., Any], lib: str,
                      layout_fn: LayoutFn) -> Callable[..., Any]:
        gauge = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if getattr(gauge._local, "depth", 0):
                return orig(*args, **kwargs)  # a decomposition inside a patched one
            with gauge._inside():
                matrix = args[0] if args else next(
                    (kwargs[n] for n in _INPUT_KEYWORDS if n in kwargs), None)
                fp = fingerprint(matrix) if matrix is not None else None  # before any
                res = orig(*args, **kwargs)  # overwrite_a=True can destroy the input
                # a basis returned alone (null_space, orth) is handled as a 1-tuple
                alone = layout_fn is _basis_layout and not isinstance(res, (tuple, list))
                out = (res,) if alone else res
                layout = layout_fn(args, kwargs, out)
                if layout is None:
                    return res
                caller = sys._getframe(1)
                new = gauge._apply(api, lib, out, layout, inplace=kwargs.get("out") is not None,
                                   where=(caller.f_code.co_filename, caller.f_lineno), fp=fp)
                return new[0] if alone else new

        try:
            functools.update_wrapper(wrapper, orig)
        except (AttributeError, TypeError):  # pragma: no cover - exotic builtins
            pass
        wrapper.__eiglint_original__ = orig  # type: ignore[attr-defined]
        wrapper.__eiglint_api__ = api  # type: ignore[attr-defined]
        return wrapper

    def _apply(self, api: str, lib: str, res: Any, layout: Layout, inplace: bool,
               where: tuple[str, int] = ("", 0), fp: list[float] | None = None) -> Any:
        ops = self._ops_for(lib)
        items = list(res)
        if not all(ops.is_array(items[p]) for p, _, _ in layout.roles):
            return res
        values = items[layout.values] if layout.values is not None else None
        if values is not None and not ops.is_array(values):
            values = None
        new = list(items)
        for source in sorted({s for _, _, s in layout.roles}):
            roles = [(p, r) for p, r, s in layout.roles if s == source]
            first_pos, first_role = roles[0]
            first = items[first_pos]
            if values is not None:
                k = int(values.shape[-1])
            elif first_role == "vh":
                k = int(first.shape[-2])
            else:
                k = int(first.shape[-1])
            batch = tuple(int(n) for n in first.shape[:-2])
            dt = dtype_name(first.dtype)
            rec = CallRecord(api=api, k=k, complex="complex" in dt, dtype=dt,
                             path=where[0], line=where[1], fp=fp if source == 0 else None)
            groups: list[list[list[int]]] = []
            if values is not None and layout.mixable and k > 1:
                eps = _EPS.get(dtype_name(values.dtype), _EPS.get(dt, 2.22e-16))
                try:
                    groups = [clusters_of(row, eps) for row in ops.value_rows(values)]
                except Exception:  # noqa: BLE001 - values without data (vmap, torch.func)
                    groups = []
                rec.clusters = sum(len(g) for g in groups)
            if api.endswith(".eig") and first_role == "vec" and source == 0:
                try:
                    rec.cond = ops.cond(first)
                except Exception:  # noqa: BLE001 - a diagnostic only
                    rec.cond = None
            self.calls.append(rec)
            if self.spec.mode == "identity" or k == 0:
                continue
            g = ops.diag(self.spec, batch, k, first)
            if self.spec.mix and rec.clusters and self.spec.mode == "random" and not inplace:
                g = ops.mix(g, groups, first)
                rec.mixed = True
            for pos, role in roles:
                x = items[pos]
                if role == "vec":
                    new[pos] = ops.cols(x, g, k)
                elif role == "vh":
                    new[pos] = ops.rows_conj(x, g, k)
                else:
                    new[pos] = ops.schur(x, g)
        if self.spec.mode == "identity":
            return res
        if inplace:
            for p, _, _ in layout.roles:
                ops.store(items[p], new[p])
            return res
        return _rebuild(res, new)


def _resolve(dotted: str) -> Any:
    """The object named ``dotted`` if its top module is imported (never imports anything)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        mod = sys.modules.get(".".join(parts[:i]))
        if mod is not None:
            obj: Any = mod
            for p in parts[i:]:
                obj = getattr(obj, p, None)
                if obj is None:
                    return None
            return obj
    return None


@contextlib.contextmanager
def regauge(spec: GaugeSpec, namespaces: Sequence[dict[str, Any]] = (),
            modules: Sequence[str] | None = None) -> Iterator[Gauge]:
    """In-process re-gauging of every imported library (and of names bound in ``namespaces``).

    >>> import torch
    >>> with regauge(GaugeSpec("random", seed=1)):
    ...     L, V = torch.linalg.eigh(torch.eye(2) + 1)
    """
    gauge = Gauge(spec)
    gauge.install(modules)
    for ns in namespaces:
        gauge.rebind(ns)
    try:
        yield gauge
    finally:
        for ns in namespaces:
            gauge.unbind(ns)
        gauge.uninstall()


def summarize(calls: Sequence[CallRecord]) -> dict[str, Any]:
    """Aggregate of the calls of one run (for the runner's planning)."""
    real_k = max((c.k for c in calls if not c.complex), default=0)
    return {
        "calls": len(calls),
        "apis": sorted({c.api for c in calls}),
        "max_k_real": real_k,
        "max_k": max((c.k for c in calls), default=0),
        "clusters": sum(c.clusters for c in calls),
        "max_cond": max((c.cond for c in calls if c.cond is not None), default=None),
    }


__all__ = [
    "MODES",
    "PATCHES_BY_MODULE",
    "CallRecord",
    "Gauge",
    "GaugeSpec",
    "Layout",
    "clusters_of",
    "dtype_name",
    "fingerprint",
    "regauge",
    "same_fingerprint",
    "summarize",
]

"""Which outputs of which library function carry the gauge: the patch tables.

A :class:`Layout` says where the gauge-carrying outputs of one decomposition's result sit
(columns ``X·G``, rows ``G^H·X``, a Schur form ``G^H·T·G``) and which of them share a gauge; the
tables name, per library module, every function :class:`~eiglint.runtime.gauge.Gauge` patches
and the layout of its result. :mod:`eiglint.catalogue` names the same decompositions (a test
in ``tests/reliability/test_walls.py`` keeps the two in step).

Coverage (patched when importable): ``torch.linalg.eig/eigh/svd``, ``torch.svd``,
``Tensor.svd``, ``torch.svd_lowrank``, ``torch.pca_lowrank``, ``torch.lobpcg``;
``numpy.linalg.eig/eigh/svd``; ``scipy.linalg.eig/eigh/svd/schur/eig_banded/eigh_tridiagonal``;
``scipy.sparse.linalg.eigs/eigsh/svds/lobpcg``; ``jax.numpy.linalg.eig/eigh/svd``,
``jax.scipy.linalg.eigh/svd/schur/eigh_tridiagonal``, ``jax.lax.linalg.eigh/eig/svd``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional


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


def basis_layout(args: tuple[Any, ...], kwargs: dict[str, Any], res: Any) -> Layout | None:
    """A subspace basis returned alone (``scipy.linalg.null_space``, ``orth``): its columns,
    as the one output of a 1-tuple (the wrapper in :mod:`.gauge` makes the tuple)."""
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
    ("scipy.linalg", "null_space", "scipy.linalg.null_space", lambda o: basis_layout),
    ("scipy.linalg", "orth", "scipy.linalg.orth", lambda o: basis_layout),
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


__all__ = ["PATCHES_BY_MODULE", "Layout", "LayoutFn", "PatchTable", "basis_layout"]

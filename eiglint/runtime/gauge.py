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

Coverage: the patch tables of :mod:`.layouts`; the array arithmetic per library:
:mod:`.arrayops`; the input fingerprints: :mod:`.fingerprints`. The patch replaces the module
attributes, so every later ``torch.linalg.eig(...)``, ``import torch.linalg as LA``, ``from
torch.linalg import eig as E`` sees it; in the confirmation child the patch is installed when
the library finishes importing, i.e. before any user module can bind a name. Names bound
*before* the patch (only possible in-process, e.g. in a notebook) are rebound by
:meth:`Gauge.rebind`. Not covered: references captured inside the libraries themselves,
C++/CUDA extensions, ``torch.compile``'d graphs traced before the patch, ``jax.jit`` functions
compiled before it.
"""
from __future__ import annotations

import contextlib
import functools
import math
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional

from .arrayops import JaxOps, NumpyOps, Ops, TorchOps
from .fingerprints import fingerprint
from .layouts import PATCHES_BY_MODULE, Layout, LayoutFn, basis_layout

MODES = ("identity", "random", "flip")

#: eigen/singular values closer than this many machine epsilons (relative to max |value|) form
#: a cluster whose eigenspace is mixed by a random unitary in ``mix`` mode
CLUSTER_EPS = 100.0


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


_EPS = {"float16": 9.77e-4, "bfloat16": 7.82e-3, "float32": 1.19e-7, "float64": 2.22e-16,
        "complex64": 1.19e-7, "complex128": 2.22e-16, "longdouble": 1.08e-19,
        "float128": 1.08e-19, "complex256": 1.08e-19, "clongdouble": 1.08e-19}


def dtype_name(dtype: Any) -> str:
    """``torch.float32`` / ``numpy.dtype('float32')`` -> ``'float32'``."""
    s = str(dtype)
    return s.removeprefix("torch.")


#: input names of the decompositions, when the matrix is passed by keyword
_INPUT_KEYWORDS = ("A", "a", "input", "M", "x", "X")


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
        self._ops: dict[str, Ops] = {}
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
    def _ops_for(self, lib: str) -> Ops:
        ops = self._ops.get(lib)
        if ops is None:
            ops = (TorchOps(self.spec.seed) if lib == "torch" else
                   JaxOps(self.spec.seed) if lib == "jax" else NumpyOps(self.spec.seed))
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
                alone = layout_fn is basis_layout and not isinstance(res, (tuple, list))
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
            flip = self.spec.column if self.spec.mode == "flip" else None
            g = ops.diag(flip, batch, k, first)
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
    "CallRecord",
    "Gauge",
    "GaugeSpec",
    "clusters_of",
    "dtype_name",
    "regauge",
    "summarize",
]

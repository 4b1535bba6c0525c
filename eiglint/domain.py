"""The phase domain: the algebra of gauge characters, pure Python (no libcst, no torch).

A decomposition call is a *source*. Its gauge group is U(1)^k (complex phases ``e^{i phi_k}``,
modulus 0 below) or Z2^k (real signs, modulus 2). A tracked tensor value is abstracted as

* :class:`Inv`      -- carries no gauge (eigenvalues, ``V @ V.mH``, ordinary data);
* :class:`Cov`      -- *covariant*: ``f(V D) = f(V) * prod d_k^e`` elementwise, with the
  exponents ``e`` recorded per axis (``axes``, left to right), for phases whose axis was indexed
  away (``residual``) and for values whose layout was lost by a reshape (``elem``);
* :class:`Pending`  -- a break that later code may still undo: the real/imaginary part of a
  covariant value (``torch.complex(x.real, x.imag)`` restores it), an angle (differences of
  angles with the same phase are invariant), an odd/even symmetrisable function of a sign
  (``relu(v) + relu(-v)``), a sign mask ``x < 0`` (``where(x < 0, -v, v)`` fixes a sign);
* :class:`Broken`   -- depends on the gauge in a non-covariant way (absorbing).

A *charge* maps keys ``(source id, modulus, alignment)`` to integer exponents. The alignment
token says how an axis position maps to the eigen-index of the source (``"id"`` for the
decomposition's own columns; slices, flips and fancy indexing derive new tokens), so that
``V[:, 1:3] * V[:, 1:3].conj()`` cancels but ``V * V.flip(-1).conj()`` does not.

Operations return new values; an operation that breaks covariance returns a :class:`Broken`
whose ``causes`` say why (category and detail). Operations on an already broken value return a
silent :class:`Broken` (``causes == ()``), so a value is reported once, at its break.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Dict, FrozenSet, Iterable, List, Literal, Optional, Sequence, Set, Tuple, Union

Key = Tuple[int, int, str]  # (source id, modulus: 0 = U(1) phase, 2 = Z2 sign, alignment)
Charge = Tuple[Tuple[Key, int], ...]  # sorted, exponents normalised and non-zero

PHASE = 0
SIGN = 2
ID = "id"


# --------------------------------------------------------------------------- charges


def norm_charge(d: Dict[Key, int]) -> Charge:
    out = []
    for key, e in d.items():
        if key[1]:
            e %= key[1]
        if e:
            out.append((key, e))
    out.sort()
    return tuple(out)


def add_charges(*charges: Charge, scale: int = 1) -> Charge:
    """Sum of charges; ``scale`` multiplies every charge after the first."""
    d: Dict[Key, int] = {}
    for i, c in enumerate(charges):
        f = 1 if i == 0 else scale
        for k, e in c:
            d[k] = d.get(k, 0) + f * e
    return norm_charge(d)


def neg_charge(c: Charge) -> Charge:
    return norm_charge({k: -e for k, e in c})


def scale_charge(c: Charge, n: int) -> Charge:
    return norm_charge({k: n * e for k, e in c})


def _charge_from_pairs(pairs: Iterable[Tuple[Key, int]]) -> Charge:
    d: Dict[Key, int] = {}
    for k, e in pairs:
        d[k] = d.get(k, 0) + e
    return norm_charge(d)


def retoken_charge(c: Charge, fn: "TokenFn") -> Charge:
    return _charge_from_pairs(((k[0], k[1], fn(k[2])), e) for k, e in c)


class TokenFn:
    """A small callable mapping alignment tokens (kept as a class for mypy)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt

    def __call__(self, tok: str) -> str:
        return self.fmt.replace("{}", tok)


def charge_sources(c: Charge) -> Tuple[Tuple[int, int], ...]:
    return tuple(sorted({(k[0], k[1]) for k, _ in c}))


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Step:
    """A step in a value's history, for messages and the ``full`` reporter.

    ``anchor`` is the tracker's handle on the expression (its position is looked up only when
    a finding is reported); ``line``/``col`` are set when known.
    """

    line: int
    col: int
    note: str
    anchor: object = field(default=None, compare=False)


#: why a value stopped being covariant; each category is reported by one rule family
#: (:data:`eiglint.rules.CATEGORY`), which owns its message template and hints
Category = Literal["view", "angle", "wrap", "compare", "nonlinear", "mix", "loss", "escape",
                   "exposure"]


@dataclass(frozen=True)
class Cause:
    """Why an operation broke covariance."""

    category: Category
    detail: str
    kind: str  # phase | sign
    sources: Tuple[int, ...]
    origin: object = None  # where to report (tracker token); None = the current operation
    steps: Tuple[Step, ...] = ()


@dataclass(frozen=True)
class Inv:
    """A value that carries no gauge."""

    ndim: Optional[int] = None
    diagonal: bool = False
    is_complex: Optional[bool] = None
    random: bool = False
    const: Optional[complex] = None  # numeric literal value, when known
    #: an argument of a method analysed on its own, whose callers are not seen: it may hold
    #: coefficients in a basis the object stores (``weights @ self.components_``)
    external: bool = False


@dataclass(frozen=True)
class Cov:
    """A gauge-covariant value: multiplies by ``prod d^e`` under a change of gauge."""

    axes: Tuple[Charge, ...]
    residual: Charge = ()
    elem: Charge = ()
    diagonal: bool = False
    polarity: int = 1
    steps: Tuple[Step, ...] = field(default=(), compare=False)
    #: columns (or rows) of an orthonormal factor (eigh, svd, Schur), possibly selected,
    #: transposed or conjugated: ``F.mH @ F`` is then the identity. A tag naming the factor:
    #: SVD's U and Vh share a source (and labels) but ``Vh @ U`` is not the identity, so the
    #: tracker should tag them differently (``True`` for every frame conflates them)
    frame: Union[bool, str] = False

    @property
    def ndim(self) -> int:
        return len(self.axes)

    def all_charges(self) -> Charge:
        return add_charges(*self.axes, self.residual, self.elem)

    def kind(self) -> str:
        return "phase" if self.has_phase() else "sign"

    def has_phase(self) -> bool:
        return any(k[1] == PHASE for c in (*self.axes, self.residual, self.elem) for k, _ in c)

    def sources(self) -> Tuple[int, ...]:
        return tuple(sorted({k[0] for c in (*self.axes, self.residual, self.elem) for k, _ in c}))


@dataclass(frozen=True)
class Pending:
    """A gauge-dependent value that may still be made invariant or covariant again."""

    # real | imag | jimag | pair | angle | fn:<name> | call:<name> | signmask | angdiff
    # (a difference of angles: invariant modulo 2 pi) | jangdiff (1j times one) | jangle
    # (``1j * k * angle(x)`` with ``k = polarity`` a non-zero integer: its ``exp`` is
    # ``sgn(x) ** k``)
    op: str
    base: Cov  # the argument; ``base.polarity`` is its sign
    origin: object
    category: Category
    detail: str
    polarity: int = 1  # sign of the result (``-relu(v)``), for fn/call
    # identity of the argument up to its sign (e.g. its source text without a leading minus),
    # when the tracker knows it: parts of *different* values with equal charges must not be
    # recombined (``torch.complex(v.real, (2 * v).imag)``), nor symmetrised
    # (``relu(2 * v) + relu(-v)``). Without keys, parts are paired by charge alone.
    key: Optional[str] = None

    @property
    def ndim(self) -> int:
        return self.base.ndim + (1 if self.op == "pair" else 0)


@dataclass(frozen=True)
class Broken:
    """Depends on the gauge, not covariantly. ``causes`` is non-empty only where it broke."""

    kind: str = "phase"
    ndim: Optional[int] = None
    causes: Tuple[Cause, ...] = field(default=(), compare=False)

    def silent(self) -> "Broken":
        return Broken(self.kind, self.ndim) if self.causes else self


Value = Union[Inv, Cov, Pending, Broken]

INV = Inv()


def is_charged(v: Value) -> bool:
    return isinstance(v, (Cov, Pending))


def value_kind(v: Value) -> str:
    if isinstance(v, Cov):
        return "phase" if v.has_phase() else "sign"
    if isinstance(v, Pending):
        return "phase" if v.base.has_phase() else "sign"
    if isinstance(v, Broken):
        return v.kind
    return "sign"


def make_cov(
    axes: Sequence[Charge],
    residual: Charge = (),
    elem: Charge = (),
    diagonal: bool = False,
    polarity: int = 1,
    steps: Tuple[Step, ...] = (),
) -> Value:
    """A covariant value, or :data:`Inv` when every exponent cancelled."""
    axes = tuple(axes)
    if not residual and not elem and not any(axes):
        return Inv(ndim=len(axes), diagonal=diagonal, is_complex=None)
    return Cov(axes, residual, elem, diagonal, polarity, steps)


def seed(source: int, modulus: int, ndim: int = 2, axis: int = -1, exponent: int = 1) -> Cov:
    """The value of a decomposition output: an exponent on one axis (the eigen-index), with
    identity alignment."""
    axes: List[Charge] = [() for _ in range(ndim)]
    axes[axis] = norm_charge({(source, modulus, ID): exponent})
    return Cov(tuple(axes))


def seed_two(source: int, modulus: int, first: int, second: int) -> Cov:
    """A matrix with exponents on both axes (Schur factor ``T -> D^H T D``)."""
    return Cov((norm_charge({(source, modulus, ID): first}),
                norm_charge({(source, modulus, ID): second})))


# --------------------------------------------------------------------------- helpers


def _kind_from(values: Sequence[Value]) -> str:
    for v in values:
        if value_kind(v) == "phase" and not isinstance(v, Inv):
            return "phase"
    return "sign"


def _sources_from(values: Sequence[Value]) -> Tuple[int, ...]:
    s: Set[int] = set()
    for v in values:
        if isinstance(v, Cov):
            s.update(v.sources())
        elif isinstance(v, Pending):
            s.update(v.base.sources())
    return tuple(sorted(s))


def _steps_from(values: Sequence[Value]) -> Tuple[Step, ...]:
    for v in values:
        if isinstance(v, Cov) and v.steps:
            return v.steps
        if isinstance(v, Pending) and v.base.steps:
            return v.base.steps
    return ()


def promote(x: Value, sources: FrozenSet[int]) -> Value:
    """``x`` with the sign gauge of ``sources`` read as a phase: where code takes the real or
    imaginary part or the angle of vectors whose dtype is not known (``eigh`` of a parameter,
    NumPy's ``eig`` of a real matrix whose spectrum may be complex), it expects complex values,
    and for complex values the gauge is a phase."""
    if not sources or not isinstance(x, Cov) or not (set(x.sources()) & sources):
        return x

    def up(c: Charge) -> Charge:
        return _charge_from_pairs(((k[0], PHASE if k[0] in sources else k[1], k[2]), e)
                                  for k, e in c)

    return replace(x, axes=tuple(up(a) for a in x.axes), residual=up(x.residual),
                   elem=up(x.elem))


def materialize(p: Pending) -> Broken:
    """Use of a pending value in a way that does not undo its break."""
    kind = "phase" if p.base.has_phase() else "sign"
    sources = p.base.sources()
    if p.op in ("real", "imag", "angle"):
        # only a phase makes the parts depend on the gauge: name those sources (of a value
        # that is one decomposition's on one path and another's on the other, the phase one)
        phases = tuple(sorted({k[0] for c in (*p.base.axes, p.base.residual, p.base.elem)
                               for k, _ in c if k[1] == PHASE}))
        sources = phases or sources
    cause = Cause(p.category, p.detail, kind, sources, p.origin, p.base.steps)
    return Broken(kind, p.ndim, (cause,))


def brk(category: Category, detail: str, *operands: Value, ndim: Optional[int] = None) -> Broken:
    """A fresh break caused by this operation on the given operands."""
    kind = _kind_from(operands)
    cause = Cause(category, detail, kind, _sources_from(operands), None, _steps_from(operands))
    return Broken(kind, ndim, (cause,))


def unknown(*operands: Value) -> Broken:
    """A result eiglint cannot describe (a layout or rank it does not track): no longer
    followed, and not a finding either, since nothing shows that the code mixes gauges."""
    return Broken(_kind_from(operands), None)


def _prep(operands: Sequence[Value]) -> Tuple[List[Value], Optional[Broken]]:
    """Materialise pending operands; if anything is broken, the result is broken.

    Returns the operands (pending ones replaced) and the broken result to return, if any.
    """
    causes: List[Cause] = []
    out: List[Value] = []
    broken_kind: Optional[str] = None
    for v in operands:
        if isinstance(v, Pending):
            b = materialize(v)
            causes.extend(b.causes)
            broken_kind = broken_kind or b.kind
            out.append(b)
        elif isinstance(v, Broken):
            broken_kind = broken_kind or v.kind
            out.append(v)
        else:
            out.append(v)
    if broken_kind is not None:
        return out, Broken(broken_kind, None, tuple(causes))
    return out, None


def ndim_of(v: Value) -> Optional[int]:
    if isinstance(v, Cov):
        return v.ndim
    return v.ndim


def _norm_axis(axis: int, ndim: int) -> Optional[int]:
    a = axis + ndim if axis < 0 else axis
    return a if 0 <= a < ndim else None


def _with_steps(v: Value, steps: Tuple[Step, ...]) -> Value:
    if isinstance(v, Cov) and steps and not v.steps:
        return replace(v, steps=steps)
    return v


# --------------------------------------------------------------------------- unary


def conj(x: Value) -> Value:
    if isinstance(x, Cov):
        return replace(x, axes=tuple(neg_charge(c) for c in x.axes),
                       residual=neg_charge(x.residual),
                       elem=neg_charge(x.elem))
    if isinstance(x, Pending):
        if x.op in ("real", "imag", "angle", "angdiff") or x.op in EXTREMES or \
                x.op.startswith(("fn:", "call:")):
            return x  # real-valued: conj is the identity
        if x.op in ("jangdiff", "jangle"):
            return replace(x, polarity=-x.polarity)
        (y,), b = _prep([x])
        return b if b is not None else y
    return x


def neg(x: Value) -> Value:
    if isinstance(x, Cov):
        return replace(x, polarity=-x.polarity)
    if isinstance(x, Pending) and (x.op.startswith(("fn:", "call:")) or x.op == "jangle"
                                   or x.op in EXTREMES):
        return replace(x, polarity=-x.polarity)
    if isinstance(x, Pending) and x.op in ("real", "imag", "jimag", "pair"):
        return replace(x, base=replace(x.base, polarity=-x.base.polarity))  # -Re(z) = Re(-z)
    if isinstance(x, Pending) and x.op in ("real2", "imag2"):
        (y,), b = _prep([x])  # -Re(z)^2 is no square of a part: it stays broken
        return b if b is not None else y
    if isinstance(x, Pending) and x.op == "angle":
        return replace(x, base=_as_cov(conj(x.base), x.base))  # -angle(z) = angle(conj z)
    if isinstance(x, Inv) and x.const is not None:
        return replace(x, const=-x.const)
    return x


def _moved(v: Cov, token: str) -> Cov:
    """The elements of ``v`` move (flip, transpose, index, new or removed axes): the labels of
    a layout-lost value (``elem``) are bound to the old layout, so they get new ones.
    ``V.reshape(-1).flip(0) * V.reshape(-1).conj()`` is not invariant."""
    if not v.elem:
        return v
    return replace(v, elem=retoken_charge(v.elem, TokenFn(token + "({})")))


def transpose(x: Value, a: int = -2, b: int = -1) -> Value:
    if isinstance(x, Pending):
        if x.op in ("real", "imag", "angle"):
            return replace(x, base=_as_cov(transpose(x.base, a, b), x.base))
        (y,), br = _prep([x])
        return br if br is not None else y
    if not isinstance(x, Cov):
        return x
    n = x.ndim
    ia, ib = _norm_axis(a, n), _norm_axis(b, n)
    if ia is None or ib is None:
        return unknown(x)
    axes = list(x.axes)
    axes[ia], axes[ib] = axes[ib], axes[ia]
    if ia != ib:
        x = _moved(x, f"T{min(ia, ib)},{max(ia, ib)}/{n}")
    return replace(x, axes=tuple(axes))


def _as_cov(v: Value, fallback: Cov) -> Cov:
    return v if isinstance(v, Cov) else fallback


def reverse_axes(x: Value) -> Value:
    """``x.T`` (all axes reversed)."""
    if isinstance(x, Cov):
        return replace(_moved(x, f"R/{x.ndim}"), axes=tuple(reversed(x.axes)))
    if isinstance(x, Pending) and x.op in ("real", "imag", "angle"):
        return replace(x, base=replace(x.base, axes=tuple(reversed(x.base.axes))))
    return transpose(x) if isinstance(x, Pending) else x


def permute(x: Value, dims: Sequence[int]) -> Value:
    if isinstance(x, Pending):
        if x.op in ("real", "imag", "angle"):
            p = permute(x.base, dims)
            if isinstance(p, Cov):
                return replace(x, base=p)
        (y,), br = _prep([x])
        return br if br is not None else y
    if not isinstance(x, Cov):
        return x
    n = x.ndim
    if len(dims) != n:
        # the permutation tells us the real rank: pad missing leading (batch) axes
        if len(dims) > n:
            x = replace(x, axes=tuple([()] * (len(dims) - n)) + x.axes)
            n = x.ndim
        else:
            return unknown(x)
    idx = [_norm_axis(d, n) for d in dims]
    if any(i is None for i in idx) or len(set(idx)) != n:
        return unknown(x)
    if idx != list(range(n)):
        x = _moved(x, f"P{tuple(idx)}")
    return replace(x, axes=tuple(x.axes[i] for i in idx if i is not None))


def abs_(x: Value) -> Value:
    if isinstance(x, Cov):
        return Inv(ndim=x.ndim)
    if isinstance(x, Pending) and x.op in EXTREMES:
        # |max(v)| and |min(v)| swap with the sign of v (|max(-v)| = |min(v)|)
        return replace(x, op=x.op if x.op.startswith("abs") else "abs" + x.op, polarity=1)
    if isinstance(x, Pending):
        if x.op.startswith(("fn:", "call:")) and not x.base.has_phase():
            # |f(v)| is still a function of the sign unless f is odd
            (y,), b = _prep([x])
            return b if b is not None else y
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return replace(x, const=None, is_complex=False)
    return x


def sgn(x: Value) -> Value:
    """``z / |z|`` (torch.sgn, np.sign of complex in numpy 2, torch.sign of real): keeps the
    charge."""
    if isinstance(x, Cov):
        return replace(x, diagonal=False, frame=False)
    if isinstance(x, Pending):
        return _nonlinear_pending_or_break(x, "sign", "odd")
    return x


def _nonlinear_pending_or_break(x: Pending, name: str, parity: str) -> Value:
    (y,), b = _prep([x])
    return b if b is not None else y


def real(x: Value, origin: object, detail: str, key: Optional[str] = None) -> Value:
    if isinstance(x, Cov):
        if not x.has_phase():
            return x  # a real sign-carrying tensor: .real is the identity
        return Pending("real", x, origin, "view", detail, key=key)
    if isinstance(x, Pending):
        if x.op in ("real", "imag", "angle") or x.op.startswith(("fn:", "call:")):
            return x
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return replace(x, is_complex=False)
    return x


def imag(x: Value, origin: object, detail: str, key: Optional[str] = None) -> Value:
    if isinstance(x, Cov):
        if not x.has_phase():
            # Im(z d) = Im(z) d for a real sign d (and zeros, covariantly, for a real tensor)
            return replace(x, diagonal=False, frame=False)
        return Pending("imag", x, origin, "view", detail, key=key)
    if isinstance(x, Pending):
        if x.op in ("real", "imag", "angle") or x.op.startswith(("fn:", "call:")):
            return Inv(ndim=x.ndim, is_complex=False)
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return replace(x, is_complex=False, const=None)
    return x


def view_as_real(x: Value, origin: object, detail: str, key: Optional[str] = None) -> Value:
    if isinstance(x, Cov):
        if not x.has_phase():
            return brk("view", detail, x)
        return Pending("pair", x, origin, "view", detail, key=key)
    if isinstance(x, Pending):
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return Inv(ndim=None if x.ndim is None else x.ndim + 1, is_complex=False)
    return x


def view_as_complex(x: Value) -> Value:
    if isinstance(x, Pending) and x.op == "pair":
        return x.base
    if isinstance(x, Inv):
        return Inv(ndim=None if x.ndim is None else max(x.ndim - 1, 0), is_complex=True)
    (y,), b = _prep([x])
    return b if b is not None else y


def angle(x: Value, origin: object, detail: str) -> Value:
    if isinstance(x, Cov):
        if not x.has_phase():
            # angle of a real number is 0 or pi: a threshold on its sign
            return Pending("angle", x, origin, "compare", detail)
        return Pending("angle", x, origin, "angle", detail)
    if isinstance(x, Pending):
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return replace(x, is_complex=False, const=None)
    return x


def make_complex(re: Value, im: Value) -> Value:
    """``torch.complex(re, im)``."""
    if (isinstance(re, Pending) and isinstance(im, Pending) and re.op == "real"
            and im.op == "imag" and paired(re, im)):
        return re.base
    ops, b = _prep([re, im])
    if b is not None:
        return b
    if all(isinstance(v, Inv) for v in ops):
        return Inv(ndim=_bcast_ndim(ops), is_complex=True)
    # a covariant real part (sign) with a gauge-free imaginary part: mixes
    if isinstance(ops[0], Cov) and isinstance(ops[1], Cov) and _same_charge(ops[0], ops[1]):
        return replace(ops[0], frame=False)
    if isinstance(ops[1], Inv) and ops[1].const == 0:
        return ops[0]
    return brk("mix", "combines parts that carry different gauges", *ops)


def elementwise(x: Value, name: str, parity: str, origin: object, detail: str,
                key: Optional[str] = None) -> Value:
    """A non-linear elementwise function. ``parity``: odd | even | none (for real signs)."""
    if isinstance(x, Cov):
        if x.has_phase():
            return brk("nonlinear", detail, x, ndim=x.ndim)
        if parity == "odd":
            return replace(x, diagonal=False, frame=False)
        if parity == "even":
            return Inv(ndim=x.ndim)
        return Pending("fn:" + name, x, origin, "nonlinear", detail, key=key)
    if isinstance(x, Pending):
        if x.op == "jangle" and name == "exp":
            # exp(1j * k * angle(z)) = sgn(z) ** k: the phase (or sign) of z, to the power k
            return power(replace(x.base, diagonal=False, frame=False, polarity=1),
                         Fraction(x.polarity), "raises to a power")
        if (x.op == "angdiff" and name in PERIODIC) or (x.op == "jangdiff" and name == "exp"):
            # a function of period 2 pi / m of an angle difference: the 2 pi jumps vanish
            return Inv(ndim=x.ndim, is_complex=x.op == "jangdiff")
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return replace(x, const=None, diagonal=x.diagonal and parity == "odd")
    return x


#: functions whose period divides 2 pi: of an angle difference they are invariant
PERIODIC = frozenset({"cos", "sin", "tan"})

WRAP_DETAIL = ("is a difference of angles: the column phase cancels only modulo 2 pi, so the "
               "value jumps by 2 pi with the gauge")


def wrap(x: Value) -> Value:
    """``d % (2 pi / m)`` (floor modulo: ``%``, ``remainder``, ``np.mod``): an angle difference
    becomes invariant. (``fmod`` keeps the sign of ``d``: not a wrap.)"""
    if isinstance(x, Pending) and x.op == "angdiff":
        return Inv(ndim=x.ndim, is_complex=False)
    if isinstance(x, Pending) and x.op == "angle":
        return x  # the angle itself stays shifted by the phase
    (y,), b = _prep([x])
    return b if b is not None else y


def escape(x: Value, name: str, origin: object, detail: str, key: Optional[str] = None
           ) -> Value:
    """A value passed to a callable whose behaviour is unknown (for signs: symmetrisable)."""
    if isinstance(x, Cov):
        if x.has_phase():
            return brk("escape", detail, x)
        return Pending("call:" + name, x, origin, "escape", detail, key=key)
    if isinstance(x, Pending):
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Inv):
        return Inv()
    return x


def power(x: Value, exponent: Optional[Fraction], detail: str) -> Value:
    if isinstance(x, Inv):
        return replace(x, const=None, diagonal=x.diagonal and exponent is not None and exponent > 0)
    if isinstance(x, Pending) and x.op in ("real", "imag") and exponent == 2:
        # half of |z|^2 = Re(z)^2 + Im(z)^2 (:func:`add` completes it); alone it still breaks
        return replace(x, op=f"{x.op}2")
    if isinstance(x, Pending):
        if exponent is not None and exponent.denominator == 1 and exponent % 2 == 0 and (
                x.op.startswith(("fn:", "call:"))):
            (y,), b = _prep([x])
            return b if b is not None else y
        (y,), b = _prep([x])
        return b if b is not None else y
    if isinstance(x, Broken):
        return x.silent()
    if exponent is None or exponent.denominator != 1:
        # (a real x ** (2/3) is nan for negative x in torch and numpy: the sign still shows)
        return brk("nonlinear", detail, x, ndim=x.ndim)
    n = int(exponent)
    pol = x.polarity if n % 2 else 1
    return make_cov(tuple(scale_charge(c, n) for c in x.axes), scale_charge(x.residual, n),
                    scale_charge(x.elem, n), x.diagonal and n > 0, pol, x.steps)


# --------------------------------------------------------------------------- binary elementwise


def _bcast_ndim(vals: Sequence[Value]) -> Optional[int]:
    nd = [ndim_of(v) for v in vals]
    known = [n for n in nd if n is not None]
    if len(known) < len(nd) and max(known, default=0) < 1:
        # an operand of unknown rank with scalars: the rank is not known either
        return None
    return max(known) if known else None


def _bcast_axes(vals: Sequence[Value]) -> Tuple[List[List[Charge]], int]:
    """Per result axis (left to right), the charges of the covariant operands aligned there."""
    n = max((v.ndim for v in vals if isinstance(v, Cov)), default=0)
    cols: List[List[Charge]] = [[] for _ in range(n)]
    for v in vals:
        if isinstance(v, Cov):
            off = n - v.ndim
            for i, c in enumerate(v.axes):
                cols[off + i].append(c)
    return cols, n


def _same_charge(a: Cov, b: Cov) -> bool:
    if a.residual != b.residual or a.elem != b.elem:
        return False
    n = max(a.ndim, b.ndim)
    pa = ((),) * (n - a.ndim) + a.axes
    pb = ((),) * (n - b.ndim) + b.axes
    return pa == pb


def mul(a: Value, b: Value, divide: bool = False) -> Value:
    ops, br = _prep([a, b])
    # an imaginary part times 1j is half of a recombination ``x.real + 1j * x.imag``
    for p, q in ((a, b), (b, a)):
        if isinstance(p, Pending) and p.op in ("angdiff", "jangdiff") and isinstance(q, Inv) \
                and q.const is not None and not (divide and p is b):
            scaled = _scale_angdiff(p, q.const if not divide else 1 / q.const
                                    if q.const else 0)
            if scaled is not None:
                return scaled
        if isinstance(p, Pending) and p.op in ("angle", "jangle") and isinstance(q, Inv) \
                and q.const is not None and not divide:
            scaled = _scale_angle(p, q.const)
            if scaled is not None:
                return scaled
    if isinstance(a, Pending) and a.op == "imag" and isinstance(b, Inv) and _is_imag_unit(b):
        return replace(a, op="jimag")
    if isinstance(b, Pending) and b.op == "imag" and isinstance(a, Inv) and _is_imag_unit(a):
        return replace(b, op="jimag")
    # a sign change keeps f(v) symmetrisable; any other factor would have to be tracked
    # (2 * relu(v) + relu(-v) is not even)
    if isinstance(a, Pending) and a.op.startswith(("fn:", "call:")) and isinstance(b, Inv) \
            and b.const in (1, -1):
        return replace(a, polarity=a.polarity * int(b.const.real))
    if isinstance(b, Pending) and b.op.startswith(("fn:", "call:")) and isinstance(a, Inv) \
            and a.const in (1, -1) and not divide:
        return replace(b, polarity=b.polarity * int(a.const.real))
    if br is not None:
        return br
    a2, b2 = ops
    if isinstance(a2, Inv) and isinstance(b2, Inv):
        const = None
        if a2.const is not None and b2.const is not None:
            try:
                const = a2.const / b2.const if divide else a2.const * b2.const
            except ZeroDivisionError:
                const = None
        # coefficients nobody is seen passing, scaled entry by entry, are still such
        # coefficients (`V @ (p[:, None] * s)` with `s` an argument: see :func:`matmul`)
        return Inv(ndim=_bcast_ndim(ops), diagonal=(a2.diagonal or (b2.diagonal and not divide)),
                   is_complex=_cplx(a2, b2), random=a2.random and b2.random, const=const,
                   external=a2.external or b2.external)
    s = -1 if divide else 1
    # the result has the rank of the widest operand, gauge-free ones included (``V * B`` with a
    # batch B: the charge stays on the last axis, and ``x[:, 0]`` indexes B's rows)
    n = max([v.ndim for v in ops if isinstance(v, Cov)]
            + [v.ndim for v in ops if isinstance(v, Inv) and v.ndim is not None])
    axes = [add_charges(_axis_at(a2, i, n), _axis_at(b2, i, n), scale=s) for i in range(n)]
    res = add_charges(_res(a2), _res(b2), scale=s)
    elem = add_charges(_elem(a2), _elem(b2), scale=s)
    pol = _pol(a2) * _pol(b2)
    diag = _is_diag(a2) or (_is_diag(b2) and not divide)
    return make_cov(axes, res, elem, diag, pol, _steps_from(ops))


def _scale_angdiff(p: Pending, c: complex) -> Optional[Pending]:
    """An angle difference times ``k`` (integer: still invariant modulo 2 pi) or ``1j * k``
    (``exp`` of it is invariant)."""
    for unit, op in ((1, "angdiff"), (1j, "jangdiff")):
        k = c / unit
        if k.imag == 0 and k.real != 0 and float(k.real).is_integer():
            if p.op == "angdiff":
                return replace(p, op=op)
            if p.op == "jangdiff" and unit == 1:
                return p
    return None


def _scale_angle(p: Pending, c: complex) -> Optional[Pending]:
    """An angle times ``1j * k`` (``k`` a non-zero integer), or such a product times an
    integer: ``exp`` of it is a power of ``sgn`` of the angle's argument (``V * exp(-1j *
    angle(V[0]))`` fixes each column's phase)."""
    if p.op == "angle":
        k = c / 1j
        if k.imag == 0 and k.real != 0 and float(k.real).is_integer():
            return replace(p, op="jangle", polarity=int(k.real))
    elif p.op == "jangle" and c.imag == 0 and c.real != 0 and float(c.real).is_integer():
        return replace(p, polarity=p.polarity * int(c.real))
    return None


def _res(v: Value) -> Charge:
    return v.residual if isinstance(v, Cov) else ()


def _elem(v: Value) -> Charge:
    return v.elem if isinstance(v, Cov) else ()


def _pol(v: Value) -> int:
    if isinstance(v, Cov):
        return v.polarity
    if isinstance(v, Inv) and v.const is not None and v.const.imag == 0 and v.const.real < 0:
        return -1
    return 1


def _axis_at(v: Value, i: int, n: int) -> Charge:
    if not isinstance(v, Cov):
        return ()
    j = i - (n - v.ndim)
    return v.axes[j] if 0 <= j < v.ndim else ()


def _is_imag_unit(v: Inv) -> bool:
    return v.const == 1j  # x.real + 2j * x.imag is not x


def _same_value(a: Pending, b: Pending) -> bool:
    """Do the arguments of two pending values agree up to sign? By key when both have one,
    otherwise (the tracker gave no keys) by charge alone."""
    if a.key is not None and b.key is not None:
        return a.key == b.key
    return _same_charge(a.base, b.base)


def paired(a: Pending, b: Pending) -> bool:
    """Are two pending parts (``.real`` and ``.imag``) parts of the same value?"""
    return _same_charge(a.base, b.base) and a.base.polarity == b.base.polarity and \
        _same_value(a, b)


def _cplx(a: Inv, b: Inv) -> Optional[bool]:
    if a.is_complex or b.is_complex:
        return True
    if a.is_complex is False and b.is_complex is False:
        return False
    return None


def add(a: Value, b: Value, subtract: bool = False, origin: object = None) -> Value:
    ext = combine_extremes(a, b, subtract)
    if ext is not None:
        return ext
    # recombination: x.real + 1j * x.imag
    if isinstance(a, Pending) and isinstance(b, Pending) and _same_charge(a.base, b.base):
        if {a.op, b.op} == {"real", "jimag"} and not subtract and paired(a, b):
            return a.base
        if {a.op, b.op} == {"real2", "imag2"} and not subtract and paired(a, b):
            # Re(z)^2 + Im(z)^2 = |z|^2: a unit factor per column cancels
            return mul(a.base, conj(a.base))
        if a.op == "angle" and b.op == "angle":
            if subtract:
                # invariant modulo 2 pi only: pending until wrapped (or used periodically)
                return Pending("angdiff", a.base, origin if origin is not None else a.origin,
                               "wrap", WRAP_DETAIL)
            return Pending("angle", _as_cov(mul(a.base, b.base), a.base), a.origin, a.category,
                           a.detail)
        if a.op == b.op and a.op.startswith(("fn:", "call:")) and \
                a.base.polarity == -b.base.polarity and _same_value(a, b):
            # f(v) + f(-v) is even (invariant); f(v) - f(-v) is odd (keeps the sign)
            pb = -b.polarity if subtract else b.polarity
            if a.polarity == pb:
                return Inv(ndim=a.ndim)
            return replace(a.base, polarity=a.base.polarity * a.polarity, diagonal=False,
                           frame=False)
    if isinstance(a, Pending) and a.op == "angdiff" and isinstance(b, Pending) \
            and b.op == "angdiff":
        return a  # a sum of angle differences: invariant modulo 2 pi as well
    if isinstance(a, Pending) and a.op in ("angle", "angdiff") and isinstance(b, Inv):
        return a  # a constant shift of an angle is still shifted by the phase
    if isinstance(b, Pending) and b.op == "angle" and isinstance(a, Inv) and not subtract:
        return b
    if isinstance(b, Pending) and b.op == "angdiff" and isinstance(a, Inv):
        return b
    ops, br = _prep([a, b])
    if br is not None:
        return br
    a2, b2 = ops
    if isinstance(a2, Inv) and isinstance(b2, Inv):
        const = None
        if a2.const is not None and b2.const is not None:
            const = a2.const - b2.const if subtract else a2.const + b2.const
        return Inv(ndim=_bcast_ndim(ops), diagonal=a2.diagonal and b2.diagonal,
                   is_complex=_cplx(a2, b2), random=a2.random and b2.random, const=const)
    if isinstance(a2, Inv) and a2.const == 0:
        return neg(b2) if subtract else b2
    if isinstance(b2, Inv) and b2.const == 0:
        return a2
    if isinstance(a2, Cov) and isinstance(b2, Cov) and _same_charge(a2, b2):
        if a2.polarity == b2.polarity or not subtract:
            n = max(a2.ndim, b2.ndim)
            axes = a2.axes if a2.ndim == n else b2.axes
            return Cov(axes, a2.residual, a2.elem, a2.diagonal and b2.diagonal, 1,
                       a2.steps or b2.steps)
        n = max(a2.ndim, b2.ndim)
        axes = a2.axes if a2.ndim == n else b2.axes
        return Cov(axes, a2.residual, a2.elem, a2.diagonal and b2.diagonal, 1,
                   a2.steps or b2.steps)
    if isinstance(a2, Cov) and isinstance(b2, Cov):
        detail = "adds values that carry different gauges"
    else:
        detail = "adds a gauge-free term to a value that carries a gauge"
    return brk("mix", detail, *ops, ndim=_bcast_ndim(ops))


def where(cond: Value, a: Value, b: Value, detail: str) -> Value:
    ops, br = _prep([cond])
    if br is not None:
        return br
    if is_charged(ops[0]):
        return brk("compare", detail, ops[0])
    return join_strict(a, b)


def join_strict(a: Value, b: Value) -> Value:
    """Elementwise selection between two values (``where``, ``cat`` of slices): charges must
    agree."""
    ops, br = _prep([a, b])
    if br is not None:
        return br
    a2, b2 = ops
    if isinstance(a2, Inv) and isinstance(b2, Inv):
        return Inv(ndim=_bcast_ndim(ops), is_complex=_cplx(a2, b2))
    if isinstance(a2, Cov) and isinstance(b2, Cov) and _same_charge(a2, b2):
        # elements of both: orthonormal only if both are (where(m, U, 2 * U) is not)
        out = a2 if a2.ndim >= b2.ndim else b2
        return out if a2.frame == b2.frame else replace(out, frame=False)
    if isinstance(a2, Inv) and a2.const == 0:
        return b2
    if isinstance(b2, Inv) and b2.const == 0:
        return a2
    return brk("mix", "selects between values that carry different gauges", *ops)


def compare(a: Value, b: Value, detail: str, equality: bool = False,
            origin: object = None) -> Value:
    """Comparisons and ``allclose``/``isclose``: invariant iff both sides carry the same gauge
    (for ``==``-like tests) or no gauge at all.

    With an ``origin``, ``x < 0`` / ``x > 0`` (and ``<=``, ``>=``, either side) of a real
    sign-carrying ``x`` is a :func:`sign mask <mask_sign>`: pending, since selecting between a
    value and its negation by it multiplies by ``sign(x)``. So is ``x < y`` when ``x - y`` is
    such a value (``v[0] < v[1]``, ``|max(v)| < |min(v)|``)."""
    if not equality:
        diff = combine_extremes(a, b, True)
        if isinstance(diff, Inv):
            return Inv(ndim=diff.ndim, is_complex=False)
        if isinstance(diff, Cov) and origin is not None:
            return Pending("signmask", replace(diff, polarity=1), origin, "compare", detail)
    ops, br = _prep([a, b])
    if br is not None:
        return br
    a2, b2 = ops
    if isinstance(a2, Inv) and isinstance(b2, Inv):
        return Inv(ndim=_bcast_ndim(ops), is_complex=False)
    if equality and isinstance(a2, Cov) and isinstance(b2, Cov) and _same_charge(a2, b2):
        return Inv(ndim=max(a2.ndim, b2.ndim), is_complex=False)
    if equality and ((isinstance(a2, Inv) and a2.const == 0)
                     or (isinstance(b2, Inv) and b2.const == 0)):
        return Inv(ndim=_bcast_ndim(ops), is_complex=False)  # x == 0 is gauge-invariant
    if origin is not None and not equality:
        x = a2 if isinstance(b2, Inv) and b2.const == 0 else (
            b2 if isinstance(a2, Inv) and a2.const == 0 else None)
        if isinstance(x, Cov) and not x.has_phase() and not x.elem:
            return Pending("signmask", x, origin, "compare", detail)
        if isinstance(a2, Cov) and isinstance(b2, Cov):
            d = add(a2, b2, subtract=True)
            if isinstance(d, Cov) and not d.has_phase() and not d.elem:
                return Pending("signmask", replace(d, polarity=1), origin, "compare", detail)
    return brk("compare", detail, *ops, ndim=_bcast_ndim(ops))


def mask_sign(m: Value) -> Optional[Cov]:
    """The sign that a sign mask ``x < 0`` (or ``x > 0``) selects by, if ``m`` is one.

    Choosing between a value and its negation by the mask (``where(x < 0, -y, y)``,
    ``y[:, x < 0] *= -1``) multiplies ``y`` by ``-sign(x)`` (``sign(x)`` for ``x > 0``), which
    carries the charge of ``x``: the sign convention "make this entry positive" cancels the
    gauge where ``x`` is an entry of each column of ``y`` itself. (Where ``x`` is exactly 0 the
    mask does not flip: a measure-zero case, as for ``sign(0)``.)"""
    if isinstance(m, Pending) and m.op == "signmask":
        return replace(m.base, diagonal=False, frame=False, polarity=1)
    return None


def select_negation(mask: Value, other: Value) -> Optional[Value]:
    """``where(mask, -other, other)`` (or ``where(mask, other, -other)``) for a sign mask: the
    product of ``other`` and the mask's sign; None when ``mask`` is not a sign mask."""
    s = mask_sign(mask)
    if s is None:
        return None
    ops, br = _prep([other])
    if br is not None:
        return br
    return mul(ops[0], s)


#: the largest and smallest entry of a sign-carrying value, and their moduli (pending: a flip
#: of the sign swaps them, so ``max(v) + min(v)`` and ``|max(v)| - |min(v)|`` keep the sign)
EXTREMES = frozenset({"max", "min", "absmax", "absmin"})


def extreme(x: Value, which: str, axes: Optional[Sequence[int]], keepdim: bool, origin: object,
            detail: str, key: Optional[str] = None) -> Value:
    """``max``/``min`` (``which``) over ``axes`` (all when None). Of a real sign-carrying value
    over axes without a charge (``max(v[:, i])``, ``V.max(0)``) it is pending: ``max(-v) =
    -min(v)``, so the extremes of one value combine into odd or even functions of its sign
    (:func:`combine_extremes`); used otherwise it depends on the sign. Anything else is an
    ordering (:func:`order`)."""
    if isinstance(x, Cov) and not x.has_phase() and not x.elem:
        n = x.ndim
        idx = list(range(n)) if axes is None else [_norm_axis(a, n) for a in axes]
        if None not in idx and not any(x.axes[i] for i in idx if i is not None):
            kept = [c for i, c in enumerate(x.axes) if keepdim or i not in idx]
            base = Cov(tuple(kept), x.residual, (), False, 1, x.steps)
            op = which if x.polarity == 1 else ("min" if which == "max" else "max")
            return Pending(op, base, origin, "compare", detail, polarity=x.polarity, key=key)
    return order(x, detail)


def combine_extremes(a: Value, b: Value, subtract: bool) -> Optional[Value]:
    """``a + b`` (``a - b``) of extremes of one value: odd in its sign (covariant), even
    (invariant), or None when neither (or not extremes of one value)."""
    if not (isinstance(a, Pending) and isinstance(b, Pending) and a.op in EXTREMES
            and b.op in EXTREMES and a.op.startswith("abs") == b.op.startswith("abs")
            and _same_charge(a.base, b.base) and _same_value(a, b)):
        return None
    cmax = cmin = 0
    for p, f in ((a, 1), (b, -1 if subtract else 1)):
        if p.op.endswith("max"):
            cmax += f * p.polarity
        else:
            cmin += f * p.polarity
    if cmax == 0 or cmin == 0 or abs(cmax) != abs(cmin):
        return None
    # a flip maps max -> -min, min -> -max, |max| <-> |min|
    odd = (cmax == cmin) != a.op.startswith("abs")
    if odd:
        return replace(a.base, polarity=1 if cmax > 0 else -1, diagonal=False, frame=False)
    return Inv(ndim=a.base.ndim, is_complex=False)


def order(x: Value, detail: str, ndim: Optional[int] = None) -> Value:
    """sort/argmax/max/clamp/relu-like thresholds and truthiness of a value."""
    ops, br = _prep([x])
    if br is not None:
        return br
    if isinstance(ops[0], Cov):
        return brk("compare", detail, ops[0], ndim=ndim)
    return Inv(ndim=ndim, is_complex=False)


# --------------------------------------------------------------------------- reductions


def reduce(x: Value, axes: Optional[Sequence[int]], keepdim: bool, kind: str, detail: str,
           count_key: Optional[str] = None) -> Value:
    """Reductions. ``kind``: sum (sum/mean/logsumexp-free linear), prod, norm, var, cum, max.

    A product raises the charges of the other axes to the number of entries it multiplies,
    which the domain does not know: they get ``pow?`` labels. ``count_key`` names that number
    (the tracker passes the operand's text and axes): products of operands of different length
    (``V.prod(0) / V[:2].prod(0)``) then do not cancel. Without it, all ``pow?`` labels of a
    charge are alike.

    A sum of the real (imaginary) parts over axes without a charge is the real (imaginary)
    part of the sum: still pending (``Re(v).sum()`` with ``v`` one column)."""
    if isinstance(x, Pending) and x.op in ("real", "imag") and kind == "sum" and \
            not x.base.elem:
        n = x.base.ndim
        idx3 = list(range(n)) if axes is None else [_norm_axis(a, n) for a in axes]
        if all(i is not None and not x.base.axes[i] for i in idx3):
            b = reduce(x.base, axes, keepdim, kind, detail, count_key)
            if isinstance(b, Cov):
                return replace(x, base=b)
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        nd = v.ndim
        if nd is not None:
            if not (keepdim or kind == "cum"):
                nd = 0 if axes is None else max(nd - len(axes), 0)
        return Inv(ndim=nd, is_complex=False if kind in ("norm", "var") else v.is_complex)
    assert isinstance(v, Cov)
    if kind == "norm":
        nd_out: Optional[int] = v.ndim if keepdim else (
            0 if axes is None else max(v.ndim - len(axes), 0))
        return Inv(ndim=None if v.elem else nd_out, is_complex=False)
    n = v.ndim
    if axes is None:
        idx = list(range(n))
    else:
        idx2 = [_norm_axis(a, n) for a in axes]
        if any(i is None for i in idx2):
            return brk("mix", detail, v)
        idx = [i for i in idx2 if i is not None]
    if kind == "max":
        return brk("compare", detail, v)
    if v.elem:
        return brk("mix", detail, v)
    reduced = [v.axes[i] for i in idx]
    if kind == "var":
        if any(reduced):
            return brk("mix", detail, v)
        return Inv(ndim=n if keepdim else n - len(idx), is_complex=False)
    if kind == "prod":
        # prod over the eigen-index of d_k^e is a character prod(d)^e: keep it as a residual
        res = dict(v.residual)
        for c in reduced:
            for (s, m, tok), e in c:
                key = (s, m, "prod:" + tok)
                res[key] = res.get(key, 0) + e
        # the other axes' charges are raised to the (unknown) length of the reduced axes
        ck = count_key.replace("{", "(").replace("}", ")") if count_key else ""
        pow_n = TokenFn(f"pow?[{ck}]:{{}}" if ck else "pow?:{}")
        new_axes = [retoken_charge(c, pow_n) if i not in idx else () for i, c in enumerate(v.axes)]
        for k, e in retoken_charge(v.residual, pow_n):
            res[k] = res.get(k, 0) + e
        for k, _ in v.residual:
            res[k] = res.get(k, 0) - dict(v.residual)[k]
        if not keepdim:
            new_axes = [c for i, c in enumerate(new_axes) if i not in idx]
        return make_cov(new_axes, norm_charge(res), (), False, 1, v.steps)
    if any(reduced):
        return brk("mix", detail, v)
    if kind == "cum":
        return replace(v, diagonal=False, frame=False)
    new_axes = list(v.axes) if keepdim else [c for i, c in enumerate(v.axes) if i not in idx]
    return make_cov(new_axes, v.residual, (), False, v.polarity, v.steps)


# --------------------------------------------------------------------------- indexing and shape


@dataclass(frozen=True)
class Index:
    """One item of a subscript: int | slice | none | ellipsis | fancy | mask | charged."""

    kind: str
    key: str = ""  # source text of the index (alignment / residual key)


def selects_rows(x: Value, mask_ndim: Optional[int], comparison: bool) -> bool:
    """Is an invariant boolean mask ``x[m]`` a selection of the first axis (rows) that keeps the
    other axes where they were? Yes for a one-dimensional mask of a matrix or more; for a
    comparison of unknown rank (``E[labels == j]``) when the rows carry no gauge: a whole-array
    mask of an embedding would only be spelt with its own entries (``E[E > 0]``), which are
    charged."""
    if not isinstance(x, Cov) or x.ndim < 2:
        return False
    if mask_ndim == 1:
        return True
    # (a rank of 0 is a lower bound here: `labels == 0` with `labels` of unknown rank)
    return (mask_ndim is None or mask_ndim == 0) and comparison and not x.axes[0] \
        and not x.elem


def index(x: Value, items: Sequence[Index]) -> Value:
    if isinstance(x, Pending) and x.op != "pair" and not any(it.kind == "charged" for it in items):
        b = index(x.base, items)
        if isinstance(b, Cov):
            return replace(x, base=b)
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if any(it.kind == "charged" for it in items):
        return brk("compare", "indexes with a value that depends on the gauge", v)
    if isinstance(v, Inv):
        nd = v.ndim
        if nd is not None:
            drop = sum(1 for it in items if it.kind == "int")
            add_ = sum(1 for it in items if it.kind == "none")
            if any(it.kind in ("mask", "fancy") for it in items):
                nd = None
            else:
                nd = max(nd - drop + add_, 0)
        # `diag(s)[:r, :r]`: leading blocks of a diagonal matrix are diagonal
        diagonal = v.diagonal and bool(items) and all(
            it.kind == "slice" and not it.key for it in items)
        return Inv(ndim=nd, is_complex=v.is_complex, random=v.random, diagonal=diagonal)
    assert isinstance(v, Cov)
    if any(it.kind not in ("ellipsis", "slice") or it.key for it in items):
        v = _moved(v, "I[" + ",".join(f"{it.kind}:{it.key}" for it in items) + "]")
    masks = [it for it in items if it.kind == "mask"]
    if masks:
        # the selected elements depend on the mask: its text is part of the layout
        return _scramble(v, "mask[" + "|".join(it.key for it in masks) + "]")
    n = v.ndim
    n_consuming = sum(1 for it in items if it.kind in ("int", "slice", "fancy"))
    if n_consuming > n:
        if any(it.kind == "ellipsis" for it in items):
            return unknown(v)
        # more indices than tracked axes: the array has leading batch axes (a decomposition
        # of a stack of matrices of unknown rank); axes are tracked from the right and
        # charges only ever sit on tracked axes, so the untracked ones carry none
        v = replace(v, axes=tuple(() for _ in range(n_consuming - n)) + v.axes)
        n = n_consuming
    # expand the ellipsis (or pad at the end)
    expanded: List[Index] = []
    seen_ellipsis = False
    for it in items:
        if it.kind == "ellipsis" and not seen_ellipsis:
            expanded.extend(Index("slice") for _ in range(n - n_consuming))
            seen_ellipsis = True
        elif it.kind != "ellipsis":
            expanded.append(it)
    if not seen_ellipsis:
        expanded.extend(Index("slice") for _ in range(n - n_consuming))
    axes: List[Charge] = []
    residual = dict(v.residual)
    pos = 0
    fancy_axes: List[Charge] = []
    # numpy/torch placement of advanced indices (lists and, next to them, integers): their
    # broadcast axis replaces them in place when they are adjacent, else it goes first
    has_fancy = any(it.kind == "fancy" for it in expanded)
    adv = [i for i, it in enumerate(expanded)
           if it.kind == "fancy" or (has_fancy and it.kind == "int")]
    fancy_at = 0
    for i, it in enumerate(expanded):
        if adv and i == adv[0] and adv[-1] - adv[0] + 1 == len(adv):
            fancy_at = len(axes)
        if it.kind == "none":
            axes.append(())
            continue
        c = v.axes[pos]
        pos += 1
        if it.kind == "slice":
            if it.key:
                c = retoken_charge(c, TokenFn("{}[" + it.key + "]"))
            axes.append(c)
        elif it.kind == "int":
            for (s, m, tok), e in c:
                if tok.endswith(CLEARED + it.key):
                    continue  # the column was overwritten with gauge-free entries
                k = (s, m, tok + "@" + it.key)
                residual[k] = residual.get(k, 0) + e
        elif it.kind == "fancy":
            fancy_axes.append(retoken_charge(c, TokenFn("{}[" + it.key + "]")) if it.key else c)
    if fancy_axes:
        # advanced indices broadcast together into one axis
        merged = add_charges(*fancy_axes)
        axes.insert(fancy_at, merged)
    out = make_cov(axes, norm_charge(residual), v.elem, False, v.polarity, v.steps)
    if v.frame and isinstance(out, Cov) and _selects_columns(v, expanded):
        return replace(out, frame=v.frame)
    return out


#: marks an eigen-axis some of whose columns (named after the mark) were overwritten with
#: gauge-free entries (``W[:, 0] = abs(W[:, 0])``, ``F[:, 1:] = abs(F[:, 1:])``)
CLEARED = "\u2205"


def clear_column(v: Cov, axis: int, key: str) -> Cov:
    """``v`` after ``v[..., key, ...] = x`` with ``x`` gauge-free, ``key`` literal positions on
    ``axis`` (an integer or a slice, ``0``, ``1:``): the other columns keep their charges (a
    new alignment, so that only arrays overwritten alike pair column by column: ``W @ W.T``);
    reading a cleared integer column back (``v[:, key]``) carries nothing."""
    axes = list(v.axes)
    axes[axis] = retoken_charge(axes[axis], TokenFn("{}" + CLEARED + key))
    return replace(v, axes=tuple(axes), frame=False, diagonal=False)


def _selects_columns(v: Cov, items: Sequence[Index]) -> bool:
    """Whether indexing only selects whole eigen-columns (an orthonormal frame stays one)."""
    pos = 0
    for it in items:
        if it.kind == "none":
            continue
        if pos >= v.ndim or it.kind == "int":
            return False
        if not v.axes[pos] and (it.kind != "slice" or it.key):
            return False  # a subset of the components: no longer orthonormal
        pos += 1
    return True


def _scramble(v: Cov, token: str) -> Value:
    elem = dict(v.elem)
    for pos, c in enumerate(v.axes):
        for (s, m, tok), e in c:
            k = (s, m, f"{token}:{pos}:{tok}")
            elem[k] = elem.get(k, 0) + e
    return make_cov((), v.residual, norm_charge(elem), False, v.polarity, v.steps)


def placed(v: Cov, token: str, ndim: int) -> Value:
    """``v`` written into part of a gauge-free array of rank ``ndim`` (``X[:, :k] = V[:, :k]``
    with ``X`` not zero): the written entries carry ``v``'s charges, the others none. Exact
    per element with the layout lost, under labels that name the write (``token``): two
    arrays written alike pair (``X * X``), anything else does not."""
    elem: Dict[Key, int] = {}
    parts = [(f"{pos}", c) for pos, c in enumerate(v.axes)] + [("r", v.residual), ("e", v.elem)]
    for where, c in parts:
        for (s, m, tok), e in c:
            k = (s, m, f"{token}:{where}:{tok}")
            elem[k] = elem.get(k, 0) + e
    return make_cov(tuple(() for _ in range(ndim)), (), norm_charge(elem), False, 1, v.steps)


def reshape(x: Value, token: str, ndim: Optional[int] = None) -> Value:
    """reshape/view/flatten: exact per-element covariance with the layout lost."""
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return Inv(ndim=ndim, is_complex=v.is_complex, random=v.random)
    assert isinstance(v, Cov)
    v = _moved(v, token)
    if not any(v.axes):
        # only a residual charge: constant over the tensor, any layout keeps it
        return Cov(tuple(() for _ in range(ndim or 0)), v.residual, v.elem, False, v.polarity,
                   v.steps)
    s = _scramble(v, token)
    if isinstance(s, Cov) and ndim:
        return replace(s, axes=tuple(() for _ in range(ndim)))
    return s


def flip(x: Value, dims: Sequence[int], token: str = "flip") -> Value:
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return replace(v, diagonal=False)  # a flipped diagonal matrix is anti-diagonal
    if not isinstance(v, Cov):
        return v
    axes = list(v.axes)
    flipped = []
    for d in dims:
        i = _norm_axis(d, v.ndim)
        if i is None:
            return unknown(v)
        axes[i] = retoken_charge(axes[i], TokenFn(token + "({})"))
        flipped.append(i)
    v = _moved(v, f"{token}{sorted(flipped)}/{v.ndim}")
    # reversed components (an uncharged axis) are invisible in the labels: F.flip(0).mH @ F is
    # not the identity
    frame = v.frame and all(v.axes[i] for i in flipped)
    return replace(v, axes=tuple(axes), diagonal=False, frame=frame)


def unsqueeze(x: Value, axis: int) -> Value:
    if isinstance(x, Cov):
        n = x.ndim + 1
        i = _norm_axis(axis, n)
        if i is None:
            return x
        axes = list(x.axes)
        axes.insert(i, ())
        return replace(_moved(x, f"U{i}/{n}"), axes=tuple(axes), diagonal=x.diagonal and i < n - 2)
    if isinstance(x, Inv) and x.ndim is not None:
        i = _norm_axis(axis, x.ndim + 1)
        # a new axis among the last two: (n, n) -> (n, n, 1) is no longer a diagonal matrix
        return replace(x, ndim=x.ndim + 1,
                       diagonal=x.diagonal and i is not None and i < x.ndim - 1)
    if isinstance(x, Inv):
        return replace(x, diagonal=False)
    return x


def squeeze(x: Value, axis: Optional[int]) -> Value:
    if isinstance(x, Cov):
        if axis is None:
            x = _moved(x, "S*")
            return _scramble(x, "squeeze") if any(x.axes) else x
        i = _norm_axis(axis, x.ndim)
        if i is None:
            return x
        x = _moved(x, f"S{i}/{x.ndim}")
        if i >= x.ndim - 2:
            x = replace(x, diagonal=False)
        if x.axes[i]:
            # squeezing a size-1 eigen-axis: its one phase becomes a residual
            res = dict(x.residual)
            for (s, m, tok), e in x.axes[i]:
                k = (s, m, tok + "@sq")
                res[k] = res.get(k, 0) + e
            axes = x.axes[:i] + x.axes[i + 1:]
            return make_cov(axes, norm_charge(res), x.elem, False, x.polarity, x.steps)
        return replace(x, axes=x.axes[:i] + x.axes[i + 1:])
    if isinstance(x, Inv) and x.ndim is not None and axis is not None:
        i = _norm_axis(axis, x.ndim)
        return replace(x, ndim=max(x.ndim - 1, 0),
                       diagonal=x.diagonal and i is not None and i < x.ndim - 2)
    if isinstance(x, Inv):
        return replace(x, diagonal=False)
    return x


def _cat_desc(v: Value, ax: int, n: int, stack: bool) -> str:
    """What fixes the length of a part along the joined axis: its labels there, or "?"."""
    if stack or not isinstance(v, Cov):
        return "?" if not stack else ""
    axes = [()] * (n - v.ndim) + list(v.axes)
    toks = sorted({f"{s}:{tok}" for (s, m, tok), e in axes[ax]}) if 0 <= ax < len(axes) else []
    return ",".join(toks) or "?"


def cat(xs: Sequence[Value], axis: int, stack: bool = False) -> Value:
    """``torch.cat`` (and ``stack`` with ``stack=True``) of several values."""
    ops, br = _prep(list(xs))
    if br is not None:
        return br
    covs = [v for v in ops if isinstance(v, Cov)]
    if not covs:
        nd = _bcast_ndim(ops)
        if stack and nd is not None:
            nd += 1
        return Inv(ndim=nd,
                   is_complex=any(isinstance(v, Inv) and v.is_complex for v in ops) or None,
                   random=all(isinstance(v, Inv) and v.random for v in ops))
    n = max(v.ndim for v in covs)
    if stack:
        n += 1
    ax = _norm_axis(axis, n)
    if ax is None:
        return unknown(*covs)
    width = len(ops)
    out_axes: List[Dict[Key, int]] = [dict() for _ in range(n)]
    residual: Optional[Charge] = None
    per_slice = False
    other_axes: Optional[Tuple[Charge, ...]] = None
    # where part i starts depends on the lengths of the parts before it: their labels go into
    # its labels (an uncharged part is "?": its length is unknown), and the part's own token is
    # wrapped, so that ``cat([w, v[:, 1:]])`` and ``cat([w, v])[:, 1:]`` get different labels
    descs = [_cat_desc(v, ax, n, stack) for v in ops]
    pre = ["" if i == 0 else "<" + "|".join(descs[:i]) + ">" for i in range(width)]
    kind = f"cat{width}{'s' if stack else ''}@{ax}/{n}"
    for i, v in enumerate(ops):
        if isinstance(v, Cov):
            vaxes = list(v.axes)
            if stack:
                vaxes.insert(ax, ())
            vaxes = [()] * (n - len(vaxes)) + vaxes
            res_v: Charge = v.residual
            if v.elem:
                # a part whose layout is lost (a flattened core): kept per element
                per_slice = True
        else:
            vaxes = [()] * n
            res_v = ()
        rest = tuple(c for j, c in enumerate(vaxes) if j != ax)
        if other_axes is None:
            other_axes, residual = rest, res_v
        elif rest != other_axes or res_v != residual:
            per_slice = True
        for (s, m, tok), e in vaxes[ax]:
            k = (s, m, f"cat{width}.{i}{pre[i]}({tok})")
            out_axes[ax][k] = out_axes[ax].get(k, 0) + e
        for j, c in enumerate(vaxes):
            if j != ax:
                for k2, e in c:
                    out_axes[j][k2] = e
    if per_slice:
        # slices carry different gauges (stack([V, V.conj()])): exact per element, layout lost
        elem: Dict[Key, int] = {}
        for i, v in enumerate(ops):
            if isinstance(v, Cov):
                for pos, c in enumerate(v.axes):
                    for (s, m, tok), e in c:
                        k = (s, m, f"{kind}.{i}{pre[i]}:{pos}:{tok}")
                        elem[k] = elem.get(k, 0) + e
                for where, c in (("r", v.residual), ("e", v.elem)):
                    for (s, m, tok), e in c:
                        k = (s, m, f"{kind}.{i}{pre[i]}:{where}:{tok}")
                        elem[k] = elem.get(k, 0) + e
        return make_cov(tuple(() for _ in range(n)), (), norm_charge(elem), False, 1,
                        covs[0].steps)
    return make_cov(tuple(norm_charge(d) for d in out_axes), residual or (), (), False, 1,
                    covs[0].steps)


# --------------------------------------------------------------------------- linear algebra


def _axes_or_assume(v: Value, assume: int = 2) -> Tuple[Charge, ...]:
    if isinstance(v, Cov):
        return v.axes
    n = v.ndim if v.ndim is not None else assume
    return tuple(() for _ in range(n))


def matmul(a: Value, b: Value,
           detail: str = "contracts the eigen-index without pairing it") -> Value:
    ops, br = _prep([a, b])
    if br is not None:
        return br
    a2, b2 = ops
    if isinstance(a2, Inv) and isinstance(b2, Inv):
        na, nb = a2.ndim, b2.ndim
        nd: Optional[int] = None
        if na is not None and nb is not None:
            nd = max(na, nb) if min(na, nb) >= 2 else na + nb - 2
        return Inv(ndim=nd, diagonal=a2.diagonal and b2.diagonal, is_complex=_cplx(a2, b2),
                   random=a2.random and b2.random)
    if (isinstance(a2, Cov) and a2.elem) or (isinstance(b2, Cov) and b2.elem):
        return brk("mix", detail, *ops)
    # a diagonal operand scales instead of mixing
    if _is_diag(b2) and not _is_diag(a2) and (isinstance(a2, Cov) and a2.ndim >= 2):
        return _scale_axis(a2, b2, -1)
    if _is_diag(a2) and not _is_diag(b2) and (isinstance(b2, Cov) and b2.ndim >= 2):
        return _scale_axis(b2, a2, -2)
    if _is_diag(a2) and _is_diag(b2):
        return mul(a2, b2)
    ax = _axes_or_assume(a2)
    bx = _axes_or_assume(b2)
    if len(ax) == 0 or len(bx) == 0:
        return mul(a2, b2)
    if isinstance(a2, Cov) and isinstance(b2, Cov) and a2.frame and a2.frame == b2.frame \
            and a2.ndim == 2 and b2.ndim == 2 and not ax[-1] and not bx[-2] \
            and not a2.residual and not b2.residual and ax[-2] and ax[-2] == neg_charge(bx[-1]):
        # F^H F of an orthonormal frame (the same columns on both sides): the identity
        return Inv(ndim=2, diagonal=True)
    if isinstance(b2, Inv) and b2.ndim is None and len(ax) >= 2 and ax[-2] and not ax[-1]:
        # a vector or a matrix on the right? The rows' charge lands on the last axis or on
        # the one before: not knowing which, stop following rather than misplace it
        return unknown(*ops)
    a_vec, b_vec = len(ax) == 1, len(bx) == 1
    contract = add_charges(ax[-1], bx[0] if b_vec else bx[-2])
    if contract and any(isinstance(o, Inv) and o.external for o in ops):
        # contracting the eigen-index with an argument nobody is seen passing: coefficients
        # from the same basis pair, anything else does not; not knowing, stop following
        return unknown(*ops)
    if contract:
        return brk("mix", detail, *ops, ndim=None)
    if a_vec and b_vec:
        out: List[Charge] = []
    elif a_vec:
        out = list(bx[:-2]) + [bx[-1]]
    elif b_vec:
        out = list(ax[:-1])
    else:
        ab, bb = list(ax[:-2]), list(bx[:-2])
        nb_ = max(len(ab), len(bb))
        ab = [()] * (nb_ - len(ab)) + ab
        bb = [()] * (nb_ - len(bb)) + bb
        out = [add_charges(x, y) for x, y in zip(ab, bb)] + [ax[-2], bx[-1]]
    res = add_charges(a2.residual if isinstance(a2, Cov) else (),
                      b2.residual if isinstance(b2, Cov) else ())
    pol = (a2.polarity if isinstance(a2, Cov) else 1) * (b2.polarity if isinstance(b2, Cov) else 1)
    return make_cov(out, res, (), False, pol, _steps_from(ops))


def _plain_gram(terms: Sequence[str], out: str) -> bool:
    """``'ki,kj->ij'`` (in any letters): one summed index, no diagonals (``'ii,ji->ji'`` is
    diag(F) * F, not F^H F)."""
    if len(terms) != 2 or not all(len(set(t)) == len(t) == 2 for t in terms):
        return False
    shared = set(terms[0]) & set(terms[1])
    return len(shared) == 1 and set(out) == (set(terms[0]) | set(terms[1])) - shared \
        and len(out) == 2


def _same_frame(a: Value, b: Value) -> bool:
    """Both operands are the same orthonormal frame (U with U, not U with Vh of one SVD)."""
    return isinstance(a, Cov) and isinstance(b, Cov) and bool(a.frame) and a.frame == b.frame


def _is_diag(v: Value) -> bool:
    return (isinstance(v, Inv) and v.diagonal) or (isinstance(v, Cov) and v.diagonal)


def _scale_axis(m: Cov, d: Value, axis: int) -> Value:
    """``M @ D`` (axis -1) or ``D @ M`` (axis -2) with D diagonal: elementwise scaling.
    A batch of diagonal matrices (``diag_embed`` of a matrix) broadcasts ``M`` over its batch."""
    dn = ndim_of(d)
    n = max(m.ndim, dn if dn is not None else 2)
    axes = [()] * (n - m.ndim) + list(m.axes)
    if isinstance(d, Inv):
        return m if n == m.ndim else replace(m, axes=tuple(axes), frame=False)
    assert isinstance(d, Cov)
    dax = [()] * (n - d.ndim) + list(d.axes)
    # the diagonal's charge (both of its axes coincide on the diagonal), batch axes as they are
    axes[axis] = add_charges(axes[axis], dax[-2], dax[-1])
    for i in range(n - 2):
        axes[i] = add_charges(axes[i], dax[i])
    return make_cov(axes, add_charges(m.residual, d.residual), (), False,
                    m.polarity * d.polarity, m.steps or d.steps)


def inv(x: Value) -> Value:
    """``inv``/``pinv``: swap the last two axes and negate."""
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return replace(v, const=None)
    assert isinstance(v, Cov)
    if v.ndim < 2 or v.elem:
        return unknown(v)
    # batch axes too: inv(d_b M_b) = inv(M_b) / d_b
    axes = [neg_charge(c) for c in v.axes[:-2]] + [neg_charge(v.axes[-1]), neg_charge(v.axes[-2])]
    return make_cov(axes, neg_charge(v.residual), (), v.diagonal, v.polarity, v.steps)


def solve(a: Value, b: Value) -> Value:
    """``solve(A, B) = inv(A) @ B`` (also ``lstsq(A, B).solution``)."""
    return matmul(inv(a), b, "solves with a system whose gauge does not match the right-hand side")


def det(x: Value) -> Value:
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return Inv(ndim=None if v.ndim is None else max(v.ndim - 2, 0), is_complex=v.is_complex)
    assert isinstance(v, Cov)
    if v.ndim < 2 or v.elem:
        return unknown(v)
    if v.residual:
        # det(r M) = r^n det(M): the factor of an indexed-away column is raised to the size
        return brk("mix", "takes a determinant of a matrix scaled by the gauge of one column", v)
    res = dict(v.residual)
    for c in v.axes[-2:]:
        for (s, m, tok), e in c:
            k = (s, m, "prod:" + tok)
            res[k] = res.get(k, 0) + e
    batch = list(v.axes[:-2])
    if any(batch):
        return brk("mix", "takes a determinant across a gauge-carrying batch axis", v)
    return make_cov(batch, norm_charge(res), (), False, 1, v.steps)


def diag(x: Value, offset: int = 0) -> Value:
    """``torch.diag``/``np.diag``: vector -> diagonal matrix, matrix -> its diagonal."""
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        if v.ndim == 1:
            return Inv(ndim=2, diagonal=offset == 0, is_complex=v.is_complex)
        if v.ndim == 2:
            return Inv(ndim=1, is_complex=v.is_complex)
        # unknown rank: most calls in eigen code build diag(L) from a vector of eigenvalues
        return Inv(ndim=None, diagonal=offset == 0, is_complex=v.is_complex)
    assert isinstance(v, Cov)
    if v.ndim == 1:
        if offset != 0:
            return brk("mix", "places a gauge-carrying vector off the diagonal", v)
        return make_cov(((), v.axes[0]), v.residual, _moved(v, "diag").elem, True, v.polarity,
                        v.steps)
    return diagonal(v, offset, -2, -1)


def diag_embed(x: Value) -> Value:
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return Inv(ndim=None if v.ndim is None else v.ndim + 1, diagonal=True,
                   is_complex=v.is_complex)
    assert isinstance(v, Cov)
    if v.elem:
        return unknown(v)
    return make_cov(v.axes[:-1] + ((), v.axes[-1]) if v.axes else ((), ()), v.residual, (), True,
                    v.polarity, v.steps)


def diagonal(x: Value, offset: int = 0, d1: int = 0, d2: int = 1) -> Value:
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return Inv(ndim=None if v.ndim is None else max(v.ndim - 1, 0), is_complex=v.is_complex)
    assert isinstance(v, Cov)
    i1, i2 = _norm_axis(d1, v.ndim), _norm_axis(d2, v.ndim)
    if i1 is None or i2 is None or i1 == i2 or v.elem:
        return unknown(v)
    c1, c2 = v.axes[i1], v.axes[i2]
    # element p is x[p, p + offset] (offset >= 0) or x[p - offset, p] (offset < 0)
    if offset > 0:
        c2 = retoken_charge(c2, TokenFn("{}+" + str(offset)))
    elif offset < 0:
        c1 = retoken_charge(c1, TokenFn("{}+" + str(-offset)))
    merged = add_charges(c1, c2)
    rest = [c for j, c in enumerate(v.axes) if j not in (i1, i2)]
    return make_cov(rest + [merged], v.residual, (), False, v.polarity, v.steps)


def trace(x: Value) -> Value:
    return reduce(diagonal(x, 0, -2, -1), (-1,), False, "sum",
                  "sums a diagonal whose entries carry unpaired gauges")


def _dropped(v: Value, drop: Optional[int]) -> Optional[int]:
    """The rank of a result that removes ``drop`` trailing matrix axes (None: not known).
    An unknown rank is taken for a matrix by ``matmul``: callers that know it say so."""
    nd = ndim_of(v)
    if drop is None or nd is None or (isinstance(v, Cov) and v.elem):
        return None
    return max(nd - drop, 0)


def similarity_invariant(x: Value, detail: str, drop: Optional[int] = None) -> Value:
    """Spectral quantities of a matrix (eigvals, det-free norms...): invariant under ``D^H M D``
    and under any row/column unitary scaling for singular values. ``drop``: how many trailing
    axes the result loses (1 for eigvals, 2 for a scalar), when the caller knows."""
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Inv):
        return Inv(ndim=_dropped(v, drop), is_complex=v.is_complex)
    assert isinstance(v, Cov)
    if v.ndim >= 2 and not v.elem and add_charges(v.axes[-2], v.axes[-1]) == () \
            and not any(v.axes[:-2]):
        if v.residual:
            # the eigenvalues of r M are r times those of M (r: the gauge of one column)
            nd = _dropped(v, drop)
            return make_cov(tuple(() for _ in range(nd or 0)), v.residual, (), False, 1,
                            v.steps)
        return Inv(ndim=_dropped(v, drop))
    return brk("mix", detail, v)


def charged_factor(x: Cov, role: str, source: int, modulus: int, svd: bool,
                   first: bool) -> Optional[Cov]:
    """The vectors of a decomposition of a gauge-charged matrix (exact DMD, Koopman: ``eig`` of
    ``U^H M V`` from one SVD), or None when the charge does not let them keep one.

    ``eig``/``eigh`` of ``A`` with row map ``-e`` and column map ``+e`` (a similarity ``D^H A
    D``): the eigenvectors ``W`` of the charged matrix are ``D^H`` times those of ``A``, so their
    row axis keeps ``A``'s row map and their column axis carries the new ``source``. ``svd`` of
    ``B`` with row map ``r`` and column map ``c`` (any ``D_r B D_c``): ``U`` rows carry ``r``,
    ``Vh`` columns carry ``c`` (``V`` rows ``-c``), the factor axis carries ``source``."""
    if x.ndim < 2 or x.elem or x.residual or any(x.axes[:-2]):
        return None
    rows, cols = x.axes[-2], x.axes[-1]
    if not svd and (add_charges(rows, cols) != () or role != "vec"):
        return None
    new = norm_charge({(source, modulus, ID): 1})
    if role == "vec" and (first or not svd):
        return Cov((rows, new))
    if role == "vec":
        return Cov((neg_charge(cols), new))
    if role == "vh" and svd:
        return Cov((neg_charge(new), cols))
    return None


def singular_invariant(x: Value, drop: Optional[int] = None) -> Value:
    """Singular values / unitarily invariant norms: invariant under ``D1 M D2`` for any unit
    diagonal ``D1``, ``D2`` (and under the residual scalar). ``drop`` as for
    :func:`similarity_invariant` (1 for svdvals)."""
    ops, br = _prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, Cov) and (v.elem or any(v.axes[:-2])):
        return unknown(v)
    return Inv(ndim=_dropped(v, drop), is_complex=False)


def einsum(spec: str, operands: Sequence[Value]) -> Value:
    ops, br = _prep(list(operands))
    if br is not None:
        return br
    spec = spec.replace(" ", "")
    if "->" in spec:
        lhs, out = spec.split("->", 1)
    else:
        lhs = spec
        letters = lhs.replace(",", "").replace(".", "")
        out = "".join(sorted(ch for ch in set(letters) if letters.count(ch) == 1))
    terms = lhs.split(",")
    if len(terms) != len(ops):
        return unknown(*ops)
    letter_charge: Dict[str, List[Charge]] = {}
    for term, v in zip(terms, ops):
        has_ell = "..." in term
        letters = term.replace("...", "")
        if isinstance(v, Cov):
            if v.elem:
                return unknown(*ops)
            if not has_ell and len(letters) != v.ndim:
                return unknown(*ops)
            if has_ell:
                pre = term.split("...")[0]
                post = term.split("...")[1]
                mapping = list(zip(pre, v.axes[: len(pre)]))
                mapping += list(zip(post, v.axes[v.ndim - len(post):] if post else ()))
                if any(v.axes[len(pre): v.ndim - len(post)]):
                    return brk("mix", "contracts gauge-carrying batch axes", *ops)
            else:
                mapping = list(zip(letters, v.axes))
            for ch, c in mapping:
                letter_charge.setdefault(ch, []).append(c)
    out_letters = out.replace("...", "")
    for ch, cs in letter_charge.items():
        if ch not in out_letters and add_charges(*cs):
            if any(isinstance(o, Inv) and o.external for o in ops):
                # an argument nobody is seen passing may hold coefficients in the same basis
                # (as in :func:`matmul`): not knowing, stop following
                return unknown(*ops)
            return brk("mix", f"sums einsum index '{ch}' without pairing its gauge", *ops)
    out_axes = [add_charges(*letter_charge.get(ch, [])) for ch in out_letters]
    res = add_charges(*[v.residual for v in ops if isinstance(v, Cov)])
    if "..." in out and any(out_axes[: len(out.split("...")[0])]):
        # `'nk,n...->k...'`: charged axes before axes whose number is not known; counted from
        # the right (broadcasting) they have no known place: each entry keeps its charge
        return reshape(make_cov(out_axes, res, (), False, 1, _steps_from(ops)), "einsum:" + spec)
    if len(ops) == 2 and all(isinstance(v, Cov) and v.frame and v.ndim == 2 and not v.residual
                             for v in ops) and len(out_axes) == 2 and out_axes[0] \
            and _same_frame(ops[0], ops[1]) \
            and out_axes[0] == neg_charge(out_axes[1]) and _plain_gram(terms, out_letters):
        # F^H F of an orthonormal frame written as an einsum/tensordot: the identity
        return Inv(ndim=2, diagonal=True)
    return make_cov(out_axes, res, (), False, 1, _steps_from(ops))


# --------------------------------------------------------------------------- control flow


def _profiles(v: Cov) -> Dict[int, Tuple[Tuple[Tuple[str, int], ...], ...]]:
    """Per source, where it sits in ``v``: its (alignment, exponent) pairs in each axis, the
    residual and the element charge (the source's id and modulus left out)."""
    parts = (*v.axes, v.residual, v.elem)
    out: Dict[int, Tuple[Tuple[Tuple[str, int], ...], ...]] = {}
    for s in v.sources():
        out[s] = tuple(tuple(sorted((k[2], e) for k, e in c if k[0] == s)) for c in parts)
    return out


def _either(a: Cov, b: Cov) -> Optional[Cov]:
    """``a`` on one path, ``b`` on the other, where ``b`` is ``a`` with other decompositions
    in the same places (two branches, each decomposing with its own call: `eig(L)` for small
    graphs, `eigs(L, k)` for large ones; a solver chosen at run time). The join carries the
    sources of both, each where it sits: whatever pairs them on both paths pairs both, and a
    break on either path leaves that path's sources in the result, which names them. Every
    source keeps its own kind (a phase stays a phase, a sign a sign). A source in both values
    must sit in the same places; the union is symmetric, so the join does not depend on which
    path comes first. None when the values are not alike."""
    if len(a.axes) != len(b.axes):
        return None
    pa, pb = _profiles(a), _profiles(b)
    if any(pa[s] != pb[s] for s in set(pa) & set(pb)):
        return None
    if set(pa.values()) != set(pb.values()):
        return None
    extra = frozenset(set(pb) - set(pa))

    def add(x: Charge, y: Charge) -> Charge:
        return norm_charge({**dict(x), **{k: e for k, e in y if k[0] in extra}})

    out = replace(a, axes=tuple(add(x, y) for x, y in zip(a.axes, b.axes)),
                  residual=add(a.residual, b.residual), elem=add(a.elem, b.elem),
                  steps=a.steps if len(a.steps) >= len(b.steps) else b.steps)
    return out if a.frame == b.frame else replace(out, frame=False)


def join(a: Value, b: Value) -> Value:
    """Least upper bound at control-flow merges."""
    if a == b:
        return a
    if isinstance(a, Broken):
        return a.silent()
    if isinstance(b, Broken):
        return b.silent()
    if isinstance(a, Inv) and isinstance(b, Inv):
        return Inv(ndim=a.ndim if a.ndim == b.ndim else None, diagonal=a.diagonal and b.diagonal,
                   is_complex=a.is_complex if a.is_complex == b.is_complex else None,
                   random=a.random and b.random, const=a.const if a.const == b.const else None)
    # a value that may or may not carry the gauge: keep the gauge (it is what may happen)
    if isinstance(a, Inv):
        return b
    if isinstance(b, Inv):
        return a
    if isinstance(a, Cov) and isinstance(b, Cov):
        if _same_charge(a, b):
            out = a if a.ndim >= b.ndim else b
            return out if a.frame == b.frame else replace(out, frame=False)
        # one source seen with a real input (a sign) and with a complex one (a phase), as a
        # method analysed on its own and called with complex data: the phase covers both
        for p, q in ((a, b), (b, a)):
            if p.has_phase() and not q.has_phase() and _same_charge(_as_sign(p), q):
                return p if p.ndim >= q.ndim else replace(p, axes=((),) * (
                    q.ndim - p.ndim) + p.axes)
        either = _either(a, b)
        if either is not None:
            return either
        member = _member_join(a, b)
        if member is not None:
            return member
        return Broken(_kind_from([a, b]), None)
    if isinstance(a, Pending) and isinstance(b, Pending) and a.origin == b.origin:
        return a
    return Broken(_kind_from([a, b]), None)


def _as_sign(v: Cov) -> Cov:
    """``v`` with its phases restricted to real signs (exponents modulo 2)."""

    def down(c: Charge) -> Charge:
        return _charge_from_pairs(((k[0], SIGN, k[2]), e) for k, e in c)

    return replace(v, axes=tuple(down(c) for c in v.axes), residual=down(v.residual),
                   elem=down(v.elem))


def describe(v: Value, source_label: "SourceLabel") -> str:
    """A short human description of a value's gauge character (hover, traces)."""
    if isinstance(v, Inv):
        return "invariant"
    if isinstance(v, Broken):
        return f"{v.kind}-dependent"
    if isinstance(v, Pending):
        return f"{value_kind(v)}-dependent unless recombined ({v.op})"
    parts = []
    for i, c in enumerate(v.axes):
        for (s, _m, _tok), e in c:
            parts.append(f"axis {i - v.ndim}: {source_label(s)}^{e}")
    for (s, _m, tok), e in v.residual:
        parts.append(f"{source_label(s)}^{e} of one column ({tok})")
    for (s, _m, _tok), e in v.elem:
        parts.append(f"{source_label(s)}^{e} per element")
    return "covariant: " + ", ".join(parts)


class SourceLabel:
    def __init__(self, labels: Dict[int, str]) -> None:
        self.labels = labels

    def __call__(self, s: int) -> str:
        return self.labels.get(s, f"source {s}")


# --------------------------------------------------------------------------- family members

#: prefix of the alignment token of a source created once per loop iteration or comprehension
#: item (``[eigh(H(k))[1][:, 0] for k in ks]``): the gauge of *this* iteration's decomposition.
#: Reading an element back from the container (``states[i]``, ``for a in states[1:]``) names
#: which member it is, so two different reads never pair (``vdot(states[i], states[i + 1])``)
MEMBER = "\u00a7"


def _map_tokens(v: Value, fn: TokenFn, only: Optional[FrozenSet[int]] = None) -> Value:
    def one(c: Charge) -> Charge:
        return _charge_from_pairs(((k[0], k[1], fn(k[2]) if only is None or k[0] in only
                                    else k[2]), e) for k, e in c)

    if isinstance(v, Cov):
        return replace(v, axes=tuple(one(a) for a in v.axes), residual=one(v.residual),
                       elem=one(v.elem))
    if isinstance(v, Pending):
        base = _map_tokens(v.base, fn, only)
        assert isinstance(base, Cov)
        return replace(v, base=base)
    return v


def as_member(v: Value, sources: FrozenSet[int]) -> Value:
    """``v`` (an output of a decomposition run once per iteration) as this iteration's member
    of the family of ``sources``."""
    return _map_tokens(v, TokenFn(MEMBER + "{}"), sources)


class _MemberLabel(TokenFn):
    def __call__(self, tok: str) -> str:
        return self.fmt + tok[len(MEMBER):] if tok.startswith(MEMBER) else tok


def member_read(v: Value, label: str) -> Value:
    """``v`` read back from a container of per-iteration values at ``label`` (the index or
    the iterated view, by its text): members read at different labels are different sources."""
    has = isinstance(v, (Cov, Pending)) and any(
        k[2].startswith(MEMBER) for c in _charges_of(v) for k, _ in c)
    return _map_tokens(v, _MemberLabel(f"\u27e8{label}\u27e9")) if has else v


class _Unmember(TokenFn):
    def __call__(self, tok: str) -> str:
        return tok[len(MEMBER):] if tok.startswith(MEMBER) else tok


def _member_join(a: Cov, b: Cov) -> Optional[Value]:
    """The join of a family member with the same value of the same call made once (a method
    that decomposes, analysed on its own and then called in a loop; both store into one
    attribute): a single call is a family of one, so the member stands for both. None when
    the two differ in more than the member mark."""
    for p, q in ((a, b), (b, a)):
        has = any(k[2].startswith(MEMBER) for c in _charges_of(p) for k, _ in c)
        if not has or any(k[2].startswith(MEMBER) for c in _charges_of(q) for k, _ in c):
            continue
        plain = _map_tokens(p, _Unmember(""))
        if isinstance(plain, Cov) and isinstance(join(plain, q), Cov):
            phases = frozenset(s for c in _charges_of(q) for (s, m, _), _ in c if m == PHASE)
            return promote(p, phases)
    return None


class _IterationLabel(TokenFn):
    def __call__(self, tok: str) -> str:
        fresh = tok.startswith(MEMBER) and not tok.startswith(MEMBER + "\u27e8")
        return MEMBER + self.fmt + tok[len(MEMBER):] if fresh else tok


def iteration_member(v: Value, label: str) -> Value:
    """``v`` made in one iteration of a loop run item by item (or for one item of a
    comprehension), as later iterations see it: still a member of any family around the
    loop, labelled by its iteration so that it never pairs with another iteration's."""
    return _map_tokens(v, _IterationLabel(f"\u27e8{label}\u27e9"))


def _charges_of(v: Value) -> Tuple[Charge, ...]:
    base = v.base if isinstance(v, Pending) else v
    if not isinstance(base, Cov):
        return ()
    return (*base.axes, base.residual, base.elem)


# --------------------------------------------------------------------------- chains of members

#: the family's own length (``len(states)``) as the symbol of an extent
FAMILY_LENGTH = "#"


@dataclass(frozen=True)
class Extent:
    """A length as index arithmetic: ``symbol + delta``. The symbol is :data:`FAMILY_LENGTH`
    (the number of members of the family read), ``""`` (a plain integer ``delta``) or the text
    of a length the analysis does not resolve (``m``)."""

    symbol: str
    delta: int = 0

    def encode(self) -> str:
        return f"{self.symbol}{self.delta:+d}"

    @staticmethod
    def decode(text: str) -> Optional["Extent"]:
        cut = max(text.rfind("+"), text.rfind("-"))
        if cut < 0:
            return None
        try:
            return Extent(text[:cut], int(text[cut:]))
        except ValueError:
            return None

    def value(self, length: int, symbols: Dict[str, int]) -> int:
        if self.symbol == FAMILY_LENGTH:
            return length + self.delta
        return symbols.get(self.symbol, 0) + self.delta


@dataclass(frozen=True)
class ChainRead:
    """Which member of a family a read names, as index arithmetic: ``family[var + offset]``,
    reduced modulo ``modulus`` when given, with ``var`` running over ``range(start, stop)`` (a
    loop or comprehension variable, or the position of an iteration over a view such as
    ``zip(states, states[1:])``); ``var == ""`` is a constant position (``states[-1]``).
    Python's negative indices wrap: ``states[i - 1]`` at ``i == 0`` is the last member."""

    family: str
    var: str
    offset: int
    start: int = 0
    stop: Optional[Extent] = None
    modulus: Optional[Extent] = None

    def label(self) -> str:
        parts = (self.family, self.var, str(self.offset), str(self.start),
                 self.stop.encode() if self.stop is not None else "?",
                 self.modulus.encode() if self.modulus is not None else "")
        return "@" + "|".join(parts)

    @staticmethod
    def parse(label: str) -> Optional["ChainRead"]:
        parts = label[1:].split("|") if label.startswith("@") else []
        if len(parts) != 6:
            return None
        family, var, offset, start, stop, modulus = parts
        try:
            off, first = int(offset), int(start)
        except ValueError:
            return None
        return ChainRead(family, var, off, first, Extent.decode(stop),
                         Extent.decode(modulus) if modulus else None)

    def position(self, t: int, length: int, symbols: Dict[str, int]) -> Optional[int]:
        """The member read at ``var == t`` (``None``: the read would fail)."""
        p = t + self.offset
        if self.modulus is not None:
            m = self.modulus.value(length, symbols)
            if m <= 0:
                return None
            p %= m
        return p % length if -length <= p < length else None


def chain_read_label(read: ChainRead) -> Optional[str]:
    """The member label of ``read``, if its parts can be written in one (``None``: keep the
    read's text)."""
    texts = (read.family, read.var, *(e.symbol for e in (read.stop, read.modulus) if e))
    if any(c in t for t in texts for c in "|\u27e8\u27e9+-"):
        return None
    return read.label()


#: (charge position, (source, modulus, the token around its label: ``"coll:⟩rest"``))
_Link = Tuple[int, Tuple[int, int, str]]
_End = Tuple[ChainRead, int]


def _chain_links(v: Cov) -> Optional[Dict[_Link, List[_End]]]:
    """The member reads of ``v`` grouped by link (one source and eigen-index, two or more
    reads of members), or ``None`` when some charge is not a member read."""
    links: Dict[_Link, List[_End]] = {}
    for where, c in enumerate((*v.axes, v.residual, v.elem)):
        for (s, m, tok), e in c:
            head = "coll:" if tok.startswith("coll:") else ""
            tok = tok[len(head):]
            label, sep, rest = tok[1:].partition("\u27e9")
            if not tok.startswith("\u27e8") or not sep:
                return None
            read = ChainRead.parse(label)
            if read is None:
                return None
            links.setdefault((where, (s, m, head + "\u27e9" + rest)), []).append((read, e))
    return links or None


#: the lengths a family and the lengths the analysis does not resolve are tried at
_TRIAL_LENGTHS = (5, 6, 7, 9)


def _net(ends: Sequence[_End], length: int, symbols: Dict[str, int],
         modulus: int) -> Optional[Dict[int, int]]:
    """The exponent each member carries in the product of the links ``ends`` over the whole
    range of their variable (``None``: some read would fail, or the loop is empty)."""
    loops = {(r.var, r.start, r.stop) for r, _ in ends if r.var}
    if len(loops) > 1:
        return None
    net: Dict[int, int] = {}
    steps: Sequence[int] = [0]
    if loops:
        _, start, stop = next(iter(loops))
        if stop is None:
            return None
        steps = range(start, stop.value(length, symbols))
        if not steps:
            return None
    for read, e in ends:
        for t in (steps if read.var else [0]):
            p = read.position(t, length, symbols)
            if p is None:
                return None
            net[p] = net.get(p, 0) + e
    return {p: e for p, e in net.items() if e % (modulus or 1 << 30)}


def _trials(ends: Sequence[_End]) -> Iterable[Tuple[int, Dict[str, int]]]:
    """Family lengths and values of the unresolved lengths to evaluate the links at."""
    names = sorted({e.symbol for r, _ in ends for e in (r.stop, r.modulus)
                    if e is not None and e.symbol not in ("", FAMILY_LENGTH)})
    for length in _TRIAL_LENGTHS:
        combos: List[Dict[str, int]] = [{}]
        for name in names[:2]:
            combos = [{**c, name: k} for c in combos for k in range(1, length + 1)]
        for symbols in combos:
            yield length, symbols


def _telescoped(ends: Sequence[_End], modulus: int) -> Optional[Tuple[_End, ...]]:
    """The product of the links over their range, as constant reads: ``()`` when it
    telescopes to nothing (a closed loop), the end members' reads of an open chain, ``None``
    when that depends on lengths the analysis does not know."""
    family = {r.family for r, _ in ends}
    if len(family) != 1:
        return None
    outcomes: Set[Tuple[Tuple[int, int], ...]] = set()
    for length, symbols in _trials(ends):
        net = _net(ends, length, symbols, modulus)
        if net is None:
            continue
        # a member near the start by its position, one near the end from the end
        outcomes.add(tuple(sorted((p if 2 * p < length else p - length, e)
                                  for p, e in net.items())))
    if len(outcomes) != 1:
        return None
    fam = next(iter(family))
    return tuple((ChainRead(fam, "", p), e) for p, e in next(iter(outcomes)))


class _PartRange(TokenFn):
    def __call__(self, tok: str) -> str:
        head, sep, rest = tok.partition("\u27e8")
        label, sep2, tail = rest.partition("\u27e9")
        read = ChainRead.parse(label) if sep and sep2 else None
        if read is None or not read.var:
            return tok
        return head + "\u27e8" + replace(read, stop=None).label() + "\u27e9" + tail


def part_of_range(v: Value) -> Value:
    """``v``, an item of a collection built over a loop, read from a part of it (``links[1:]``):
    its reads no longer run over the loop's whole range."""
    return _map_tokens(v, _PartRange(""))


def telescope(v: Value) -> Optional[Value]:
    """A product of links ``conj(s[a]) s[b]`` of a family (one decomposition per item of a
    collection) over the range of the reads' variable, by index arithmetic: invariant when
    every member is read as often conjugated as not (a closed loop: ``(i + 1) % n``,
    ``states[i - 1]`` over the whole family, ``np.roll(states, -1)``); an open chain keeps
    its end members' gauges, as constant reads (``conj(states[0]) states[-1]``), so a link
    closing it later (``vdot(states[-1], states[0])``) cancels them. ``None``: not such a
    product, or its closure depends on lengths the analysis does not know."""
    if not isinstance(v, Cov) or v.ndim > 1:
        return None
    links = _chain_links(v)
    if links is None:
        return None
    charges: List[Dict[Key, int]] = [{} for _ in range(len(v.axes) + 2)]
    for (where, (s, m, rest)), ends in links.items():
        if not any(r.var for r, _ in ends):
            return None  # constant reads only: not a product over a range
        out = _telescoped(ends, m)
        if out is None:
            return None
        for read, e in out:
            label = chain_read_label(read)
            if label is None:
                return None
            head, _, tail = rest.partition("\u27e9")
            charges[where][(s, m, head + "\u27e8" + label + "\u27e9" + tail)] = e
    if not any(charges):
        return Inv(ndim=0)
    return replace(v, axes=tuple(norm_charge(c) for c in charges[:len(v.axes)]),
                   residual=norm_charge(charges[-2]), elem=norm_charge(charges[-1]))

"""Random programs for the property test: the operations, how hypothesis draws them, and the
program runner. Every operation is given three times: the torch function, the domain transfer
function (called the way the tracker calls it), and, for operations that move elements or create
alignment labels, how element positions move (``layout``) and what new labels mean (``derive``).

Steps that test nothing or that only hit known, documented imprecisions of the domain are not
drawn (each is marked where it is excluded): ``x * 0``; a ``where`` with a constant gauge-free
condition; a comparison whose result is constant; ``sin``/``tanh``... of the angle of a real value
(zero at 0 and pi); the angle or sign of a real value that cannot be negative; a product over a
layout-lost sign-carrying value; singular values of n x 1 matrices; diagonals of non-square
matrices; raw differences of angles (invariant only modulo 2 pi: drawn wrapped, ``wrapdiff``).
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from fractions import Fraction
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import torch

from eiglint import domain as D

from .phase_harness import (
    CDT,
    KEYS,
    RDT,
    Ctx,
    DomainError,
    Entry,
    Op,
    Reg,
    Skip,
    aligned_axes,
    apply_step,
    axis_meaning_full,
    bump,
    check_entry,
    decode_ax,
    decode_res,
    make_runs,
    make_source,
    reg_add,
    scale,
)

# --------------------------------------------------------------------------- drawing helpers


class Choices:
    """The program's choices, read from a list of integers drawn by hypothesis (one draw per
    program: ``st.data()`` costs about a millisecond per draw). Every choice takes the next
    integer modulo its number of options, so hypothesis shrinks towards the first option; an
    exhausted list chooses the first option."""

    def __init__(self, ints: Sequence[int]) -> None:
        self.ints = list(ints)
        self.i = 0
        self.log: List[str] = []

    def next(self, n: int) -> int:
        if n <= 1:
            return 0
        v = self.ints[self.i] if self.i < len(self.ints) else 0
        self.i += 1
        return v % n


Data = Choices


def d_int(data: Data, lo: int, hi: int) -> int:
    return lo + data.next(hi - lo + 1)


def d_bool(data: Data) -> bool:
    return data.next(2) == 1


def d_pick(data: Data, seq: Sequence[Any]) -> Any:
    seq = list(seq)
    if not seq:
        raise Skip()
    return seq[data.next(len(seq))]


def d_sublist(data: Data, seq: Sequence[Any], lo: int, hi: int, unique: bool) -> List[Any]:
    n = d_int(data, lo, hi)
    pool = list(seq)
    out = []
    for _ in range(n):
        if not pool:
            break
        x = d_pick(data, pool)
        out.append(x)
        if unique:
            pool.remove(x)
    return out


def nd_of(e: Entry) -> int:
    return e.nd


def charges_on(e: Entry) -> Tuple[Optional[D.Cov], List[D.Charge]]:
    v = e.dom.base if isinstance(e.dom, D.Pending) else e.dom
    if not isinstance(v, D.Cov):
        return None, [()] * e.nd
    return v, aligned_axes(v, e.nd, f"e{e.eid}")


def dom_pos(v: D.Cov, nd: int, dim: int) -> int:
    """The domain's own axis position of tensor dimension ``dim`` (right-aligned)."""
    return dim - (nd - v.ndim)


# --------------------------------------------------------------------------- layouts


def L_ident(p: Any, i: int, pos: torch.Tensor, shapes: Sequence[torch.Size],
            out: torch.Size) -> torch.Tensor:
    return pos


def L_bcast(p: Any, i: int, pos: torch.Tensor, shapes: Sequence[torch.Size],
            out: torch.Size) -> torch.Tensor:
    return pos.broadcast_to(out)


def L_apply(fn: Callable[[Any, Sequence[torch.Tensor]], torch.Tensor]):
    def layout(p: Any, i: int, pos: torch.Tensor, shapes: Sequence[torch.Size],
               out: torch.Size) -> torch.Tensor:
        return fn(p, [pos])
    return layout


# --------------------------------------------------------------------------- unary operations


OPS: List[Op] = []


def register(op: Op) -> Op:
    OPS.append(op)
    return op


def no_params(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    return None


def need(pred: Callable[[Entry], bool]) -> Callable[[Data, Ctx, List[Entry]], Any]:
    def draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
        if not pred(ops[0]):
            raise Skip()
        return None
    return draw


def unary(name: str, fn: Callable[[torch.Tensor], torch.Tensor],
          dom: Callable[[D.Value], D.Value], pred: Callable[[Entry], bool] = lambda e: True,
          layout: Any = L_ident, weight: int = 1) -> Op:
    return register(Op(name, 1, need(pred), lambda p, t: fn(t[0]), lambda p, v: dom(v[0]),
                       lambda p, a: f"{name}({a[0]})", layout, None, True, weight))


is_cplx = lambda e: e.cplx  # noqa: E731
is_real = lambda e: e.floating and not e.cplx  # noqa: E731
is_float = lambda e: e.floating  # noqa: E731
nd2 = lambda e: e.nd >= 2  # noqa: E731

unary("conj", lambda t: t.conj(), D.conj, weight=2)
unary("neg", lambda t: -t, D.neg)
unary("mT", lambda t: t.mT, lambda v: D.transpose(v, -2, -1), nd2,
      L_apply(lambda p, t: t[0].mT), weight=2)
unary("mH", lambda t: t.mH, lambda v: D.conj(D.transpose(v, -2, -1)), nd2,
      L_apply(lambda p, t: t[0].mT), weight=2)
unary("T", lambda t: t.permute(*reversed(range(t.dim()))), D.reverse_axes, nd2,
      L_apply(lambda p, t: t[0].permute(*reversed(range(t[0].dim())))))
unary("abs", lambda t: t.abs(), D.abs_)
# (the sign of a real value that cannot be negative, e.g. exp(v), is constant: not drawn)
unary("sgn", torch.sgn, D.sgn, lambda e: not noisy(e.base) and (
    e.cplx or not e.floating or bool((e.base < 0).any())))
unary("real", torch.real, lambda v: D.real(v, None, "takes .real", KEYS[0]), is_float)
unary("imag", torch.imag, lambda v: D.imag(v, None, "takes .imag", KEYS[0]), is_cplx)
unary("view_as_real", torch.view_as_real,
      lambda v: D.view_as_real(v, None, "views as real", KEYS[0]), is_cplx)
unary("view_as_complex", lambda t: torch.view_as_complex(t.contiguous()), D.view_as_complex,
      lambda e: is_real(e) and e.nd >= 1 and e.shape[-1] == 2)
# (the angle of a real value that cannot be negative, e.g. exp(v) or an angle, is 0: not drawn)
unary("angle", torch.angle, lambda v: D.angle(v, None, "takes the angle"),
      lambda e: not noisy(e.base) and (e.cplx or (is_float(e) and bool((e.base < 0).any()))),
      weight=2)
unary("inv", torch.linalg.inv, D.inv, lambda e: e.nd >= 2 and e.shape[-1] == e.shape[-2]
      and is_float(e) and _cond_ok(e.base))
_det = unary("det", torch.linalg.det, D.det, lambda e: e.nd >= 2 and e.shape[-1] == e.shape[-2]
             and is_float(e) and _cond_ok(e.base))


def _det_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    v, axes = charges_on(x)
    reg: Reg = {}
    for d in (-2, -1):
        for (s, _m, tok), _ in axes[d]:
            vec = decode_ax(x.reg, s, tok, x.shape[d], f"e{x.eid}")
            reg_add(reg, ("res", s, "prod:" + tok), _multiset(vec))
    return reg


_det.derive = _det_derive
# (singular values of n x 1 matrices are just a norm: not drawn)
unary("svdvals", torch.linalg.svdvals, lambda v: D.singular_invariant(v, 1),
      lambda e: e.nd >= 2 and min(e.shape[-2:]) >= 2 and is_float(e) and _cond_ok(e.base, 1e4))
unary("trace", lambda t: t.diagonal(0, -2, -1).sum(-1), D.trace,
      lambda e: e.nd >= 2 and e.shape[-1] == e.shape[-2])
unary("diag_embed", torch.diag_embed, D.diag_embed, lambda e: e.nd >= 1,
      lambda p, i, pos, s, o: torch.diag_embed(pos + 1) - 1)
unary("escape", lambda t: 0.3 * t * t + torch.tanh(t) + 0.1,
      lambda v: D.escape(v, "mlp", None, "passes it to `mlp`", KEYS[0]), is_float)


_COND: Dict[int, Tuple[torch.Tensor, float]] = {}


def noisy(t: torch.Tensor) -> bool:
    """Entries that are zero up to rounding (``V @ inv(V)`` off its diagonal): their sign or
    angle is rounding noise, which differs between runs whatever the domain says."""
    t = _num(t)
    a = t.abs()
    return bool(((a > 0) & (a < 1e-9 * max(1.0, float(a.max())))).any()) if t.numel() else False


def _cond_ok(t: torch.Tensor, limit: float = 1e5) -> bool:
    """Well enough conditioned for inv/solve/det/svdvals to keep gauge noise far below the
    tolerance (cached per tensor object)."""
    key = id(t)
    if key not in _COND or _COND[key][0] is not t:  # type: ignore[index]
        try:
            c = torch.linalg.cond(_num(t))
            val = float(c.max()) if bool(torch.isfinite(c).all()) else math.inf
        except (RuntimeError, torch.linalg.LinAlgError):
            val = math.inf
        if len(_COND) > 10000:
            _COND.clear()
        _COND[key] = (t, val)  # type: ignore[assignment]
    return _COND[key][1] < limit  # type: ignore[index]


def _num(t: torch.Tensor) -> torch.Tensor:
    return t if (t.is_floating_point() or t.is_complex()) else t.to(RDT)


# eigenvalues, compared through a power sum sum(lam ** p) (their order is arbitrary): in the
# domain, similarity_invariant, then the power, then the sum


def _draw_eig(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if not (e.nd >= 2 and e.shape[-1] == e.shape[-2] and is_float(e) and _cond_ok(e.base)):
        raise Skip()
    return d_pick(data, [1, 2, 3])


register(Op("eigvals", 1, _draw_eig,
            lambda p, t: (torch.linalg.eigvals(t[0]) ** p).sum(-1),
            lambda p, v: D.reduce(D.power(D.similarity_invariant(v[0], "takes eigenvalues", 1),
                                          Fraction(p), f"raises to {p}"),
                                  (-1,), False, "sum", "sums"),
            lambda p, a: f"sum(eigvals({a[0]}) ** {p})", None))

# elementwise non-linear functions: name -> (torch function, parity for real signs, real only)
FNS: Dict[str, Tuple[Callable[[torch.Tensor], torch.Tensor], str, bool]] = {
    "exp": (torch.exp, "none", False),
    "tanh": (torch.tanh, "odd", False),
    "sin": (torch.sin, "odd", False),
    "sinh": (torch.sinh, "odd", False),
    "atan": (torch.atan, "odd", True),
    "cos": (torch.cos, "even", False),
    "cosh": (torch.cosh, "even", False),
    "sigmoid": (torch.sigmoid, "none", False),
    "relu": (torch.relu, "none", True),
    "erf": (torch.special.erf, "odd", True),
}


def _draw_fn(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if not e.floating:
        raise Skip()
    name = d_pick(data, [n for n, (f, par, ro) in FNS.items() if not (ro and e.cplx)])
    if name in ("sin", "sinh", "tanh", "atan", "erf") and isinstance(e.dom, D.Pending) and \
            e.dom.op == "angle" and not e.cplx and not e.dom.base.has_phase():
        # the angle of a real value is 0 or pi, where sin vanishes: invariant by accident of
        # the function (the domain says broken; see the conservative cases in the report)
        raise Skip()
    return name


register(Op("fn", 1, _draw_fn, lambda p, t: FNS[p][0](t[0]),
            lambda p, v: D.elementwise(v[0], p, FNS[p][1], None, f"applies `{p}`", KEYS[0]),
            lambda p, a: f"{p}({a[0]})", L_ident, None, True, 3))

POWERS = [2, 3, -1, -2, 0, 0.5, Fraction(2, 3)]


def _draw_power(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if not e.floating:
        raise Skip()
    # (x ** 0 is 1: the domain says so for covariant x, not for a pending part: not drawn)
    p = d_pick(data, [q for q in POWERS if q != 0 or not isinstance(e.dom, D.Pending)])
    if (isinstance(p, (int, float, Fraction)) and p < 0) and float(e.base.abs().min()) < 1e-3:
        raise Skip()
    return p


register(Op("pow", 1, _draw_power, lambda p, t: t[0] ** float(p),
            lambda p, v: D.power(v[0], Fraction(p).limit_denominator(64), f"raises to {p}"),
            lambda p, a: f"{a[0]} ** {p}", L_ident, None, True, 2))


# ---- transpose / permute


def _draw_transpose(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    if nd < 2:
        raise Skip()
    a = d_int(data, -nd, -1)
    b = d_pick(data, [x for x in range(-nd, 0) if x != a])
    return (a, b)


register(Op("transpose", 1, _draw_transpose, lambda p, t: t[0].transpose(*p),
            lambda p, v: D.transpose(v[0], *p), lambda p, a: f"{a[0]}.transpose{p}",
            L_apply(lambda p, t: t[0].transpose(*p))))


def _draw_permute(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    if nd < 2:
        raise Skip()
    return tuple(d_sublist(data, range(nd), nd, nd, True))


register(Op("permute", 1, _draw_permute, lambda p, t: t[0].permute(*p),
            lambda p, v: D.permute(v[0], p), lambda p, a: f"{a[0]}.permute{p}",
            L_apply(lambda p, t: t[0].permute(*p))))


# ---- reductions

RKINDS = {  # name -> (domain kind, needs real, single dim only)
    "sum": ("sum", False, False),
    "mean": ("sum", False, False),
    "prod": ("prod", False, True),
    "norm": ("norm", False, False),
    "var": ("var", False, False),
    "cumsum": ("cum", False, True),
    "amax": ("max", True, False),
}


def _draw_reduce(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if not e.floating or e.nd == 0:
        raise Skip()
    name = d_pick(data, [k for k, (dk, ro, single) in RKINDS.items() if not (ro and e.cplx)])
    single = RKINDS[name][2]
    v = e.dom.base if isinstance(e.dom, D.Pending) else e.dom
    if name == "prod" and isinstance(v, D.Cov) and v.elem and not v.has_phase():
        # a product over a layout-lost value: the domain cannot place the axis and breaks, but
        # for signs a product of an even number of entries of one column is invariant
        raise Skip()
    nd = e.nd
    if name == "cumsum":
        dims: Optional[Tuple[int, ...]] = (d_int(data, -nd, -1),)
    elif d_bool(data) and not single:
        dims = None
    else:
        n = 1 if single or nd == 1 else d_int(data, 1, min(2, nd))
        first = d_int(data, -nd, -1)
        dims = (first,) if n == 1 else (first, d_pick(data, [x for x in range(-nd, 0)
                                                             if x != first]))
    keep = d_bool(data) if name != "cumsum" else False
    return (name, dims, keep)


def _reduce_fn(p: Any, t: Sequence[torch.Tensor]) -> torch.Tensor:
    name, dims, keep = p
    x = t[0]
    if name == "sum":
        return x.sum(dim=dims, keepdim=keep) if dims is not None else x.sum()
    if name == "mean":
        return x.mean(dim=dims, keepdim=keep) if dims is not None else x.mean()
    if name == "prod":
        return x.prod(dim=dims[0], keepdim=keep) if dims is not None else x.prod()
    if name == "norm":
        return torch.linalg.vector_norm(x, dim=dims, keepdim=keep)
    if name == "var":
        return x.var(dim=dims, keepdim=keep)
    if name == "cumsum":
        return x.cumsum(dims[0])
    return x.amax(dim=dims if dims is not None else tuple(range(x.dim())), keepdim=keep)


def _reduce_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    name, dims, keep = p
    x = ops[0]
    reg: Reg = {}
    if name != "prod":
        return reg
    v, axes = charges_on(x)
    dl = range(-x.nd, 0) if dims is None else dims
    for d in dl:
        for (s, _m, tok), _ in axes[d]:
            vec = decode_ax(x.reg, s, tok, x.shape[d], f"e{x.eid}")
            reg_add(reg, ("res", s, "prod:" + tok), _multiset(vec))
    # the other axes (and the residual) are raised to the number of reduced elements
    count = math.prod(x.shape[d] for d in dl)
    for d, ch in enumerate(axes):
        if d - x.nd in dl:
            continue
        for (s, _m, tok), _ in ch:
            vec = decode_ax(x.reg, s, tok, x.shape[d], f"e{x.eid}")
            reg_add(reg, ("ax", s, "pow?:" + tok), vec.repeat(count, 1))
    if v is not None:
        for (s, _m, tok), _ in v.residual:
            reg_add(reg, ("res", s, "pow?:" + tok), decode_res(x.reg, s, tok, f"e{x.eid}") * count)
    return reg


def _multiset(vec: torch.Tensor) -> Tuple[int, ...]:
    return tuple(int(j) for j in vec.reshape(-1) if j >= 0)


register(Op("reduce", 1, _draw_reduce, _reduce_fn,
            lambda p, v: D.reduce(v[0], p[1], p[2], RKINDS[p[0]][0], f"reduces ({p[0]})"),
            lambda p, a: f"{p[0]}({a[0]}, dim={p[1]}, keepdim={p[2]})", None, _reduce_derive,
            True, 3))


# ---- indexing


def _draw_index(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    nd = e.nd
    if nd == 0:
        raise Skip()
    n_items = d_int(data, 1, nd)
    ell = d_pick(data, ["none", "front", "back"])
    if ell == "front":
        dims = list(range(nd - n_items, nd))
    else:
        dims = list(range(n_items))
    items: List[Tuple[Any, ...]] = []
    fancy = False
    for dim in dims:
        L = e.shape[dim]
        kinds = ["full", "slice", "slice", "int", "int"] + ([] if fancy else ["fancy"])
        if not fancy and ell == "none":
            kinds.append("newaxis")
        k = d_pick(data, kinds)
        if k == "newaxis":
            items.append(("none",))
            k = "full"
        if k == "full":
            items.append(("slice", None, None, None, ""))
        elif k == "slice":
            start = d_int(data, 0, L - 1)
            stop = d_pick(data, [None] + list(range(start + 1, L + 1)))
            step = d_pick(data, [None, None, 2])
            key = f"{start}:{'' if stop is None else stop}" + ("" if step is None else f":{step}")
            items.append(("slice", start, stop, step, key))
        elif k == "int":
            i = d_int(data, -L, L - 1)
            items.append(("int", i, str(i)))
        else:
            fancy = True
            lst = d_sublist(data, range(L), 1, L, False)
            items.append(("fancy", lst, str(lst)))
    if ell == "front":
        items.insert(0, ("ellipsis",))
    elif ell == "back":
        items.append(("ellipsis",))
    return tuple(items)


def _torch_index(items: Sequence[Tuple[Any, ...]]) -> Tuple[Any, ...]:
    out: List[Any] = []
    for it in items:
        if it[0] == "slice":
            out.append(slice(it[1], it[2], it[3]))
        elif it[0] == "int":
            out.append(it[1])
        elif it[0] == "fancy":
            out.append(torch.tensor(it[1]))
        elif it[0] == "none":
            out.append(None)
        else:
            out.append(Ellipsis)
    return tuple(out)


def _dom_index(items: Sequence[Tuple[Any, ...]]) -> List[D.Index]:
    out = []
    for it in items:
        if it[0] == "slice":
            out.append(D.Index("slice", it[4]))
        elif it[0] == "int":
            out.append(D.Index("int", it[2]))
        elif it[0] == "fancy":
            out.append(D.Index("fancy", it[2]))
        elif it[0] == "none":
            out.append(D.Index("none"))
        else:
            out.append(D.Index("ellipsis"))
    return out


def _index_dims(items: Sequence[Tuple[Any, ...]], nd: int) -> List[Tuple[int, Tuple[Any, ...]]]:
    """(tensor dimension, item) for every consuming item."""
    consuming = [it for it in items if it[0] in ("slice", "int", "fancy")]
    out = []
    dim = 0
    for it in items:
        if it[0] == "ellipsis":
            dim += nd - len(consuming)
        elif it[0] == "none":
            continue
        else:
            out.append((dim, it))
            dim += 1
    return out


def _index_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    v, axes = charges_on(x)
    reg: Reg = {}
    for dim, it in _index_dims(p, x.nd):
        for (s, _m, tok), _ in axes[dim]:
            vec = decode_ax(x.reg, s, tok, x.shape[dim], f"e{x.eid}")
            if it[0] == "slice" and it[4]:
                reg_add(reg, ("ax", s, f"{tok}[{it[4]}]"), vec[:, slice(it[1], it[2], it[3])])
            elif it[0] == "fancy":
                reg_add(reg, ("ax", s, f"{tok}[{it[2]}]"), vec[:, torch.tensor(it[1])])
            elif it[0] == "int":
                reg_add(reg, ("res", s, f"{tok}@{it[2]}"), _multiset(vec[:, it[1]]))
    return reg


register(Op("index", 1, _draw_index, lambda p, t: t[0][_torch_index(p)],
            lambda p, v: D.index(v[0], _dom_index(p)),
            lambda p, a: f"{a[0]}[{', '.join(_item_text(it) for it in p)}]",
            L_apply(lambda p, t: t[0][_torch_index(p)]), _index_derive, True, 4))


def _item_text(it: Tuple[Any, ...]) -> str:
    if it[0] == "slice":
        return it[4] or ":"
    if it[0] in ("int", "fancy"):
        return it[2]
    return "None" if it[0] == "none" else "..."


def _draw_mask(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if e.nd == 0:
        raise Skip()
    lead = d_int(data, 1, e.nd)
    shape = e.shape[:lead]
    bits = [d_bool(data) for _ in range(math.prod(shape))]
    if not any(bits):
        bits[0] = True
    mask = torch.tensor(bits).reshape(shape)
    return (mask, "m" + "".join("1" if b else "0" for b in bits) + f"/{lead}")


def _mask_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    mask, key = p
    v, axes = charges_on(x)
    reg: Reg = {}
    if v is None:
        return reg
    for dim, ch in enumerate(axes):
        for (s, _m, tok), _ in ch:
            full = axis_meaning_full(x.reg, s, tok, x.shape, dim, f"e{x.eid}")
            for token in ("mask", f"mask[{key}]"):
                reg_add(reg, ("elem", s, f"{token}:{dom_pos(v, x.nd, dim)}:{tok}"),
                        tuple(f[mask] for f in full))
    return reg


register(Op("mask", 1, _draw_mask, lambda p, t: t[0][p[0]],
            lambda p, v: D.index(v[0], [D.Index("mask", p[1])]),
            lambda p, a: f"{a[0]}[{p[1]}]", L_apply(lambda p, t: t[0][p[0]]), _mask_derive))


# ---- shapes


def _draw_reshape(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    sh = tuple(e.shape)
    n = math.prod(sh)
    targets = [(n,), (1,) + sh, sh + (1,)]
    if len(sh) == 2 and sh[0] != sh[1]:
        targets.append((sh[1], sh[0]))
    for d in range(2, n):
        if n % d == 0:
            targets.append((n // d, d))
    target = d_pick(data, targets)
    return (target, f"reshape@{sh}->{target}")


def _reshape_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    target, token = p
    v, axes = charges_on(x)
    reg: Reg = {}
    if v is None:
        return reg
    for dim, ch in enumerate(axes):
        for (s, _m, tok), _ in ch:
            full = axis_meaning_full(x.reg, s, tok, x.shape, dim, f"e{x.eid}")
            reg_add(reg, ("elem", s, f"{token}:{dom_pos(v, x.nd, dim)}:{tok}"),
                    tuple(f.reshape(target) for f in full))
    return reg


register(Op("reshape", 1, _draw_reshape, lambda p, t: t[0].reshape(p[0]),
            lambda p, v: D.reshape(v[0], p[1], len(p[0])),
            lambda p, a: f"{a[0]}.reshape{p[0]}", L_apply(lambda p, t: t[0].reshape(p[0])),
            _reshape_derive, True, 3))


def _draw_flip(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    if nd == 0:
        raise Skip()
    dims = d_sublist(data, range(-nd, 0), 1, nd, True)
    return tuple(dims)


def _flip_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    v, axes = charges_on(x)
    reg: Reg = {}
    for d in p:
        for (s, _m, tok), _ in axes[d]:
            vec = decode_ax(x.reg, s, tok, x.shape[d], f"e{x.eid}")
            reg_add(reg, ("ax", s, f"flip({tok})"), vec.flip(-1))
    return reg


register(Op("flip", 1, _draw_flip, lambda p, t: t[0].flip(p),
            lambda p, v: D.flip(v[0], p, "flip"), lambda p, a: f"{a[0]}.flip{p}",
            L_apply(lambda p, t: t[0].flip(p)), _flip_derive))


def _draw_unsqueeze(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    return d_int(data, -(nd + 1), -1)


register(Op("unsqueeze", 1, _draw_unsqueeze, lambda p, t: t[0].unsqueeze(p),
            lambda p, v: D.unsqueeze(v[0], p), lambda p, a: f"{a[0]}.unsqueeze({p})",
            L_apply(lambda p, t: t[0].unsqueeze(p))))


def _draw_squeeze(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    ones = [d - e.nd for d in range(e.nd) if e.shape[d] == 1]
    if not ones:
        raise Skip()
    if d_bool(data):
        return None
    return d_pick(data, ones)


def _squeeze_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    v, axes = charges_on(x)
    reg: Reg = {}
    if v is None:
        return reg
    for dim, ch in enumerate(axes):
        for (s, _m, tok), _ in ch:
            if p is None:
                full = axis_meaning_full(x.reg, s, tok, x.shape, dim, f"e{x.eid}")
                reg_add(reg, ("elem", s, f"squeeze:{dom_pos(v, x.nd, dim)}:{tok}"),
                        tuple(f.squeeze() for f in full))
            elif dim - x.nd == p:
                vec = decode_ax(x.reg, s, tok, 1, f"e{x.eid}")
                reg_add(reg, ("res", s, f"{tok}@sq"), _multiset(vec))
    return reg


register(Op("squeeze", 1, _draw_squeeze,
            lambda p, t: t[0].squeeze() if p is None else t[0].squeeze(p),
            lambda p, v: D.squeeze(v[0], p), lambda p, a: f"{a[0]}.squeeze({p})",
            L_apply(lambda p, t: t[0].squeeze() if p is None else t[0].squeeze(p)),
            _squeeze_derive))


# ---- diagonals


# Diagonals are drawn for square matrices only: the diagonal of a wide matrix is a prefix of its
# columns, which the domain cannot relate to concatenated parts (trace(cat([diag(L), V], -1))
# only sees diag(L), but the domain says broken).


def _draw_diag(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if e.nd not in (1, 2) or (e.nd == 2 and e.shape[0] != e.shape[1]):
        raise Skip()
    return d_pick(data, [0, 0, 0, 1, -1])


def _diag_layout(p: Any, i: int, pos: torch.Tensor, s: Any, o: Any) -> torch.Tensor:
    if pos.dim() == 1:
        return torch.diag(pos + 1, p) - 1
    return torch.diag(pos, p)


def _diagonal_derive(offset: int, d1: int, d2: int, ops: List[Entry], e: Entry) -> Reg:
    x = ops[0]
    v, axes = charges_on(x)
    reg: Reg = {}
    n_out = e.shape[-1] if e.nd else 0
    for dim, shift, name_shift in ((d2, max(offset, 0), offset), (d1, max(-offset, 0), -offset)):
        for (s, _m, tok), _ in axes[dim]:
            vec = decode_ax(x.reg, s, tok, x.shape[dim], f"e{x.eid}")
            meaning = vec[:, shift: shift + n_out]
            if name_shift:
                reg_add(reg, ("ax", s, f"{tok}+{name_shift}"), meaning)
            if dim == d2 and offset < 0:
                reg_add(reg, ("ax", s, f"{tok}+{offset}"), meaning)
    return reg


register(Op("diag", 1, _draw_diag, lambda p, t: torch.diag(t[0], p),
            lambda p, v: D.diag(v[0], p), lambda p, a: f"diag({a[0]}, {p})", _diag_layout,
            lambda p, ops, e: _diagonal_derive(p, 0, 1, ops, e) if ops[0].nd == 2 else {}))


def _draw_diagonal(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    if nd < 2:
        raise Skip()
    d1 = d_int(data, -nd, -1)
    d2 = d_pick(data, [x for x in range(-nd, 0) if x != d1])
    if ops[0].shape[d1] != ops[0].shape[d2]:
        raise Skip()
    return (d_pick(data, [0, 0, 1, -1, 2]), d1, d2)


register(Op("diagonal", 1, _draw_diagonal, lambda p, t: torch.diagonal(t[0], *p),
            lambda p, v: D.diagonal(v[0], *p), lambda p, a: f"diagonal({a[0]}, {p})",
            L_apply(lambda p, t: torch.diagonal(t[0], *p)),
            lambda p, ops, e: _diagonal_derive(p[0], p[1], p[2], ops, e)))


# --------------------------------------------------------------------------- binary operations


def bshape(*shapes: Sequence[int]) -> Optional[Tuple[int, ...]]:
    """The broadcast shape, or None (torch.broadcast_shapes is slow for this many calls)."""
    n = max(len(s) for s in shapes)
    out = []
    for i in range(1, n + 1):
        dims = {s[-i] for s in shapes if len(s) >= i} - {1}
        if len(dims) > 1:
            return None
        out.append(dims.pop() if dims else 1)
    return tuple(reversed(out))


def bcast_ok(a: Entry, b: Entry) -> bool:
    return bshape(a.shape, b.shape) is not None


def binary(name: str, fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
           dom: Callable[[D.Value, D.Value], D.Value], fmt: str,
           pred: Callable[[Entry, Entry], bool] = bcast_ok, layout: Any = L_bcast,
           check_break: bool = True, weight: int = 1) -> Op:
    def draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
        if not pred(ops[0], ops[1]):
            raise Skip()
        return None
    op = Op(name, 2, draw, lambda p, t: fn(t[0], t[1]), lambda p, v: dom(v[0], v[1]),
            lambda p, a: fmt.format(*a), layout, None, check_break, weight)
    op.compat = pred  # type: ignore[attr-defined]
    return register(op)


def _not_two_angles(a: Entry, b: Entry) -> bool:
    # a raw difference of angles is invariant only modulo 2*pi: drawn as `wrapdiff` instead
    return bcast_ok(a, b) and not (isinstance(a.dom, D.Pending) and a.dom.op == "angle"
                                   and isinstance(b.dom, D.Pending) and b.dom.op == "angle")


def _den_ok(a: Entry, b: Entry) -> bool:
    return bcast_ok(a, b) and b.floating and float(b.base.abs().min()) > 1e-3


binary("mul", lambda a, b: a * b, D.mul, "{0} * {1}", weight=5)
binary("div", lambda a, b: a / b, lambda a, b: D.mul(a, b, divide=True), "{0} / {1}", _den_ok,
       weight=2)
binary("add", lambda a, b: a + b, D.add, "{0} + {1}", weight=3)
binary("sub", lambda a, b: a - b, lambda a, b: D.add(a, b, subtract=True), "{0} - {1}",
       _not_two_angles, weight=3)


def _mm_ok(a: Entry, b: Entry) -> bool:
    if a.nd == 0 or b.nd == 0 or not (a.floating and b.floating):
        return False
    inner_b = b.shape[-2] if b.nd >= 2 else b.shape[0]
    if a.shape[-1] != inner_b:
        return False
    return bshape(a.shape[:-2], b.shape[:-2]) is not None


binary("matmul", torch.matmul, D.matmul, "{0} @ {1}", _mm_ok, None, weight=6)


def _solve_ok(a: Entry, b: Entry) -> bool:
    return (a.nd == 2 and a.shape[0] == a.shape[1] and b.floating and b.nd in (1, 2)
            and b.shape[0] == a.shape[-1] and a.floating and _cond_ok(a.base))


binary("solve", torch.linalg.solve, D.solve, "solve({0}, {1})", _solve_ok, None, weight=2)


def _cmp_ok(a: Entry, b: Entry) -> bool:
    if not (bcast_ok(a, b) and is_real(a) and is_real(b)):
        return False
    gt = a.base > b.base
    if noisy(a.base - b.base):
        return False
    return bool(gt.any()) and not bool(gt.all())  # a comparison that is constant tests nothing


binary("gt", lambda a, b: a > b, lambda a, b: D.compare(a, b, "compares"), "{0} > {1}",
       _cmp_ok)
# an equality test of generic values is False everywhere: its breaks are not checked
binary("isclose", lambda a, b: torch.isclose(a, b), lambda a, b: D.compare(
    a, b, "tests closeness", equality=True), "isclose({0}, {1})",
       lambda a, b: bcast_ok(a, b) and a.floating and b.floating, check_break=False)


def _mc_ok(a: Entry, b: Entry) -> bool:
    return bcast_ok(a, b) and is_real(a) and is_real(b)


binary("complex", torch.complex, D.make_complex, "complex({0}, {1})", _mc_ok, weight=2)


# ---- recombinations and symmetrisations that need two operands


def _cplx_pair(a: Entry, b: Entry) -> bool:
    return bcast_ok(a, b) and a.cplx and b.cplx


binary("recombine", lambda a, b: torch.real(a) + 1j * torch.imag(b),
       lambda a, b: D.add(D.real(a, None, "re", KEYS[0]),
                          D.mul(D.Inv(const=1j), D.imag(b, None, "im", KEYS[1]))),
       "{0}.real + 1j * {1}.imag", _cplx_pair, weight=2)
binary("recombine2", lambda a, b: torch.imag(b) * 2j + torch.real(a),
       lambda a, b: D.add(D.mul(D.imag(b, None, "im", KEYS[1]), D.Inv(const=2j)),
                          D.real(a, None, "re", KEYS[0])),
       "{1}.imag * 2j + {0}.real", _cplx_pair)
binary("complex_parts", lambda a, b: torch.complex(torch.real(a), torch.imag(b)),
       lambda a, b: D.make_complex(D.real(a, None, "re", KEYS[0]),
                                   D.imag(b, None, "im", KEYS[1])),
       "complex({0}.real, {1}.imag)", _cplx_pair, weight=2)


def _wrap(t: torch.Tensor) -> torch.Tensor:
    return torch.remainder(t + math.pi, 2 * math.pi) - math.pi


def _wrapdiff_fn(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    if noisy(a) or noisy(b):
        raise Skip()
    w = _wrap(torch.angle(a) - torch.angle(b))
    if float((math.pi - w.abs()).min()) < 1e-6 and not bool((w.abs() < 1e-12).all()):
        raise Skip()  # too close to the branch cut to compare runs
    return w


def _dom_mod(v: D.Value) -> D.Value:
    # how the tracker treats `% (2 * pi)` (semantics._remainder): an angle stays an angle, an
    # angle difference is wrapped into an invariant, invariants stay invariant
    if isinstance(v, D.Pending) and v.op in ("angle", "angdiff"):
        return D.wrap(v)
    if isinstance(v, D.Inv):
        return D.Inv(ndim=v.ndim, is_complex=False)
    return D.elementwise(v, "mod", "none", None, "takes a remainder")


binary("wrapdiff", _wrapdiff_fn,
       lambda a, b: _dom_mod(D.add(D.angle(a, None, "angle"), D.angle(b, None, "angle"),
                                   subtract=True)),
       "(angle({0}) - angle({1})) mod 2pi", lambda a, b: bcast_ok(a, b) and a.floating
       and b.floating, weight=2)

SYM_FNS = ["relu", "exp", "sigmoid", "escape"]


def _sym_draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    a, b = ops
    if not (bcast_ok(a, b) and is_real(a) and is_real(b)):
        raise Skip()
    return (d_pick(data, SYM_FNS), d_bool(data))


def _sym_t(name: str, t: torch.Tensor) -> torch.Tensor:
    if name == "escape":
        return 0.3 * t * t + torch.tanh(t) + 0.1
    return FNS[name][0](t)


def _sym_d(name: str, v: D.Value, key: str) -> D.Value:
    if name == "escape":
        return D.escape(v, "mlp", None, "passes it to `mlp`", key)
    return D.elementwise(v, name, FNS[name][1], None, f"applies `{name}`", key)


_sym = Op("sym", 2, _sym_draw,
          lambda p, t: _sym_t(p[0], t[0]) - _sym_t(p[0], -t[1]) if p[1]
          else _sym_t(p[0], t[0]) + _sym_t(p[0], -t[1]),
          lambda p, v: D.add(_sym_d(p[0], v[0], KEYS[0]), _sym_d(p[0], D.neg(v[1]), KEYS[1]),
                             subtract=p[1]),
          lambda p, a: f"{p[0]}({a[0]}) {'-' if p[1] else '+'} {p[0]}(-{a[1]})", L_bcast, None,
          True, 3)
_sym.compat = lambda a, b: bcast_ok(a, b) and is_real(a) and is_real(b)  # type: ignore
register(_sym)

# ---- constants

CONSTS = [2.0, -1.0, 0.5, 1j, 2j, -1j]  # (x * 0 is zero: the domain need not see it)


def _const_draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    if not ops[0].floating:
        raise Skip()
    return (d_pick(data, CONSTS), d_bool(data))


def _const_mul_dom(p: Any, v: Sequence[D.Value]) -> D.Value:
    c, left = p
    k = D.Inv(ndim=0, const=complex(c))
    return D.mul(k, v[0]) if left else D.mul(v[0], k)


def _const_add_dom(p: Any, v: Sequence[D.Value]) -> D.Value:
    c, left = p
    k = D.Inv(ndim=0, const=complex(c))
    return D.add(k, v[0]) if left else D.add(v[0], k)


register(Op("mulc", 1, _const_draw, lambda p, t: p[0] * t[0] if p[1] else t[0] * p[0],
            _const_mul_dom, lambda p, a: f"{p[0]} * {a[0]}" if p[1] else f"{a[0]} * {p[0]}",
            L_ident, None, True, 2))
def _addc_draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    if not ops[0].floating:
        raise Skip()
    return (d_pick(data, CONSTS + [0.0]), d_bool(data))


register(Op("addc", 1, _addc_draw, lambda p, t: p[0] + t[0] if p[1] else t[0] + p[0],
            _const_add_dom, lambda p, a: f"{p[0]} + {a[0]}" if p[1] else f"{a[0]} + {p[0]}",
            L_ident))

# ---- ordering


def _draw_order(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if not is_real(e) or e.nd == 0:
        raise Skip()
    dim = d_int(data, -e.nd, -1)
    if e.shape[dim] < 2:
        raise Skip()  # argmax over one entry is 0
    gaps = torch.sort(e.base, dim=dim).values.diff(dim=dim)
    if gaps.numel() and float(gaps.abs().min()) < 1e-9 * scale(e.base):
        raise Skip()  # ties up to rounding: argmax would follow the rounding
    return (d_pick(data, ["argmax", "sort"]), dim)


def _order_fn(p: Any, t: Sequence[torch.Tensor]) -> torch.Tensor:
    if p[0] == "argmax":
        return t[0].argmax(p[1])
    return torch.sort(t[0], dim=p[1]).values


register(Op("order", 1, _draw_order, _order_fn,
            lambda p, v: D.order(v[0], f"takes {p[0]}", None),
            lambda p, a: f"{p[0]}({a[0]}, {p[1]})", None))


# ---- normalisation and gauge fixing


def _draw_dim(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if e.nd == 0 or not e.floating:
        raise Skip()
    return d_int(data, -e.nd, -1)


register(Op("normalize", 1, _draw_dim,
            lambda p, t: t[0] / torch.linalg.vector_norm(t[0], dim=p, keepdim=True),
            lambda p, v: D.mul(v[0], D.reduce(v[0], (p,), True, "norm", "norm"), divide=True),
            lambda p, a: f"normalize({a[0]}, dim={p})", L_ident))


# ``fixgauge`` (V / V[i], V * sgn(V[i]).conj()): a macro of steps (row, [sgn, conj], then
# the division or product), see draw_step
FIXGAUGE_WEIGHT = 2




def _draw_cols(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    e = ops[0]
    if e.nd != 2 or not e.floating:
        raise Skip()
    k = e.shape[-1]
    a = d_int(data, 0, k - 1)
    b = d_int(data, a + 1, k)
    return (a, b)


def _proj_dom(p: Any, v: Sequence[D.Value]) -> D.Value:
    xs = D.index(v[0], [D.Index("slice"), D.Index("slice", f"{p[0]}:{p[1]}")])
    return D.matmul(xs, D.conj(D.transpose(xs, -2, -1)))


def _proj_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    return _index_derive((("slice", None, None, None, ""),
                          ("slice", p[0], p[1], None, f"{p[0]}:{p[1]}")), ops, e)


register(Op("projector", 1, _draw_cols,
            lambda p, t: t[0][:, p[0]:p[1]] @ t[0][:, p[0]:p[1]].mH, _proj_dom,
            lambda p, a: f"{a[0]}[:, {p[0]}:{p[1]}] @ {a[0]}[:, {p[0]}:{p[1]}].mH", None,
            _proj_derive, True, 2))


# ---- einsum


LETTERS = "ijklm"


def _draw_einsum(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    sizes: Dict[str, int] = {}
    terms = []
    for e in ops:
        if e.nd == 0 or e.nd > 3 or not e.floating:
            raise Skip()
        term = ""
        for d in range(e.nd):
            L = e.shape[d]
            same = [c for c, s in sizes.items() if s == L]
            fresh = [c for c in LETTERS if c not in sizes]
            choices = same + fresh[:1]
            c = d_pick(data, choices)
            sizes[c] = L
            term += c
        terms.append(term)
    letters = sorted(sizes)
    out = d_sublist(data, letters, 0, len(letters), True)
    return ",".join(terms) + "->" + "".join(out)


register(Op("einsum1", 1, _draw_einsum, lambda p, t: torch.einsum(p, t[0]),
            lambda p, v: D.einsum(p, [v[0]]), lambda p, a: f"einsum('{p}', {a[0]})", None))
_ein2 = Op("einsum", 2, _draw_einsum, lambda p, t: torch.einsum(p, t[0], t[1]),
           lambda p, v: D.einsum(p, [v[0], v[1]]),
           lambda p, a: f"einsum('{p}', {a[0]}, {a[1]})", None, None, True, 3)
_ein2.compat = lambda a, b: a.floating and b.floating and 0 < a.nd <= 3 and 0 < b.nd <= 3  # type: ignore  # noqa: E501
register(_ein2)


# ---- where


def _where_draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    c, a, b = ops
    if c.cplx or not c.floating or bshape(c.shape, a.shape, b.shape) is None:
        raise Skip()
    cond = c.base > 0
    if noisy(c.base):
        raise Skip()
    if isinstance(c.dom, D.Inv) and (bool(cond.all()) or not bool(cond.any())):
        raise Skip()  # a constant condition selects one operand: nothing to test
    return None


def _where_dom(p: Any, v: Sequence[D.Value]) -> D.Value:
    cond = D.compare(v[0], D.Inv(ndim=0, const=0), "compares with 0")
    return D.where(cond, v[1], v[2], "selects")


register(Op("where", 3, _where_draw, lambda p, t: torch.where(t[0] > 0, t[1], t[2]), _where_dom,
            lambda p, a: f"where({a[0]} > 0, {a[1]}, {a[2]})", L_bcast, mixed_cond=True))


# ---- cat / stack


def _cat_draw(data: Data, ctx: Ctx, ops: List[Entry]) -> Any:
    nd = ops[0].nd
    if any(o.nd != nd for o in ops) or nd == 0:
        raise Skip()
    stack = d_bool(data)
    if stack:
        if any(o.shape != ops[0].shape for o in ops):
            raise Skip()
        return (True, d_int(data, -(nd + 1), -1))
    dim = d_int(data, -nd, -1)
    for o in ops:
        if any(o.shape[j] != ops[0].shape[j] for j in range(nd) if j != dim + nd):
            raise Skip()
    return (False, dim)


def _cat_fn(p: Any, t: Sequence[torch.Tensor]) -> torch.Tensor:
    stack, dim = p
    if stack:
        return torch.stack(list(t), dim)
    return torch.cat(list(t), dim)


def _cat_layout(p: Any, i: int, pos: torch.Tensor, shapes: Sequence[torch.Size],
                out: torch.Size) -> torch.Tensor:
    parts = [pos if j == i else torch.full(shapes[j], -1, dtype=torch.long)
             for j in range(len(shapes))]
    return _cat_fn(p, parts)


def _cat_derive(p: Any, ops: List[Entry], e: Entry) -> Reg:
    """Meanings of the labels of a concatenation. The domain's labels for part i also describe
    the parts before it (their lengths fix where part i starts); they are matched by pattern:
    ``cat<w>.<i>[<...>](<tok>)`` on the joined axis, ``cat<w>...<i>[<...>]:<pos>:<tok>`` (or
    ``:r:<tok>``) per element when the parts carry different gauges."""
    stack, dim = p
    w = len(ops)
    reg: Reg = {}
    shapes = [o.shape for o in ops]
    offset = 0
    for i, o in enumerate(ops):
        v, axes = charges_on(o)
        length = o.shape[dim] if not stack else 1
        if v is not None:
            for d, ch in enumerate(axes):
                for (s, _m, tok), _ in ch:
                    if not stack and d - o.nd == dim:
                        vec = decode_ax(o.reg, s, tok, o.shape[d], f"e{o.eid}")
                        full = torch.full((vec.shape[0], e.shape[dim]), -1, dtype=torch.long)
                        full[:, offset: offset + length] = vec
                        reg_add(reg, ("re:ax", s, rf"cat{w}\.{i}(<.*>)?\({re.escape(tok)}\)"),
                                full)
                    # per-slice element labels
                    means = axis_meaning_full(o.reg, s, tok, o.shape, d, f"e{o.eid}")
                    placed = tuple(_place(p, i, mean, shapes, e.shape) for mean in means)
                    pat = rf"cat{w}\S*\.{i}(<.*>)?:{dom_pos(v, o.nd, d)}:{re.escape(tok)}"
                    reg_add(reg, ("re:elem", s, pat), placed)
            for (s, _m, tok), _ in v.residual:
                js = decode_res(o.reg, s, tok, f"e{o.eid}")
                placed = tuple(_place(p, i, torch.full(o.shape, j, dtype=torch.long), shapes,
                                      e.shape) for j in js)
                reg_add(reg, ("re:elem", s, rf"cat{w}\S*\.{i}(<.*>)?:r:{re.escape(tok)}"), placed)
        offset += length
    return reg


def _place(p: Any, i: int, mean: torch.Tensor, shapes: Sequence[torch.Size],
           out: torch.Size) -> torch.Tensor:
    parts = [mean if j == i else torch.full(shapes[j], -1, dtype=torch.long)
             for j in range(len(shapes))]
    return _cat_fn(p, parts)


for _w in (2, 3):
    _c = Op(f"cat{_w}", _w, _cat_draw, _cat_fn, lambda p, v: D.cat(list(v), p[1], stack=p[0]),
            lambda p, a: f"{'stack' if p[0] else 'cat'}([{', '.join(a)}], {p[1]})", _cat_layout,
            _cat_derive, True, 2 if _w == 2 else 1)
    _c.compat = lambda a, b: a.nd == b.nd  # type: ignore[attr-defined]
    register(_c)


# ---- a value times the conjugate of another (with ``pairmove`` below: of itself, moved)

_mc = binary("mulconj", lambda a, b: a * b.conj(), lambda a, b: D.mul(a, D.conj(b)),
             "{0} * {1}.conj()", weight=1)

# ``pairmove``: y = move(x) (flip or mT) as one step, then y * x.conj() as the next; this asks
# whether a layout move relabels the gauges (a macro of two steps, see draw_step)
PAIRMOVE_WEIGHT = 3


# --------------------------------------------------------------------------- programs

KINDS = ["eig", "eigh_real", "eigh_complex", "svd_real", "svd_complex"]


def _gauge_as(d: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    return d if t.is_complex() else d.real.to(t.dtype)


def leaf(ctx: Ctx, text: str, vals: List[torch.Tensor], dom: D.Value, reg: Optional[Reg] = None
         ) -> Entry:
    return ctx.add(Entry(len(ctx.pool), text, vals, dom, reg or {}, None))


def setup(data: Data, kinds: Optional[Sequence[str]] = None) -> Ctx:
    seed = data.next(2 ** 31)
    n = d_int(data, 3, 5)
    kinds = list(kinds or KINDS)
    first = d_pick(data, kinds)
    second = d_pick(data, [None, None, None] + kinds)
    g = torch.Generator().manual_seed(seed)
    specs = [first] + ([second] if second else [])
    sources = []
    outs = []
    for sid, kind in enumerate(specs, start=1):
        m = n + (1 if kind.startswith("svd") and d_bool(data) else 0)
        src, out = make_source(sid, kind, n, m, g)
        sources.append(src)
        outs.append(out)
    runs = make_runs(sources, g)
    ctx = Ctx(sources, runs, g)
    any_phase = any(s.modulus == D.PHASE for s in sources)
    for src, out in zip(sources, outs):
        s, mod = src.sid, src.modulus
        idreg: Reg = {("ax", s, D.ID): [torch.arange(src.k)[None]]}
        if "V" in out:
            V = out["V"]
            seed = D.seed(s, mod, 2, -1, 1)
            if src.kind != "eig":
                seed = replace(seed, frame=f"{s}:vec")  # orthonormal columns
            leaf(ctx, f"V{s}  ({src.kind})", [V * _gauge_as(r[s], V) for r in runs], seed, idreg)
            leaf(ctx, f"L{s}", [out["L"]] * len(runs), D.Inv(ndim=1,
                                                             is_complex=out["L"].is_complex()))
        else:
            U, S, Vh = out["U"], out["S"], out["Vh"]
            leaf(ctx, f"U{s}  ({src.kind})", [U * _gauge_as(r[s], U) for r in runs],
                 replace(D.seed(s, mod, 2, -1, 1), frame=f"{s}:U"), idreg)
            leaf(ctx, f"S{s}", [S] * len(runs), D.Inv(ndim=1, is_complex=False))
            vhs = [_gauge_as(r[s].conj(), Vh)[:, None] * Vh for r in runs]
            # frames are tagged per factor: U and Vh share the source, but Vh @ U is no identity
            leaf(ctx, f"Vh{s}", vhs, replace(D.seed(s, mod, 2, -2, -1), frame=f"{s}:V"), idreg)
            leaf(ctx, f"V{s} = torch.svd(.).V", [x.mH for x in vhs],
                 replace(D.seed(s, mod, 2, -1, 1), frame=f"{s}:V"), idreg)
    # gauge-free data
    R = torch.randn(n, n, generator=g, dtype=RDT)
    leaf(ctx, "R (real data)", [R] * len(runs), D.Inv(ndim=2, is_complex=False, random=True))
    r = torch.randn(n, generator=g, dtype=RDT)
    leaf(ctx, "r (real vector)", [r] * len(runs), D.Inv(ndim=1, is_complex=False, random=True))
    C = torch.complex(torch.randn(n, n, generator=g, dtype=RDT),
                      torch.randn(n, n, generator=g, dtype=RDT))
    leaf(ctx, "C (complex data)", [C] * len(runs), D.Inv(ndim=2, is_complex=True, random=True))
    B = torch.randn(2, n, n, generator=g, dtype=RDT)
    if any_phase:
        B = B.to(CDT)
    leaf(ctx, "B (batch data)", [B] * len(runs), D.Inv(ndim=3, random=True))
    # a few derived values seeded directly, checked like every other step
    for e in list(ctx.pool):
        if e.text.startswith(("V", "U")) and "=" not in e.text:
            _force(ctx, "conj", [e])
            if e.shape[-1] == e.shape[-2]:
                _force(ctx, "inv", [e])
        if e.text.startswith(("L", "S")):
            _force(ctx, "diag", [e], 0)
    return ctx


OPS_BY_NAME = {op.name: op for op in OPS}


def _force(ctx: Ctx, name: str, operands: List[Entry], params: Any = None) -> None:
    op = OPS_BY_NAME[name]
    e = apply_step(ctx, op, params, operands)
    if e is not None:
        check_entry(ctx, e)
        ctx.add(e)


WEIGHTED = [op.name for op in OPS for _ in range(op.weight)] + ["pairmove"] * PAIRMOVE_WEIGHT \
    + ["fixgauge"] * FIXGAUGE_WEIGHT


def _then(ctx: Ctx, e: Optional[Entry]) -> Optional[Entry]:
    """Check and keep an intermediate step of a macro."""
    if e is not None:
        check_entry(ctx, e)
        ctx.add(e)
    return e


def _fixgauge(data: Data, ctx: Ctx, x: Entry) -> Optional[Entry]:
    if x.nd != 2 or not x.floating:
        return None
    i = d_int(data, 0, x.shape[0] - 1)
    if float(x.base[i].abs().min()) < 1e-3:
        return None
    row = _then(ctx, apply_step(ctx, OPS_BY_NAME["index"], (("int", i, str(i)),), [x]))
    if row is None:
        return None
    if d_bool(data):  # V * sgn(V[i]).conj()
        sg = _then(ctx, apply_step(ctx, OPS_BY_NAME["sgn"], None, [row]))
        cj = _then(ctx, apply_step(ctx, OPS_BY_NAME["conj"], None, [sg])) if sg else None
        return apply_step(ctx, OPS_BY_NAME["mul"], None, [x, cj]) if cj else None
    return apply_step(ctx, OPS_BY_NAME["div"], None, [x, row])  # V / V[i]


def _pairmove(data: Data, ctx: Ctx, x: Entry) -> Optional[Entry]:
    if x.nd == 0 or not x.floating:
        return None
    if x.nd >= 2 and x.shape[-1] == x.shape[-2] and d_bool(data):
        y = apply_step(ctx, OPS_BY_NAME["mT"], None, [x])
    else:
        dims = tuple(d_sublist(data, range(-x.nd, 0), 1, x.nd, True))
        y = apply_step(ctx, OPS_BY_NAME["flip"], dims, [x])
    if _then(ctx, y) is None:
        return None
    return apply_step(ctx, OPS_BY_NAME["mulconj"], None, [y, x])


def draw_step(data: Data, ctx: Ctx, only: Optional[Sequence[str]] = None) -> Optional[Entry]:
    name = d_pick(data, WEIGHTED if only is None else only)
    pool = ctx.pool
    first = pool[data.next(len(pool))]
    if name == "pairmove":
        return _pairmove(data, ctx, first)
    if name == "fixgauge":
        return _fixgauge(data, ctx, first)
    op = OPS_BY_NAME[name]
    operands = [first]
    compat = getattr(op, "compat", None)
    for _ in range(op.arity - 1):
        cands = [e for e in pool if compat is None or compat(first, e)]
        if not cands:
            return None
        operands.append(cands[data.next(len(cands))])
    try:
        params = op.draw(data, ctx, operands)
    except Skip:
        return None
    return apply_step(ctx, op, params, operands)


def run_program(ints: Sequence[int], steps: int = 7, kinds: Optional[Sequence[str]] = None,
                only: Optional[Sequence[str]] = None) -> Ctx:
    """Build and check one random program from hypothesis' integers."""
    data = Choices(ints)
    ctx: Optional[Ctx] = None
    done = 0
    try:
        ctx = setup(data, kinds)
        for _ in range(steps * 4):
            if done >= steps:
                break
            e = draw_step(data, ctx, only)
            if e is None:
                continue
            check_entry(ctx, e)
            ctx.add(e)
            done += 1
    except DomainError as exc:
        listing = ctx.listing() if ctx is not None else "(during setup)"
        raise DomainError(f"{exc}\n\nprogram:\n{listing}") from None
    bump("programs")
    bump("steps", done)
    return ctx

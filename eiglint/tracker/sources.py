"""Where gauge values are born: decompositions and the sources they register.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from .. import catalogue
from .. import domain as D
from ..domain import Value
from ..values import Abs, Seq, as_value
from .shared import AnalysisBase, SourceInfo
from .syntax import dotted, literal


class SourcesMixin(AnalysisBase):

    @staticmethod
    def _dtype_complex(kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[bool]:
        n = kw_nodes.get("dtype")
        if n is None:
            return None
        t = dotted(n) if isinstance(n, (cst.Name, cst.Attribute)) else ""
        if isinstance(n, (cst.SimpleString,)):
            t = str(literal(n))
        return True if any(w in t for w in ("complex", "cfloat", "cdouble", "chalf")) else False

    def decompose(self, spec: catalogue.Decomposition, node: cst.Call, args: Sequence[Abs],
                  kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression],
                  kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        names = _chosen_outputs(spec, arg_nodes, kw_nodes, kwargs)
        inv = as_value(_input_of(spec, args, kwargs))
        modulus = _modulus_of(spec, inv, kw_nodes)
        if isinstance(inv, D.Broken) or isinstance(inv, D.Pending):
            res = self.post(node, inv if isinstance(inv, D.Broken) else D.materialize(inv),
                            [inv])
            outs = [res for _ in names]
            return outs[0] if len(outs) == 1 else Seq(tuple(outs), names, spec.container)
        # `svd(torch.randn(n, n))[0]` is the idiom for drawing a random orthogonal matrix: its
        # sign is as random as the draw itself, so it is not tracked (the draw must be inline)
        random_input = isinstance(inv, D.Inv) and inv.random and len(spec.outputs) == 3 \
            and spec.outputs[1].role == "values"
        ndim = inv.ndim if isinstance(inv, D.Inv) and inv.ndim is not None and inv.ndim >= 2 else 2
        # generalised problems are only B-orthonormal: no frame
        generalised = len(args) > 1 or "b" in kwargs or "B" in kwargs or "M" in kwargs
        values: List[Abs] = []
        src_ids: Dict[int, int] = {}
        for name in names:
            o = spec.output(name)
            if o.role == "values" or random_input:
                values.append(self._eigenvalues_of(node, spec, o, inv, ndim, random_input))
                continue
            sid = src_ids.get(o.source)
            if sid is None:
                sid = self.new_source(node, o.source, spec, modulus, o, spec.gauge == "spectrum"
                                      or (isinstance(inv, D.Inv) and inv.is_complex is None))
                src_ids[o.source] = sid
            if isinstance(inv, D.Cov):
                f = D.charged_factor(inv, o.role, sid, modulus, "svd" in spec.qualname,
                                     name == spec.outputs[0].name)
                values.append(f if f is not None else D.Broken(D.value_kind(inv), ndim))
                continue
            values.append(_seeded(spec, o, name, sid, modulus, ndim, generalised))
        values = [self.per_iteration(v, src_ids.values()) for v in values]
        if len(values) == 1:
            return values[0]
        return Seq(tuple(values), names, spec.container)

    def _eigenvalues_of(self, node: cst.Call, spec: catalogue.Decomposition,
                        o: catalogue.Output, inv: Value, ndim: int, random_input: bool) -> Abs:
        """An output that carries no gauge: eigen/singular values, or any output of a random
        draw's decomposition."""
        if isinstance(inv, D.Cov):
            v: Abs = D.singular_invariant(inv) if "svd" in spec.qualname else \
                D.similarity_invariant(inv, "decomposes a matrix whose gauge is not a "
                                            "similarity")
            v = self.post(node, v, [inv])
            return D.Inv(ndim=max(ndim - 1, 1)) if isinstance(v, D.Inv) else v
        return D.Inv(ndim=max(ndim - 1, 1) if o.role == "values" else ndim,
                     random=random_input)

    def new_source(self, node: cst.Call, index: int, spec: catalogue.Decomposition, modulus: int,
                   out: catalogue.Output, promotable: bool = False) -> int:
        # the options of a solver chosen at run time (`eigs if directed else eigsh`) are
        # decompositions of their own: the join of their values carries both (domain.join)
        key = (id(node), index, self.call_sites[-1] if self.call_sites else 0,
               spec.qualname if self.choosing else "")
        sid = self._source_ids.get(key)
        if sid is None:
            sid = self.cache.new_source_id() if self.cache is not None else \
                len(self._source_ids) + 1
            self._source_ids[key] = sid
            if "svd" in spec.qualname or "pca" in spec.qualname:
                label = "singular vectors"
            elif "schur" in spec.qualname:
                label = "Schur vectors"
            elif spec.qualname.endswith(("null_space", ".orth")):
                label = "basis vectors"
            else:
                label = "eigenvectors"
            if spec.qualname == "scipy.linalg.eig" or spec.qualname == "jax.lax.linalg.eig":
                label = "left eigenvectors" if out.name == "vl" else "right eigenvectors"
            self.sources[sid] = SourceInfo(sid, spec.qualname, modulus, label, self.path,
                                           (self, node))
        # the call's latest evaluation decides (a function analysed alone sees a parameter
        # of unknown dtype; called with a real array, its sign is a sign)
        self.sources[sid].promotable = promotable and modulus == D.SIGN
        return sid

    def as_complex(self, v: Value) -> Value:
        """``v`` where code reads it as complex (``.real``, ``.imag``, ``angle``): sources whose
        sign is a phase for complex input count as phases (see :func:`D.promote`)."""
        if not isinstance(v, D.Cov):
            return v
        up = frozenset(s for s in v.sources() if s in self.sources and self.sources[s].promotable)
        return D.promote(v, up) if up else v


def _chosen_outputs(spec: catalogue.Decomposition, arg_nodes: Sequence[cst.BaseExpression],
                    kw_nodes: Dict[str, cst.BaseExpression],
                    kwargs: Optional[Dict[str, Abs]] = None) -> Tuple[str, ...]:
    """The outputs of the variant the call's literal arguments select
    (``compute_uv=False``, ``eigenvectors=False``, ...), also when a helper forwards them
    (``**kwargs``: the value keeps the literal as a constant)."""
    names = spec.names
    for var in spec.variants:
        lit: object = None
        given: Optional[cst.BaseExpression] = None
        if var.keyword in kw_nodes:
            given = kw_nodes[var.keyword]
        elif var.position is not None and var.position < len(arg_nodes):
            given = arg_nodes[var.position]
        if given is not None:
            lit = literal(given)
            forwarded = (kwargs or {}).get(var.keyword)
            if lit is None and isinstance(forwarded, D.Inv) and forwarded.const is not None \
                    and isinstance(var.value, bool):
                lit = forwarded.const != 0
            if var.value == catalogue.PRESENT:
                lit = catalogue.PRESENT if not (
                    isinstance(given, cst.Name) and given.value == "None") else None
        if lit == var.value:
            names = var.outputs
    return names


def _input_of(spec: catalogue.Decomposition, args: Sequence[Abs], kwargs: Dict[str, Abs]) -> Abs:
    """The decomposed matrix: its keyword, else the first positional argument."""
    for n in spec.input_names:
        if n in kwargs:
            return kwargs[n]
    return args[0] if args else D.INV


def _modulus_of(spec: catalogue.Decomposition, inv: Value,
                kw_nodes: Dict[str, cst.BaseExpression]) -> int:
    """Phase for a phase gauge or a complex input, sign otherwise."""
    complex_in = (isinstance(inv, D.Inv) and inv.is_complex is True) or (
        isinstance(inv, (D.Cov, D.Pending)) and D.value_kind(inv) == "phase")
    if spec.complex_flag is not None:
        key, val = spec.complex_flag
        if key in kw_nodes and literal(kw_nodes[key]) == val:
            complex_in = True
    return D.PHASE if spec.gauge == "phase" or complex_in else D.SIGN


def _seeded(spec: catalogue.Decomposition, o: catalogue.Output, name: str, sid: int,
            modulus: int, ndim: int, generalised: bool) -> Abs:
    """A fresh gauge-carrying output of source ``sid``."""
    if o.role == "vec":
        v = D.seed(sid, modulus, ndim, -1, 1)
    elif o.role == "vh":
        v = D.seed(sid, modulus, ndim, -2, -1)
    else:
        v = D.Cov(tuple(() for _ in range(ndim - 2)) + D.seed_two(sid, modulus, -1, 1).axes)
    if spec.orthonormal and o.role in ("vec", "vh") and not generalised:
        # one tag per output: U and Vh of one SVD are different frames
        v = replace(v, frame=f"{sid}:{name}")
    return v

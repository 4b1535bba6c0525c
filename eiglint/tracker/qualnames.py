"""Calls of named library functions and builtins (``torch.linalg.eigh``, ``len``, ``sorted``).
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from .. import catalogue, semantics
from .. import domain as D
from ..domain import Value
from ..library import (
    CLUSTERING,
    CLUSTERING_METRICS,
    CORRELATION_TESTS,
    DRAW_SIZE_AT,
    HARMLESS_FUNCTIONS,
    HARMLESS_NAMES,
    HARMLESS_PREFIXES,
    RANDOM_FUNCTIONS,
    TENSOR_CONSTRUCTORS,
)
from ..values import TENSOR_TYPES, Abs, Coll, DictVal, Func, Ref, Seq, as_value
from .enumeration import full_sign_table
from .joins import elem_of
from .shared import AnalysisBase
from .syntax import NAMESPACE_LIKE, literal

_SHAPE_FIRST = frozenset({"randn", "rand", "zeros", "ones", "empty", "full",
                          "standard_normal", "random_sample"})


_DATA_FIRST = frozenset({"tensor", "array", "asarray", "as_tensor"})


def _shape_rank(name: str, arg_nodes: Sequence[cst.BaseExpression],
                kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[int]:
    """The rank of a new array when its shape is literal: ``torch.randn(4)`` -> 1,
    ``np.zeros((4, 4))`` -> 2, ``torch.tensor([[1, 2]])`` -> 2, ``arange(n)`` -> 1."""
    if name in ("arange", "linspace", "logspace"):
        return 1
    if name in _DATA_FIRST and arg_nodes:
        depth, v = 0, literal(arg_nodes[0])
        while isinstance(v, tuple) and v:
            depth, v = depth + 1, v[0]
        return depth if depth and not isinstance(v, tuple) else None
    if name not in _SHAPE_FIRST:
        return None
    shape = kw_nodes.get("size") or kw_nodes.get("shape")
    lits = [literal(shape)] if shape is not None else [literal(n) for n in arg_nodes]
    if name == "full":
        lits = lits[:1]
    if len(lits) == 1 and isinstance(lits[0], tuple) and all(
            isinstance(e, int) and not isinstance(e, bool) for e in lits[0]):
        return len(lits[0])
    display = shape if shape is not None else (arg_nodes[0] if arg_nodes else None)
    if isinstance(display, (cst.Tuple, cst.List)) and display.elements and not any(
            isinstance(e, (cst.StarredElement, cst.StarredDictElement))
            for e in display.elements):
        # `np.zeros((x.shape[0], 5))`: sizes not literal, but one per element of the display
        return len(display.elements)
    if lits and all(isinstance(e, int) and not isinstance(e, bool) for e in lits):
        return len(lits)
    return None


def _data_rank(name: str, args: Sequence[Abs]) -> Optional[int]:
    """``torch.tensor(x)``, ``np.asarray(x)``, ``torch.from_numpy(x)``, ``zeros_like(x)``: the
    rank of the array they copy or wrap, when known."""
    if name not in _DATA_FIRST and name not in ("from_numpy", "zeros_like", "ones_like",
                                                "empty_like", "full_like"):
        return None
    v = as_value(args[0]) if args and not isinstance(args[0], (Seq, Coll, DictVal)) else None
    return v.ndim if isinstance(v, D.Inv) else None


#: what a NumPy generator is (its methods are looked up under this name)
GENERATOR = "numpy.random.Generator"

#: calls that make a random number generator whose methods draw like ``numpy.random``'s
RANDOM_GENERATORS = frozenset({"numpy.random.default_rng", "numpy.random.RandomState",
                               "numpy.random.Generator", "numpy.random.mtrand.RandomState"})


def draw_rank(name: str, arg_nodes: Sequence[cst.BaseExpression],
              kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[int]:
    """The rank of a random draw when its shape is written out, for module functions and
    generator methods alike (``rng.random((n, n))`` -> 2, ``rng.uniform(0, 1, (n, m))`` -> 2,
    ``rng.normal(size=3)`` -> 1, ``np.random.randn(3, 4)`` -> 2): the size is the keyword
    ``size``/``shape`` or the positional argument :data:`DRAW_SIZE_AT` names."""
    shape = kw_nodes.get("size") or kw_nodes.get("shape")
    at = DRAW_SIZE_AT.get(name)
    if shape is None and at == -1 and arg_nodes and not any(
            isinstance(a, (cst.Tuple, cst.List)) for a in arg_nodes):
        if len(arg_nodes) > 1:
            return len(arg_nodes)  # `randn(n, m)`
        shape = arg_nodes[0]
    elif shape is None and at is not None and 0 <= at < len(arg_nodes):
        shape = arg_nodes[at]
    if isinstance(shape, (cst.Tuple, cst.List)) and not any(
            isinstance(e, cst.StarredElement) for e in shape.elements):
        return len(shape.elements)
    if isinstance(shape, (cst.Integer, cst.BinaryOperation, cst.Subscript)):
        return 1  # an int (`n`, `n - 1`, `A.shape[0]`); a name may hold a tuple
    return _shape_rank(name, arg_nodes, kw_nodes)


def _constructed_complex(name: str, dtype_complex: Optional[bool], args: Sequence[Abs],
                         arg_nodes: Sequence[cst.BaseExpression]) -> Optional[bool]:
    """Whether a new array is complex: its ``dtype`` when given; else a copy of data is complex
    as the data is (a literal of real numbers, or arrays known to be real, is real), ``*_like``
    as its model, ``full`` as its fill value, and the other constructors (``zeros``, ``ones``,
    ``eye``, ``arange``, ...) make real arrays by default."""
    if dtype_complex is not None:
        return dtype_complex
    if _any_complex(args):
        return True
    if name in _DATA_FIRST or name in ("from_numpy", "Tensor") or name.endswith("_like"):
        if not args:
            return None
        first = as_value(args[0])
        if isinstance(first, D.Inv) and first.is_complex is False:
            return False
        lit = literal(arg_nodes[0]) if arg_nodes else None
        return False if _real_literal(lit) else None
    return False


def _public_clustering(q: str) -> str:
    """``sklearn.cluster._kmeans.KMeans`` (how scikit-learn's own modules import it) is
    ``sklearn.cluster.KMeans``; so are its instances and their methods."""
    if not q.startswith("sklearn.cluster._"):
        return q
    rest = q[len("sklearn.cluster."):].split(".", 1)
    if len(rest) < 2:
        return q
    cls = rest[1].split(".", 1)
    name = cls[0][:-2] if cls[0].endswith("()") else cls[0]
    if "sklearn.cluster." + name not in CLUSTERING:
        return q
    return "sklearn.cluster." + rest[1]


def _real_literal(lit: object) -> bool:
    if isinstance(lit, tuple):
        return bool(lit) and all(_real_literal(e) for e in lit)
    return isinstance(lit, (int, float))


def _any_complex(args: Sequence[Abs]) -> Optional[bool]:
    for a in args:
        v = as_value(a)
        if isinstance(v, D.Inv) and v.is_complex:
            return True
        if isinstance(v, D.Inv) and v.const is not None and v.const.imag != 0:
            return True
    return None


class QualnamesMixin(AnalysisBase):

    def call_qualname(self, node: cst.Call, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                      arg_nodes: List[cst.BaseExpression],
                      kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        q = catalogue.SAME_AS.get(q, q)
        if q in catalogue.DIAGONAL_OPERATORS and len(args) == 1 and not kwargs:
            q = "torch.diag_embed"
        known = self._catalogued_call(node, q, args, kwargs, arg_nodes, kw_nodes)
        if known is not None:
            return known
        if q in RANDOM_GENERATORS:
            # `rng = np.random.default_rng(0)`: its methods are NumPy's random draws
            return Ref(GENERATOR)
        if q in RANDOM_FUNCTIONS or q.startswith(("numpy.random.", "torch.random.")) or \
                q.endswith((".standard_normal", ".normal", ".randn", ".rand", ".uniform",
                            ".random_sample")) and q.startswith(("numpy", "torch", "jax")):
            # random draws are real unless a complex dtype is asked for. (A generator's draws,
            # seeded data in the programs seen, are not the inline random-orthogonal idiom
            # `svd(randn(n, n))[0]`, see `SourcesMixin.decompose`: their vectors are followed)
            return D.Inv(random=not q.startswith(GENERATOR + "."),
                         is_complex=bool(self._dtype_complex(kw_nodes)),
                         ndim=draw_rank(q.rpartition(".")[2], arg_nodes, kw_nodes))
        ns, _, name = q.rpartition(".")
        if q in HARMLESS_FUNCTIONS or q.startswith(HARMLESS_PREFIXES) or name in HARMLESS_NAMES:
            return D.INV
        if q.startswith("builtins."):
            return self.call_builtin(node, name, args, kwargs, arg_nodes, kw_nodes)
        if ns in semantics.NAMESPACES or q.startswith("torch.nn.functional.") or \
                NAMESPACE_LIKE.match(ns.rsplit(".", 1)[-1]):
            done = self._namespace_call(node, name, args, kwargs, arg_nodes, kw_nodes)
            if done is not None:
                return done
        return self._unknown_call(node, q, args, kwargs, arg_nodes, kw_nodes)

    def _catalogued_call(self, node: cst.Call, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                         arg_nodes: List[cst.BaseExpression],
                         kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[Abs]:
        """Calls the catalogue names: decompositions, gauge fixers, predicates, identity
        wrappers, self-fixing factorizations, correlation tests, BLAS lookups."""
        spec = catalogue.lookup(q, self.settings.extra_sources)
        if spec is not None:
            return self.decompose(spec, node, args, kwargs, arg_nodes, kw_nodes)
        if q in catalogue.GAUGE_FIXERS or q in self.settings.invariant_functions:
            return Coll(D.INV)
        if q in catalogue.PREDICATES:
            return D.INV
        if q in CORRELATION_TESTS and len(args) >= 2:
            return self._correlation_test(node, q, args, kw_nodes)
        if q in catalogue.IDENTITY_WRAPPERS and args and isinstance(args[0], TENSOR_TYPES):
            return args[0]
        if q in catalogue.SELF_FIXING:
            kw, default = catalogue.SELF_FIXING[q]
            lit = literal(kw_nodes[kw]) if kw in kw_nodes else default
            if lit == default:
                return Coll(D.INV)
            spec = catalogue.lookup("torch.linalg.svd")
            assert spec is not None
            return self.decompose(spec, node, args, kwargs, arg_nodes, kw_nodes)
        if q.endswith("array_api_extra.at") and args:
            return self.at_helper(node, args, arg_nodes)
        if q in ("scipy.linalg.get_blas_funcs", "scipy.linalg.blas.get_blas_funcs") and arg_nodes:
            names = literal(arg_nodes[0])
            if isinstance(names, str):
                return Ref("scipy.linalg.blas." + semantics.BLAS_GENERIC.get(names, names))
            if isinstance(names, tuple) and all(isinstance(n, str) for n in names):
                return Seq(tuple(Ref("scipy.linalg.blas." + semantics.BLAS_GENERIC.get(
                    str(n), str(n))) for n in names))
        return None

    def _namespace_call(self, node: cst.Call, name: str, args: List[Abs],
                        kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression],
                        kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[Abs]:
        """``np.name(...)``, ``torch.name(...)``: an array constructor or an operation of the
        semantics table (``None``: neither)."""
        if name in _DATA_FIRST and arg_nodes and full_sign_table(arg_nodes[0], self._qualname_of):
            # every sign pattern of k columns: what it multiplies is a set of frames that a
            # change of gauge permutes (see `enumeration`); no longer followed
            return D.Broken("sign", 2)
        if name in TENSOR_CONSTRUCTORS and not any(D.is_charged(as_value(a)) for a in args):
            return D.Inv(is_complex=_constructed_complex(name, self._dtype_complex(kw_nodes),
                                                         args, arg_nodes),
                         diagonal=name in ("eye", "identity", "zeros", "zeros_like"),
                         ndim=2 if name in ("eye", "identity") else _shape_rank(
                             name, arg_nodes, kw_nodes) or _data_rank(name, args),
                         const=0j if name in ("zeros", "zeros_like") else None)
        handler = semantics.lookup(name)
        if handler is None:
            return None
        vals = [a if isinstance(a, (Seq, Coll)) else as_value(a) for a in args]
        kvals = {k: (v if isinstance(v, (Seq, Coll)) else as_value(v))
                 for k, v in kwargs.items()}
        call = self.make_call(name, node, vals, kvals, arg_nodes, kw_nodes)
        r = handler(call)
        r = self._step_for_call(node, name, r, vals)
        return self.post(node, r, [v for v in vals if isinstance(v, TENSOR_TYPES)])

    def _unknown_call(self, node: cst.Call, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                      arg_nodes: List[cst.BaseExpression],
                      kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        """A call the analysis has no rule for: ``autograd.grad``, a clustering, a function of
        the project, else an escape of its gauge-carrying arguments."""
        if q == "torch.autograd.grad":
            out = as_value(args[0]) if args else as_value(kwargs.get("outputs", D.INV))
            r = semantics.TABLE["backward"](self.make_call("backward", node, [out], {},
                                                           arg_nodes[:1], {}))
            return self.post(arg_nodes[0] if arg_nodes else node, r, [out])
        clustered = self.clustering(q, args, kwargs, kw_nodes)
        if clustered is not None:
            return clustered
        charged = [(n, as_value(a)) for n, a in zip([*arg_nodes, *kw_nodes.values()],
                                                    [*args, *kwargs.values()])
                   if D.is_charged(as_value(a))]
        if charged and self.project is not None:
            target = self.project_value(q, force=True)
            if not isinstance(target, Ref):
                return self.call_value(node, target, args, kwargs, arg_nodes, kw_nodes)
        if not charged:
            return D.INV
        return self.escape(node, charged, q)

    def _qualname_of(self, func: cst.BaseExpression) -> Optional[str]:
        """The qualified name a callee expression refers to (``product`` ->
        ``itertools.product``), if it is a reference."""
        v = self.eval(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        return v.qualname if isinstance(v, Ref) else None

    def clustering(self, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                   kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[Abs]:
        """sklearn's distance-based clustering (``KMeans(2).fit_predict(V[:, :k])``, spectral
        clustering by hand): the labels depend on the points only through their Euclidean
        distances, which a sign per coordinate does not change. The estimator is a reference
        ``<class>()``; ``fit_predict`` of points whose sign sits on the coordinates is
        invariant, ``fit`` returns the estimator (its ``labels_`` are not followed, nor are
        its ``cluster_centers_``). None when this does not apply."""
        q = _public_clustering(q)
        if q in CLUSTERING:
            for k in ("metric", "affinity", "linkage"):
                if k in kw_nodes and literal(kw_nodes[k]) not in CLUSTERING_METRICS:
                    return None  # distances of another kind (correlation, a callable)
            return Ref(q + "()")
        est, _, meth = q.rpartition(".")
        if not (est.endswith("()") and est[:-2] in CLUSTERING and meth in ("fit", "fit_predict")):
            return None
        x = as_value(args[0] if args else kwargs.get("X", D.INV))
        if isinstance(x, D.Cov) and (x.has_phase() or x.elem or any(x.axes[:-1])):
            return None
        if isinstance(x, (D.Pending, D.Broken)):
            return None
        return Ref(est) if meth == "fit" else D.Inv(ndim=1, is_complex=False)

    def call_builtin(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                     arg_nodes: List[cst.BaseExpression],
                     kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        handler = _BUILTIN_HANDLERS.get(name)
        got = handler(self, node, name, args, kwargs, arg_nodes) if handler is not None else None
        if got is not None:
            return got
        charged = [(n, as_value(a)) for n, a in zip(arg_nodes, args) if D.is_charged(as_value(a))]
        if not charged:
            return D.INV
        return self.escape(node, charged, name)

    # builtin handlers: (node, name, args, kwargs, arg nodes) -> value, None for the default
    # (an escape of the gauge-carrying arguments)

    def _builtin_sequence(self, node: cst.Call, name: str, args: List[Abs],
                          kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression]) -> Abs:
        if not args:
            return Seq((), kind="list")
        v = args[0]
        keyed = self._order_key(node, name, v, kwargs) if name == "sorted" else None
        if isinstance(keyed, D.Broken):
            return keyed
        if name == "sorted" and D.is_charged(as_value(elem_of(v))):
            return self.post(node, D.order(as_value(elem_of(v)),
                                           "sorts values that depend on the gauge"), [])
        if isinstance(v, Seq):
            return Seq(v.items, kind="list") if name != "reversed" else Seq(
                tuple(reversed(v.items)))
        if isinstance(v, Coll):
            return v
        if isinstance(v, TENSOR_TYPES):
            return Coll(self.iterate(v, node))
        return Coll(D.INV)

    def _builtin_zip(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                     arg_nodes: List[cst.BaseExpression]) -> Abs:
        labels = self.zip_labels(node, arg_nodes, [elem_of(a) for a in args])
        elems = [self.iterate(self.member_view(a, label), node)
                 for a, label in zip(args, labels)] + [self.iterate(a, node)
                                                       for a in args[len(arg_nodes):]]
        return Coll(Seq(tuple(elems)))

    def _builtin_enumerate(self, node: cst.Call, name: str, args: List[Abs],
                           kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression]) -> Abs:
        if args and isinstance(args[0], Seq) and args[0].kind != "choice" and not kwargs:
            # a sequence of known length: its items, each with its literal index
            return Seq(tuple(Seq((D.Inv(ndim=0, const=complex(i), is_complex=False), item))
                             for i, item in enumerate(args[0].items)), kind="list")
        return Coll(Seq((D.Inv(ndim=0), self.iterate(args[0], node) if args else D.INV)))

    def _builtin_range(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                       arg_nodes: List[cst.BaseExpression]) -> Abs:
        return Coll(D.Inv(ndim=0, is_complex=False))

    def _builtin_map(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                     arg_nodes: List[cst.BaseExpression]) -> Optional[Abs]:
        if len(args) < 2:
            return None
        f = args[0]
        it = self.iterate(args[1], node)
        if isinstance(f, Func):
            return Coll(self.call_user(f, node, [it], {}))
        if isinstance(f, Ref):
            return Coll(self.call_qualname(node, f.qualname, [it], {}, arg_nodes[1:2], {}))
        return Coll(D.INV)

    def _builtin_abs(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                     arg_nodes: List[cst.BaseExpression]) -> Abs:
        v = as_value(args[0]) if args else D.INV
        return self.post(node, D.abs_(v), [v])

    def _builtin_number(self, node: cst.Call, name: str, args: List[Abs],
                        kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression]) -> Abs:
        v = as_value(args[0]) if args else D.INV
        if name == "complex" and len(args) == 2:
            return self.post(node, D.make_complex(v, as_value(args[1])),
                             [v, as_value(args[1])])
        if name in ("int", "round", "bool") and D.is_charged(v):
            parity = "even" if name == "bool" else "odd"  # truncation and rounding are odd
            return self.post(node, D.elementwise(v, name, parity, node, f"applies `{name}`",
                                                 key=self.key(arg_nodes[0])),
                             [v])
        return v

    def _builtin_reduce(self, node: cst.Call, name: str, args: List[Abs],
                        kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression]) -> Abs:
        v = args[0] if args else D.INV
        if name in ("max", "min") and len(args) == 1:
            keyed = self._order_key(node, name, v, kwargs)
            if keyed is not None:
                return keyed if isinstance(keyed, D.Broken) else (
                    elem_of(v) if isinstance(v, (Seq, Coll)) else self.iterate(v, node))
        elem = as_value(elem_of(v)) if isinstance(v, (Seq, Coll)) else as_value(v)
        if name == "sum":
            return self._builtin_sum(node, v, elem)
        if name in ("max", "min") and len(args) == 1 and isinstance(v, TENSOR_TYPES):
            # the largest entry along the first axis (pending: see `D.extreme`)
            return self.post(node, D.extreme(elem, name, (0,), False, node,
                                             f"uses `{name}`, which depends on the gauge",
                                             key=self.key(arg_nodes[0])), [elem])
        return self.post(node, D.order(elem, f"uses `{name}`, which depends on the gauge"),
                         [elem])

    def _builtin_sum(self, node: cst.Call, v: Abs, elem: Value) -> Abs:
        if isinstance(v, (Seq, Coll)):
            if isinstance(v, Seq):
                acc: Value = D.INV if not v.items else as_value(v.items[0])
                for it in v.items[1:]:
                    acc = D.add(acc, as_value(it))
                return self.post(node, acc, [as_value(i) for i in v.items])
            if D.is_charged(elem):
                return self.post(node, D.brk(
                    "mix", "sums values that carry independent gauges", elem), [elem])
            return elem
        return self.post(node, D.reduce(elem, (0,), False, "sum",
                                        "`sum` over the eigen-index mixes entries with "
                                        "unpaired gauges"), [elem])

    def _correlation_test(self, node: cst.Call, q: str, args: List[Abs],
                          kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        """``pearsonr(x, y)`` (``spearmanr``, ``kendalltau``): the statistic of two samples is
        odd in each, so it carries the product of their sign characters (a component's
        correlation with a reference is signed); the two-sided p-value carries none."""
        x, y = as_value(args[0]), as_value(args[1])
        stat = as_value(self.post(node, semantics.correlation(x, y), [x, y]))
        if isinstance(stat, D.Cov):
            # one number: the off-diagonal entry's character
            stat = D.make_cov((), D.add_charges(stat.residual, stat.elem), (), False, 1,
                              stat.steps)
        alt = kw_nodes.get("alternative")
        two_sided = alt is None or literal(alt) == "two-sided"
        p: Abs = D.Inv(ndim=0, is_complex=False) if two_sided or not D.is_charged(stat) \
            else stat
        return Seq((stat, p), CORRELATION_TESTS[q])

    def _order_key(self, node: cst.Call, name: str, items: Abs, kwargs: Dict[str, Abs]
                   ) -> Optional[Value]:
        """``sorted(xs, key=f)``, ``max(range(k), key=lambda i: corr[i])``: the items are ordered
        (or one is chosen) by ``f`` of each item, so the choice depends on the gauge when the
        keys carry one (a signed correlation of each component with a reference); keyed by
        ``abs(corr[i])`` it does not. None when there is no key eiglint can call; else the
        broken order, or INV when the keys carry no gauge."""
        f = kwargs.get("key")
        if not isinstance(f, Func):
            return None
        elem = elem_of(items) if isinstance(items, (Seq, Coll)) else self.iterate(items, node)
        k = as_value(self.call_user(f, node, [elem], {}))
        if isinstance(k, D.Broken):
            return k.silent()  # reported where it broke
        if D.is_charged(k):
            return as_value(self.post(node, D.order(
                k, f"uses `{name}` with a key that depends on the gauge"), [k]))
        return D.INV

    def _builtin_harmless(self, node: cst.Call, name: str, args: List[Abs],
                          kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression]) -> Abs:
        if name == "next" and args:
            return self.iterate(args[0], node)
        if name == "iter" and args:
            return args[0]
        if name == "getattr" and len(args) >= 2:
            attr = literal(arg_nodes[1])
            if isinstance(attr, str):
                return self.get_attribute(node, args[0], attr)
        return D.INV

    def _builtin_dict(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                      arg_nodes: List[cst.BaseExpression]) -> Abs:
        return DictVal(tuple((k, v) for k, v in kwargs.items()))


_BuiltinHandler = Callable[[QualnamesMixin, cst.Call, str, List[Abs], Dict[str, Abs],
                            List[cst.BaseExpression]], Optional[Abs]]


def _by_name(*groups: Tuple[str, _BuiltinHandler]) -> Dict[str, _BuiltinHandler]:
    return {name: handler for names, handler in groups for name in names.split()}


#: builtin name -> its handler (names not here: an escape of gauge-carrying arguments)
_BUILTIN_HANDLERS = _by_name(
    ("list tuple sorted reversed set frozenset", QualnamesMixin._builtin_sequence),
    ("zip", QualnamesMixin._builtin_zip),
    ("enumerate", QualnamesMixin._builtin_enumerate),
    ("range", QualnamesMixin._builtin_range),
    ("map", QualnamesMixin._builtin_map),
    ("abs", QualnamesMixin._builtin_abs),
    ("float int complex bool round", QualnamesMixin._builtin_number),
    ("sum max min any all", QualnamesMixin._builtin_reduce),
    ("print len isinstance repr str id type hasattr getattr setattr callable format iter next "
     "super vars dir issubclass open hash input exit locals globals",
     QualnamesMixin._builtin_harmless),
    ("dict", QualnamesMixin._builtin_dict),
)

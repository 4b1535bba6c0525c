"""The decomposition catalogue: which library calls produce gauge-ambiguous values.

One table, as data. Each :class:`Decomposition` says what the call returns (in order, with the
field names of its named tuple), which outputs carry which gauge, whether the gauge is a complex
phase or follows the input's dtype (a real sign for real input), and which keyword arguments
change the return structure (``compute_uv=False`` returns the singular values alone).

Roles of an output:

``values``  gauge-free (eigenvalues, singular values, anything else returned)
``vec``     columns carry the gauge: ``V -> V D`` (exponent +1 on the last axis)
``vh``      rows carry the conjugate gauge: ``Vh -> D^H Vh`` (exponent -1 on axis -2)
``schur``   ``T -> D^H T D`` (exponents -1, +1 on the last two axes)

``source`` numbers outputs that share one gauge (U and Vh of an SVD share source 0); scipy's
left and right eigenvectors have independent gauges (sources 0 and 1).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, Optional, Sequence, Tuple


@dataclass(frozen=True)
class Output:
    name: str
    role: str  # values | vec | vh | schur
    source: int = 0


#: a variant keyword that counts whenever it is given (and not None)
PRESENT = "<present>"


@dataclass(frozen=True)
class Variant:
    """A keyword argument value that changes what the call returns."""

    keyword: str
    value: object  # the literal that triggers the variant
    outputs: Tuple[str, ...]  # names of the outputs returned then (in order)
    position: Optional[int] = None  # positional index of the keyword, when it may be positional


@dataclass(frozen=True)
class Decomposition:
    qualname: str
    outputs: Tuple[Output, ...]
    #: "phase" (always complex: torch's eig), "input" (a sign for real input, a phase for
    #: complex) or "spectrum" (NumPy's and SciPy's eig: complex input gives a phase; real input
    #: gives real vectors, defined up to a sign, when the spectrum is real, and complex ones
    #: otherwise; the spectrum is not known statically, so it is modelled as a sign: every
    #: sign flip is a valid gauge in both cases, hence every finding reproduces)
    gauge: str
    container: str = "namedtuple"  # namedtuple | tuple | list
    variants: Tuple[Variant, ...] = ()
    #: positional index / keyword of the decomposed matrix (for dtype inference)
    input_names: Tuple[str, ...] = ("A", "a", "input")
    #: keyword that makes a real decomposition complex (scipy schur output='complex')
    complex_flag: Optional[Tuple[str, object]] = None
    #: outputs are randomised (svd_lowrank, lobpcg without X, ARPACK without v0)
    randomized: bool = False
    #: names returned without variant keywords (default: every output, in order)
    default: Tuple[str, ...] = ()

    @property
    def orthonormal(self) -> bool:
        """Whether the vectors are orthonormal (Hermitian eigensolvers, SVD, Schur), so that
        ``V.mH @ V`` is the identity; general ``eig`` vectors are not."""
        return self.gauge == "input" and "lobpcg" not in self.qualname

    @property
    def names(self) -> Tuple[str, ...]:
        return self.default or tuple(o.name for o in self.outputs)

    def returned(self, literal_of: Callable[[Variant], object]) -> Tuple[str, ...]:
        """The outputs a call returns: those of the last variant whose keyword the call gives
        with the variant's literal (``literal_of`` reads it from the call), else :attr:`names`."""
        names = self.names
        for var in self.variants:
            if literal_of(var) == var.value:
                names = var.outputs
        return names

    def output(self, name: str) -> Output:
        for o in self.outputs:
            if o.name == name:
                return o
        raise KeyError(name)


def _eig(q: str, gauge: str = "phase", vec: str = "eigenvectors", val: str = "eigenvalues",
         container: str = "namedtuple", **kw: object) -> Decomposition:
    return Decomposition(q, (Output(val, "values"), Output(vec, "vec")), gauge, container,
                         **kw)  # type: ignore[arg-type]


def _svd(q: str, names: Tuple[str, str, str] = ("U", "S", "Vh"), third: str = "vh",
         container: str = "namedtuple", **kw: object) -> Decomposition:
    u, s, v = names
    return Decomposition(q, (Output(u, "vec"), Output(s, "values"), Output(v, third)), "input",
                         container, **kw)  # type: ignore[arg-type]


_NP_SVD_VARIANTS = (Variant("compute_uv", False, ("S",), 2),)
_SP_SVD_VARIANTS = (Variant("compute_uv", False, ("s",), 2),)

DECOMPOSITIONS: Tuple[Decomposition, ...] = (
    # ---------------------------------------------------------------- torch
    _eig("torch.linalg.eig"),
    _eig("torch.linalg.eigh", gauge="input"),
    _svd("torch.linalg.svd"),
    _svd("torch.svd", ("U", "S", "V"), third="vec"),
    _svd("torch.Tensor.svd", ("U", "S", "V"), third="vec"),
    _svd("torch.svd_lowrank", ("U", "S", "V"), third="vec", container="tuple", randomized=True),
    _svd("torch.pca_lowrank", ("U", "S", "V"), third="vec", container="tuple", randomized=True),
    Decomposition("torch.lobpcg", (Output("E", "values"), Output("X", "vec")), "input", "tuple",
                  randomized=True),
    # ---------------------------------------------------------------- numpy
    _eig("numpy.linalg.eig", gauge="spectrum"),
    _eig("numpy.linalg.eigh", gauge="input"),
    _svd("numpy.linalg.svd", variants=_NP_SVD_VARIANTS),
    # ---------------------------------------------------------------- scipy
    Decomposition(
        "scipy.linalg.eig", (Output("w", "values"), Output("vl", "vec", 1),
                             Output("vr", "vec", 0)), "spectrum", "tuple", default=("w", "vr"),
        variants=(
            Variant("left", True, ("w", "vl", "vr"), 2),
            Variant("right", False, ("w", "vl"), 3),
        ),
    ),
    _eig("scipy.linalg.eigh", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("eigvals_only", True, ("w",), None),)),
    _svd("scipy.linalg.svd", ("U", "s", "Vh"), container="tuple", variants=_SP_SVD_VARIANTS),
    Decomposition("scipy.linalg.schur", (Output("T", "schur"), Output("Z", "vec"),
                                         Output("sdim", "values")), "input",
                  "tuple", complex_flag=("output", "complex"), default=("T", "Z"),
                  variants=(Variant("sort", PRESENT, ("T", "Z", "sdim"), 3),)),
    # subspace bases: a sign (phase) per column, and a rotation inside the subspace
    Decomposition("scipy.linalg.null_space", (Output("N", "vec"),), "input", "tuple"),
    Decomposition("scipy.linalg.orth", (Output("Q", "vec"),), "input", "tuple"),
    _eig("scipy.linalg.eig_banded", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("eigvals_only", True, ("w",), 2),), input_names=("a_band",)),
    _eig("scipy.linalg.eigh_tridiagonal", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("eigvals_only", True, ("w",), 2),), input_names=("d",)),
    _eig("scipy.sparse.linalg.eigs", vec="v", val="w", container="tuple",
         variants=(Variant("return_eigenvectors", False, ("w",), None),), randomized=True),
    _eig("scipy.sparse.linalg.eigsh", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("return_eigenvectors", False, ("w",), None),), randomized=True),
    _svd("scipy.sparse.linalg.svds", ("u", "s", "vh"), container="tuple",
         variants=(Variant("return_singular_vectors", False, ("s",), None),), randomized=True),
    _eig("scipy.sparse.linalg.lobpcg", gauge="input", vec="v", val="w", container="tuple",
         input_names=("A",), randomized=True),
    # ---------------------------------------------------------------- jax
    _eig("jax.numpy.linalg.eig"),
    _eig("jax.numpy.linalg.eigh", gauge="input"),
    _svd("jax.numpy.linalg.svd", variants=_NP_SVD_VARIANTS),
    _eig("jax.scipy.linalg.eigh", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("eigvals_only", True, ("w",), None),)),
    _svd("jax.scipy.linalg.svd", ("U", "s", "Vh"), container="tuple", variants=_SP_SVD_VARIANTS),
    Decomposition("jax.scipy.linalg.schur", (Output("T", "schur"), Output("Z", "vec")), "input",
                  "list", complex_flag=("output", "complex")),
    _eig("jax.scipy.linalg.eigh_tridiagonal", gauge="input", vec="v", val="w", container="tuple",
         variants=(Variant("eigvals_only", True, ("w",), None),), input_names=("d",)),
    Decomposition("jax.lax.linalg.eigh", (Output("v", "vec"), Output("w", "values")), "input",
                  "tuple", input_names=("x",)),
    Decomposition("jax.lax.linalg.eig", (Output("w", "values"), Output("vl", "vec", 0),
                                         Output("vr", "vec", 1)), "phase", "list",
                  input_names=("x",),
                  variants=(Variant("compute_left_eigenvectors", False, ("w", "vr"), None),)),
    _svd("jax.lax.linalg.svd", ("u", "s", "vh"), container="tuple", input_names=("x",)),
)

BY_NAME: Dict[str, Decomposition] = {d.qualname: d for d in DECOMPOSITIONS}

#: aliases that name the same function
ALIASES: Dict[str, str] = {
    "numpy.linalg.linalg.eig": "numpy.linalg.eig",
    "numpy.linalg.linalg.eigh": "numpy.linalg.eigh",
    "numpy.linalg.linalg.svd": "numpy.linalg.svd",
    "scipy.linalg.decomp.eig": "scipy.linalg.eig",
    "scipy.linalg.decomp.eigh": "scipy.linalg.eigh",
    "scipy.linalg.decomp_svd.svd": "scipy.linalg.svd",
    "scipy.sparse.linalg.eigen.arpack.eigsh": "scipy.sparse.linalg.eigsh",
    "scipy.sparse.linalg.eigen.arpack.eigs": "scipy.sparse.linalg.eigs",
    "jax.numpy.linalg.svd": "jax.numpy.linalg.svd",
    "torch.functional.svd_lowrank": "torch.svd_lowrank",
    "torch.functional.pca_lowrank": "torch.pca_lowrank",
    "torch._lowrank.svd_lowrank": "torch.svd_lowrank",
    "torch._lowrank.pca_lowrank": "torch.pca_lowrank",
    "torch._lobpcg.lobpcg": "torch.lobpcg",
    "torch.linalg.svd": "torch.linalg.svd",
}

#: methods on a tensor that decompose it (``A.svd()``)
TENSOR_METHODS: Dict[str, str] = {"svd": "torch.Tensor.svd"}

#: ``ns.svd(A)`` on a namespace eiglint does not know (array-API ``xp.linalg``): NumPy's rules
NAMESPACE_METHODS: Dict[str, str] = {"svd": "numpy.linalg.svd", "eig": "numpy.linalg.eig",
                                     "eigh": "numpy.linalg.eigh"}

#: functions known to fix the gauge (their results are invariant)
GAUGE_FIXERS: Tuple[str, ...] = (
    "sklearn.utils.extmath.svd_flip",
    "sklearn.utils.extmath._deterministic_vector_sign_flip",
)

#: constructors that wrap an array without changing its entries or layout (a parameter, a
#: sparse matrix built from a dense one): the result is the argument, structure included
IDENTITY_WRAPPERS = frozenset({
    "torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.Buffer",
    "torch.nn.parameter.Buffer", "numpy.ascontiguousarray", "numpy.asfortranarray",
    "numpy.asanyarray",
} | {f"scipy.sparse.{f}_{k}" for f in ("csr", "csc", "coo", "lil", "dok", "bsr", "dia")
     for k in ("array", "matrix")})

#: structured diagonal operators of the Gaussian-process world: ``DiagLinearOperator(d)`` is
#: ``diag_embed(d)`` (``V @ D @ V.mT`` with it is a reconstruction)
DIAGONAL_OPERATORS = frozenset({
    "linear_operator.operators.DiagLinearOperator",
    "linear_operator.operators.diag_linear_operator.DiagLinearOperator",
    "linear_operator.DiagLinearOperator", "gpytorch.lazy.DiagLazyTensor",
    "gpytorch.lazy.diag_lazy_tensor.DiagLazyTensor",
})

#: library helpers that are another library's operation under a name of their own:
#: scikit-learn's ``safe_sparse_dot(a, b)`` is ``a @ b`` (``np.dot`` beyond two axes)
SAME_AS: Dict[str, str] = {
    "sklearn.utils.extmath.safe_sparse_dot": "numpy.dot",
}

#: predicates on an array's type, storage or finiteness: invariant whatever the array carries
PREDICATES = frozenset({"scipy.sparse.issparse", "scipy.sparse.isspmatrix",
                        "scipy.sparse.isspmatrix_csr", "scipy.sparse.isspmatrix_csc",
                        "scipy.sparse.isspmatrix_coo", "scipy.sparse.sparray",
                        # checks that raise or return None: a gauge changes no entry's
                        # finiteness (|v e^{i phi}| = |v|)
                        "sklearn.utils.assert_all_finite",
                        "sklearn.utils.validation.assert_all_finite",
                        "sklearn.utils.validation._assert_all_finite",
                        "numpy.isfortran"})

#: randomized decompositions that fix the sign themselves by default
SELF_FIXING: Dict[str, Tuple[str, object]] = {
    "sklearn.utils.extmath.randomized_svd": ("flip_sign", True),
}


def lookup(qualname: str, extra: Sequence[str] = ()) -> Optional[Decomposition]:
    """The catalogue entry for a fully qualified function name, if any.

    ``extra`` names user functions declared as decompositions in the configuration; they
    follow the conventions of the catalogue entry with the same last name (``mylib.eig``
    behaves like ``torch.linalg.eig``), else of ``torch.linalg.eigh``.
    """
    q = ALIASES.get(qualname, qualname)
    d = BY_NAME.get(q)
    if d is not None:
        return d
    if qualname in extra:
        last = qualname.rsplit(".", 1)[-1]
        template = BY_NAME.get("torch.linalg." + last) or BY_NAME["torch.linalg.eigh"]
        return Decomposition(qualname, template.outputs, template.gauge, template.container,
                             template.variants, template.input_names, default=template.default)
    return None


@lru_cache(maxsize=32)
def trigger_pattern(extra: Tuple[str, ...] = ()) -> "re.Pattern[str]":
    """A regex that matches any text that may call a decomposition (the cheap pre-filter):
    the last name of every catalogue entry (and configured extra source) as a whole word."""
    words = {d.qualname.rsplit(".", 1)[-1] for d in DECOMPOSITIONS}
    words.update(TENSOR_METHODS)
    words.update(q.rsplit(".", 1)[-1] for q in SELF_FIXING)
    words.update(name.rsplit(".", 1)[-1] for name in extra)
    alt = "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))
    return re.compile(r"\b(?:%s)\b" % alt)

"""Operation tables: how each torch / NumPy / SciPy / JAX spelling acts on gauge characters.

A method call ``x.op(*args)`` is treated as the function call ``op(x, *args)``, so one handler
serves ``x.conj()``, ``torch.conj(x)``, ``np.conj(x)`` and ``jnp.conj(x)``. Each handler gets a
:class:`Call` (evaluated operands, literal arguments, and where to report) and returns a domain
value. Anything not in these tables is unknown: a gauge-carrying operand makes it an escape.
"""
from __future__ import annotations

import ast
import math
import re
from dataclasses import replace
from fractions import Fraction
from typing import Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from . import domain as D
from .domain import Index, Value
from .library import TABLE_NAMESPACES
from .values import Abs, Coll, Seq, as_value

#: namespaces whose functions are looked up (by their last name) in the tables below (the
#: list lives with the other library knowledge in :mod:`eiglint.library`)
NAMESPACES = TABLE_NAMESPACES


class Call:
    """A call being evaluated: operands, literal arguments and the reporting context."""

    def __init__(
        self,
        name: str,
        args: Sequence[Abs],
        kwargs: Mapping[str, Abs],
        literals: Sequence[object],
        kw_literals: Dict[str, object],
        text_of: Callable[[object], str],
        arg_nodes: Sequence[object],
        kw_nodes: Dict[str, object],
        origin: object,
    ) -> None:
        self.name = name
        self.args = list(args)
        self.kwargs = kwargs
        self.literals = list(literals)
        self.kw_literals = kw_literals
        self._text_of = text_of
        self._arg_nodes = list(arg_nodes)
        self._kw_nodes = kw_nodes
        self._texts: Optional[List[str]] = None
        self.origin = origin

    @property
    def texts(self) -> List[str]:
        """Source text of the positional arguments (computed on first use)."""
        if self._texts is None:
            self._texts = [self._text_of(n) for n in self._arg_nodes]
        return self._texts

    def key(self, i: int) -> Optional[str]:
        """The identity of positional argument ``i`` up to its sign (see :func:`arg_key`)."""
        return arg_key(self.texts[i]) if i < len(self._arg_nodes) else None

    def kw_text(self, name: str) -> str:
        n = self._kw_nodes.get(name)
        return self._text_of(n) if n is not None else ""

    @property
    def expr(self) -> str:
        return self._text_of(self.origin)

    # ----------------------------------------------------------------- argument helpers
    def arg(self, i: int, *names: str) -> Optional[Value]:
        """An operand as a tensor value (containers contribute their joined elements)."""
        for n in names:
            if n in self.kwargs:
                return as_value(self.kwargs[n])
        return as_value(self.args[i]) if i < len(self.args) else None

    def raw(self, i: int, *names: str) -> Optional[Abs]:
        """An operand as passed (a list stays a list)."""
        for n in names:
            if n in self.kwargs:
                return self.kwargs[n]
        return self.args[i] if i < len(self.args) else None

    def lit(self, i: Optional[int], *names: str, default: object = None) -> object:
        for n in names:
            if n in self.kw_literals:
                return self.kw_literals[n]
        if i is not None and i < len(self.literals):
            return self.literals[i]
        return default

    def has(self, i: Optional[int], *names: str) -> bool:
        return any(n in self.kwargs for n in names) or (i is not None and i < len(self.args))

    def x(self) -> Value:
        return as_value(self.args[0]) if self.args else D.INV

    def dims(self, i: int, *names: str) -> Tuple[bool, Optional[Tuple[int, ...]]]:
        """(given, dims): dims is None when not given or not a literal."""
        if not self.has(i, *names):
            return False, None
        v = self.lit(i, *names)
        if isinstance(v, int) and not isinstance(v, bool):
            return True, (v,)
        if isinstance(v, tuple) and all(isinstance(e, int) for e in v):
            return True, tuple(v)
        if v is None and self.lit_is_none(i, *names):
            return False, None
        return True, None

    def lit_is_none(self, i: int, *names: str) -> bool:
        for n in names:
            if n in self.kw_literals:
                return self.kw_literals[n] is None and self.kw_texts_none(n)
        return i < len(self.texts) and self.texts[i] == "None"

    def kw_texts_none(self, name: str) -> bool:
        return self.kw_literals.get(name) is None and name in self.kw_literals

    def flag(self, i: Optional[int], *names: str) -> bool:
        v = self.lit(i, *names, default=False)
        return bool(v) if isinstance(v, bool) else False

    def detail(self, what: str) -> str:
        return what


Handler = Callable[[Call], Abs]
TABLE: Dict[str, Handler] = {}


def op(*names: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        for n in names:
            TABLE[n] = fn
        return fn

    return deco


# --------------------------------------------------------------------------- identity-like


@op("clone", "detach", "contiguous", "cpu", "cuda", "numpy", "copy", "float", "double", "half",
    "bfloat16", "requires_grad_", "detach_", "pin_memory", "from_numpy", "tolist", "item",
    "nan_to_num", "asnumpy", "to_dense",
    "resolve_conj", "resolve_neg", "ascontiguousarray", "asfortranarray", "atleast_2d",
    "atleast_1d", "device_put", "stop_gradient", "block_until_ready", "positive", "squeeze_",
    "requires_grad", "retain_grad", "share_memory_", "coalesce", "nan_to_num_", "type_as")
def _identity(c: Call) -> Value:
    return c.x()


@op("asarray", "array", "tensor", "as_tensor")
def _array(c: Call) -> Value:
    """An array built from its operand: a collection of one-column values (one per item of a
    loop or comprehension, each with its own eigen-index or its own decomposition) is
    stacked, as ``stack`` does (``np.array(states)`` with ``states[k]`` from the ``k``-th
    ``eigh``: the rows carry different gauges); anything else is kept as it is."""
    seq = c.raw(0, "data", "object", "a")
    if isinstance(seq, Coll):
        elem = _as_value(seq.elem)
        if isinstance(elem, D.Cov) and elem.residual:
            return _stacked(elem, 0, True) or D.Broken(elem.kind())
    return c.x()


@op("to", "type", "astype", "cfloat", "cdouble", "chalf", "complex64", "complex128")
def _convert(c: Call) -> Value:
    x = c.x()
    text = " ".join(c.texts[1:]) + " " + c.kw_text("dtype") + " " + c.name
    dtype_args = [as_value(v) for v in (*c.args[1:], *c.kwargs.values())]
    if any(isinstance(v, D.Inv) and v.is_complex for v in dtype_args):
        text += " complex"  # `.to(V.dtype)` with V complex
    if isinstance(x, D.Inv):
        # a cast keeps the layout: a diagonal matrix stays diagonal
        if any(w in text for w in ("complex", "cfloat", "cdouble", "chalf")):
            return D.Inv(ndim=x.ndim, is_complex=True, random=x.random, diagonal=x.diagonal)
        if any(w in text for w in ("float", "double", "half", "int", "bool", "long")):
            return D.Inv(ndim=x.ndim, is_complex=False, random=x.random, diagonal=x.diagonal)
        return x
    if isinstance(x, D.Cov) and x.has_phase() and any(
            w in text for w in ("float32", "float64", "float16", ".float", ".double", "torch.float",
                                "np.float", "'float", '"float')):
        # casting complex to real discards the imaginary part: a real-part view
        return D.real(x, c.origin, "casts to a real dtype, which keeps only the real part",
                      key=c.key(0))
    return x


@op("size", "dim", "numel", "nelement", "ndimension", "len", "shape", "isinstance", "type_of",
    "is_complex", "is_floating_point", "get_device", "element_size", "nbytes", "result_type",
    "iscomplexobj", "isrealobj", "ndim", "zeros_like", "ones_like", "empty_like", "full_like",
    "rand_like", "randn_like", "randint_like", "new_zeros", "new_ones", "new_empty", "new_full",
    "new_tensor", "register_hook", "id", "repr", "str", "hash", "print", "format",
    "isfinite", "isnan", "isinf", "isneginf", "isposinf", "count_nonzero_shape", "data_ptr",
    "storage_offset", "stride", "is_contiguous", "iscomplex", "isreal", "isrealobj_")
def _shape_only(c: Call) -> Value:
    return D.Inv()


# --------------------------------------------------------------------------- transposes


@op("conj", "conjugate", "conj_physical", "conj_physical_")
def _conj(c: Call) -> Value:
    return D.conj(c.x())


@op("adjoint")
def _adjoint(c: Call) -> Value:
    return D.conj(D.transpose(c.x(), -2, -1))


@op("t")
def _t(c: Call) -> Value:
    return D.transpose(c.x(), -2, -1)


@op("transpose", "swapaxes", "swapdims", "moveaxis", "movedim")
def _transpose(c: Call) -> Value:
    x = c.x()
    a = c.lit(1, "dim0", "axis1", "source", "axes")
    b = c.lit(2, "dim1", "axis2", "destination")
    if c.name == "transpose" and isinstance(a, tuple):
        return D.permute(x, [int(v) for v in a])  # numpy transpose(x, axes)
    if c.name == "transpose" and not c.has(1, "dim0", "axis1", "axes"):
        return D.reverse_axes(x)  # numpy: reverse all axes
    if isinstance(a, int) and isinstance(b, int):
        if isinstance(x, D.Cov) and (a >= 0 or b >= 0) and c.name in ("moveaxis", "movedim"):
            n = x.ndim
            if not -n <= min(a, b) <= max(a, b) < n:
                return _unknown_layout(c, "moves an axis the value is not known to have")
            order = [i for i in range(n) if i != a % n]
            order.insert(b % n, a % n)
            return D.permute(x, order)
        return D.transpose(x, a, b)
    return _unknown_layout(c, "transposes axes that are not literal")


@op("permute")
def _permute(c: Call) -> Value:
    dims = c.lit(1, "dims")
    if isinstance(dims, tuple) and all(isinstance(d, int) for d in dims):
        return D.permute(c.x(), [int(d) for d in dims])
    ints = [v for v in c.literals[1:] if isinstance(v, int)]
    if ints and len(ints) == len(c.literals) - 1:
        return D.permute(c.x(), ints)
    return _unknown_layout(c, "permutes axes that are not literal")


def _unknown_layout(c: Call, why: str) -> Value:
    x = c.x()
    if D.is_charged(x):
        return D.Broken(D.value_kind(x))  # silent: we cannot tell whether it mixes
    return x


# --------------------------------------------------------------------------- real / imag / angle


#: operations that read a value as complex (see ``D.promote``)
COMPLEX_READS = frozenset({"real", "imag", "angle", "arg", "phase", "view_as_real"})


@op("real")
def _real(c: Call) -> Value:
    return D.real(c.x(), c.origin, "takes the real part", key=c.key(0))


@op("imag")
def _imag(c: Call) -> Value:
    return D.imag(c.x(), c.origin, "takes the imaginary part", key=c.key(0))


@op("view_as_real")
def _view_as_real(c: Call) -> Value:
    return D.view_as_real(c.x(), c.origin, "splits into real and imaginary parts",
                          key=c.key(0))


@op("view_as_complex")
def _view_as_complex(c: Call) -> Value:
    return D.view_as_complex(c.x())


@op("angle", "arg", "phase")
def _angle(c: Call) -> Value:
    return D.angle(c.x(), c.origin, "takes the angle")


@op("complex")
def _complex(c: Call) -> Value:
    re = c.arg(0, "real")
    im = c.arg(1, "imag")
    if re is None:
        return D.Inv(is_complex=True)
    if im is None:
        return re
    return D.make_complex(re, im)


@op("atan2", "arctan2")
def _atan2(c: Call) -> Value:
    y, x = c.arg(0, "input", "x1", "y"), c.arg(1, "other", "x2", "x")
    if isinstance(y, D.Pending) and isinstance(x, D.Pending) and y.op == "imag" and \
            x.op == "real" and D.paired(x, y):
        return D.angle(x.base, c.origin, "takes the angle")
    return _nonlinear_binary(c, "atan2")


@op("polar")
def _polar(c: Call) -> Value:
    mag, ang = c.arg(0, "abs"), c.arg(1, "angle")
    if isinstance(ang, D.Pending) and ang.op == "angle" and isinstance(mag, D.Inv):
        return ang.base
    if isinstance(ang, D.Pending) and ang.op == "angdiff" and isinstance(mag, D.Inv):
        return D.Inv(is_complex=True)  # r e^{i d}: periodic in d
    return _nonlinear_binary(c, "polar")


# --------------------------------------------------------------------------- moduli and signs


@op("abs", "absolute", "fabs", "abs_")
def _abs(c: Call) -> Value:
    return D.abs_(c.x())


@op("sgn", "sign", "signbit_free_sign")
def _sgn(c: Call) -> Value:
    return D.sgn(c.x())


@op("square")
def _square(c: Call) -> Value:
    return D.power(c.x(), Fraction(2), "squares")


@op("reciprocal")
def _reciprocal(c: Call) -> Value:
    return D.power(c.x(), Fraction(-1), "takes the reciprocal")


@op("sqrt", "rsqrt", "cbrt")
def _sqrt(c: Call) -> Value:
    e = {"sqrt": Fraction(1, 2), "rsqrt": Fraction(-1, 2), "cbrt": Fraction(1, 3)}[c.name]
    return D.power(c.x(), e, f"takes `{c.name}`, whose branch depends on the phase")


@op("pow", "power", "float_power")
def _pow(c: Call) -> Value:
    e = c.lit(1, "exponent")
    base = c.x()
    if isinstance(e, (int, float)) and not isinstance(e, bool):
        return D.power(base, Fraction(e).limit_denominator(64), f"raises to the power {e}")
    ex = c.arg(1, "exponent")
    if ex is not None and D.is_charged(ex):
        return D.elementwise(ex, "pow", "none", c.origin, "uses it as an exponent",
                             key=c.key(1))
    return D.power(base, None, "raises to a non-literal power")


# odd/even classification for real signs; every function here breaks complex phases
ODD = ("tanh", "sinh", "sin", "tan", "arctan", "atan", "arcsin", "asin", "arcsinh", "asinh",
       "round", "rint", "around",
       "erf", "erfinv", "atanh", "arctanh", "trunc", "fix", "sinc_odd", "softsign", "hardtanh",
       "tanhshrink", "softshrink", "hardshrink", "expm1_odd")
EVEN = ("cos", "cosh", "sinc", "i0", "special_i0")
NONE = ("exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sigmoid", "relu", "relu6",
        "gelu", "elu", "selu", "silu", "mish", "softplus", "leaky_relu", "prelu", "celu",
        "hardsigmoid", "hardswish", "logsigmoid", "softmax", "log_softmax", "erfc", "floor",
        "ceil", "frac", "heaviside", "logit", "digamma", "lgamma", "gamma", "xlogy",
        "sigmoid_", "relu_", "exp_", "dropout", "threshold", "glu",
        "gumbel_softmax", "normalize_logits", "signbit", "positive_part", "softmin",
        "log_ndtr", "ndtr", "expit", "square_plus")


def _fn(parity: str) -> Handler:
    def h(c: Call) -> Value:
        if c.name in ("softmax", "log_softmax", "softmin") and isinstance(c.x(), D.Cov):
            return D.brk("nonlinear", f"applies `{c.name}`", c.x())
        return D.elementwise(c.x(), c.name, parity, c.origin, f"applies `{c.name}`",
                             key=c.key(0))
    return h


for _n in ODD:
    TABLE[_n] = _fn("odd")
for _n in EVEN:
    TABLE[_n] = _fn("even")
for _n in NONE:
    TABLE[_n] = _fn("none")


def _nonlinear_binary(c: Call, name: str) -> Value:
    vals = [as_value(v) for v in c.args[:2]]
    charged = [v for v in vals if D.is_charged(v) or isinstance(v, D.Broken)]
    if not charged:
        return D.Inv()
    ops, br = D._prep(vals)
    if br is not None:
        return br
    return D.brk("nonlinear", f"applies `{name}`", *ops)


# --------------------------------------------------------------------------- arithmetic


@op("mul", "multiply", "mul_")
def _mul(c: Call) -> Value:
    return D.mul(c.x(), c.arg(1, "other", "x2") or D.INV)


@op("div", "divide", "true_divide", "div_")
def _div(c: Call) -> Value:
    return D.mul(c.x(), c.arg(1, "other", "x2") or D.INV, divide=True)


@op("add", "add_")
def _add(c: Call) -> Value:
    other = c.arg(1, "other", "x2") or D.INV
    alpha = c.lit(2, "alpha")
    if isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
        other = D.mul(other, D.Inv(const=complex(alpha)))
    return D.add(c.x(), other)


@op("sub", "subtract", "sub_")
def _sub(c: Call) -> Value:
    return D.add(c.x(), c.arg(1, "other", "x2") or D.INV, subtract=True, origin=c.origin)


@op("remainder", "mod")
def _remainder(c: Call) -> Value:
    """Floor modulo (``torch.remainder``, ``np.mod``): by a divisor of 2 pi it wraps an angle
    difference into an invariant; any other use of a gauge-carrying operand breaks."""
    x, m = c.x(), c.arg(1, "other", "x2") or D.INV
    if isinstance(x, D.Pending) and x.op in ("angle", "angdiff") and isinstance(m, D.Inv) \
            and len(c.texts) > 1 and wraps_2pi(m, c.texts[1]):
        return D.wrap(x)
    if D.is_charged(m):
        return D.elementwise(m, "mod", "none", c.origin, "takes a remainder", key=c.key(1))
    return D.elementwise(x, "mod", "none", c.origin, "takes a remainder",
                         key=f"{c.key(0)}%{c.key(1) if len(c.texts) > 1 else ''}")


def wraps_2pi(divisor: Value, text: str) -> bool:
    """Is the divisor 2 pi / m for a positive integer m (``2 * torch.pi``, ``math.tau``,
    ``np.pi``, ``6.283185307179586``)? Its value, or its text evaluated with ``pi``/``tau``."""
    value: Optional[float] = None
    if isinstance(divisor, D.Inv) and divisor.const is not None and divisor.const.imag == 0:
        value = divisor.const.real
    if value is None:
        value = _eval_pi(text)
    if value is None or value <= 0:
        return False
    m = 2 * math.pi / value
    return abs(m - round(m)) < 1e-9 and round(m) >= 1


def _eval_pi(text: str) -> Optional[float]:
    """The value of a small arithmetic expression of numbers and ``pi``/``tau`` names."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None

    def ev(n: ast.AST) -> float:
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and \
                not isinstance(n.value, bool):
            return float(n.value)
        if isinstance(n, (ast.Name, ast.Attribute)):
            last = n.id if isinstance(n, ast.Name) else n.attr
            if last in ("pi", "tau"):
                return math.pi if last == "pi" else math.tau
            raise ValueError(last)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = ev(n.operand)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            a, b = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            return a / b
        raise ValueError(type(n).__name__)

    try:
        return ev(tree)
    except (ValueError, ZeroDivisionError, RecursionError):
        return None


@op("neg", "negative", "neg_")
def _neg(c: Call) -> Value:
    return D.neg(c.x())


@op("lerp")
def _lerp(c: Call) -> Value:
    a, b = c.x(), c.arg(1, "end") or D.INV
    return D.join_strict(a, b)


@op("where")
def _where(c: Call) -> Value:
    if len(c.args) < 3 and not c.kwargs:
        cond = c.x()
        if D.is_charged(cond):
            return D.order(cond, "selects indices by a gauge-dependent condition")
        return D.Inv()
    cond = c.x()
    if D.mask_sign(cond) is not None and len(c.args) == 3 and _negations(c, 1, 2):
        # `where(v[0] < 0, -v, v)`: a sign convention, the product with the mask's sign
        r = D.select_negation(cond, c.arg(2) or D.INV)
        if r is not None:
            return r
    if D.mask_sign(cond) is not None and len(c.args) == 3 and _scaled_copy(c) \
            and isinstance(D.join_strict(c.arg(1) or D.INV, c.arg(2) or D.INV), D.Cov):
        # `where(det(U) < 0, U * mask, U)`: the tested sign multiplies the entries of `U`
        # where the fixed pattern `mask` is -1, a multiplication and no break. Those entries
        # get an extra factor that a charge per axis cannot place; the result keeps `U`'s
        # charge, which errs only where the code pairs it with the unfixed `U` (it misses
        # a dependence then, it never invents one: a square, a Gram `U U^T` or a product
        # `U W V^T` that breaks with `U`'s charge are right for the fixed value too)
        return D.join_strict(c.arg(1) or D.INV, c.arg(2) or D.INV)
    if len(c.args) == 3:
        guarded = _zero_guard(c)
        if guarded is not None:
            return guarded
    return D.where(cond, c.arg(1, "input", "x") or D.INV, c.arg(2, "other", "y") or D.INV,
                   "selects by a gauge-dependent condition")


def _zero_guard(c: Call) -> Optional[Value]:
    """``where(s == 0, 1, s)`` / ``where(s != 0, s, 1)``: zeros of ``s`` are the same in every
    gauge, so the test is invariant and ``s`` keeps its character (the replaced entries are
    the zeros a sign fix by ``s`` could not fix anyway); the replacement must be invariant."""
    m = re.fullmatch(r"\(?\s*(.+?)\s*([=!]=)\s*0(?:\.0*)?\s*\)?", c.texts[0])
    if m is None:
        return None
    key = arg_key(m.group(1))
    keep, repl = (2, 1) if m.group(2) == "==" else (1, 2)
    if key is None or arg_key(c.texts[keep]) != key:
        return None
    kept, other = c.arg(keep), c.arg(repl)
    if not isinstance(other, D.Inv) or not isinstance(kept, D.Cov):
        return None
    return kept


def _scaled_copy(c: Call) -> bool:
    """Is one of ``where``'s branches the other times a gauge-free name (``U * mask`` and
    ``U``)?"""
    if len(c.texts) < 3:
        return False
    ta, tb = bare(c.texts[1]), bare(c.texts[2])
    for x, y, v in ((ta, tb, c.args[1]), (tb, ta, c.args[2])):
        for form in (y + " * ", " * " + y):
            rest = x[len(form):] if x.startswith(form) else (
                x[: -len(form)] if x.endswith(form) else None)
            if rest is not None and rest.isidentifier() and _atomic(y) and D.is_charged(
                    as_value(v)):
                return True
    return False


def _negations(c: Call, i: int, j: int) -> bool:
    """Are positional arguments ``i`` and ``j`` negations of each other (``-y`` and ``y``, or
    non-zero literals ``-a`` and ``a``)?"""
    a, b = c.lit(i), c.lit(j)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
        return a == -b and a != 0  # type: ignore[operator]
    if max(i, j) >= len(c.texts):
        return False
    ta, tb = bare(c.texts[i]), bare(c.texts[j])
    return any(x.startswith("-") and y and (
        x[1:].strip() == "(" + y + ")" or (x[1:].strip() == y and _atomic(y)))
        for x, y in ((ta, tb), (tb, ta)))


def _depths(t: str) -> Iterator[Tuple[str, int]]:
    """Each character of source text with its bracket depth (a bracket counts at the depth
    outside it)."""
    depth = 0
    for ch in t:
        if ch in ")]}":
            depth -= 1
        yield ch, depth
        if ch in "([{":
            depth += 1


def _atomic(t: str) -> bool:
    """No operator outside brackets (``v[:, 0]``, ``x.T``, ``f(a + b)``; not ``a + b``): ``-t``
    then negates all of ``t``."""
    return bool(t) and not any(d == 0 and ch in "+-*/@%<>=&|^~!,: " for ch, d in _depths(t))


def arg_key(text: str) -> Optional[str]:
    """An argument's identity up to its sign, for :class:`~eiglint.domain.Pending` keys: its
    source text without blanks around it, redundant parentheses and a leading minus that
    negates all of it (``-v`` and ``-(v)`` are keyed ``v``; ``-a + b`` stays as it is)."""
    t = bare(text)
    if t.startswith("-"):
        rest = t[1:].strip()
        if _atomic(rest) or (rest.startswith("(") and rest.endswith(")")
                             and _balanced(rest[1:-1])):
            t = bare(rest)
    return t or None


def bare(t: str) -> str:
    """Source text with blanks collapsed and without redundant outer parentheses."""
    t = " ".join(t.split())
    while t.startswith("(") and t.endswith(")") and _balanced(t[1:-1]):
        t = t[1:-1].strip()
    return t


def _balanced(t: str) -> bool:
    """Every bracket closes one opened before it, and all are closed."""
    return all(d >= 0 for _, d in _depths(t)) and \
        sum(ch in "([{" for ch in t) == sum(ch in ")]}" for ch in t)


@op("masked_fill", "masked_fill_", "index_fill", "fill_diagonal_")
def _masked_fill(c: Call) -> Value:
    x = c.x()
    mask = c.arg(1, "mask")
    if mask is not None and D.is_charged(mask):
        return D.order(mask, "masks by a gauge-dependent condition")
    val = c.arg(2, "value")
    if isinstance(val, D.Inv) and val.const == 0:
        return x
    return D.join_strict(x, val or D.INV)


# --------------------------------------------------------------------------- comparisons


@op("allclose", "isclose", "equal", "array_equal", "eq", "ne", "not_equal", "array_equiv",
    "assert_allclose", "assert_close", "assert_array_almost_equal", "assert_almost_equal",
    "assert_array_equal", "assert_equal", "xp_assert_close", "xp_assert_equal",
    "testing_assert_close", "dist",
    "assert_array_almost_equal_nulp", "assert_array_max_ulp", "assertAllClose", "assertEqual")
def _equality(c: Call) -> Value:
    a = c.x()
    b = c.arg(1, "other", "b", "desired", "expected", "x2", "y") or D.INV
    what = "measures a distance" if c.name == "dist" else "compares"
    r = D.compare(a, b, f"{what} values that carry different gauges", equality=True)
    return r


#: metrics of row distances that depend on each coordinate through its modulus (a phase or a
#: sign per column cancels); ``cosine`` is a real dot product: a sign cancels, a phase does not
_COORDINATE_METRICS = frozenset({"euclidean", "sqeuclidean", "cityblock", "minkowski",
                                 "chebyshev", "l1", "l2", "manhattan", "nan_euclidean"})


@op("cdist", "pdist", "pairwise_distance", "pairwise_distances", "euclidean_distances",
    "nan_euclidean_distances", "manhattan_distances")
def _row_distances(c: Call) -> Value:
    """Distances between rows (``cdist``, ``pdist``, sklearn's ``pairwise_distances``):
    invariant when the gauge is on the last axis only (the coordinates, as in a spectral
    embedding ``V[:, :k]``), the same for both operands; a gauge on the rows changes which
    points are compared."""
    metric_pos = {"cdist": 2, "pdist": 1}.get(c.name)
    given = c.has(metric_pos, "metric")
    metric = c.lit(metric_pos, "metric")
    if c.name == "cdist" and isinstance(metric, (int, float)) and not isinstance(metric, bool):
        given = False  # torch.cdist(x1, x2, p): a p-norm
    a = c.x()
    b = None if c.name == "pdist" else c.arg(1, "x2", "Y", "XB", "y")
    ops = [v for v in (a, b) if v is not None]
    if not any(D.is_charged(v) or isinstance(v, D.Broken) for v in ops):
        return D.Inv(is_complex=False)
    detail = "measures distances between points whose coordinates carry different gauges"
    if given and not (isinstance(metric, str) and (metric in _COORDINATE_METRICS or (
            metric == "cosine" and D.value_kind(a) == "sign"))):
        return D.brk("mix", "measures distances with a metric that mixes the coordinates",
                     *ops)
    ref = a if isinstance(a, D.Cov) else b
    if isinstance(ref, D.Cov) and (ref.elem or any(ref.axes[:-1])):
        return D.brk("mix", detail, *ops)
    if b is not None and D.is_charged(a) != D.is_charged(b):
        return D.brk("mix", detail, *ops)
    if b is not None and isinstance(a, D.Cov) and isinstance(b, D.Cov) and \
            a.axes[-1:] != b.axes[-1:]:
        return D.brk("mix", detail, *ops)
    prep, br = D._prep(ops)
    if br is not None:
        return br
    return D.Inv(is_complex=False)


@op("gt", "lt", "ge", "le", "greater", "less", "greater_equal", "less_equal", "maximum",
    "minimum", "fmax", "fmin")
def _ordering_binary(c: Call) -> Value:
    strict = c.name in ("gt", "lt", "ge", "le", "greater", "less", "greater_equal",
                        "less_equal")
    return D.compare(c.x(), c.arg(1, "other", "x2") or D.INV,
                     f"uses `{c.name}`, which depends on the sign",
                     origin=c.origin if strict else None)


@op("argmax", "argmin", "argsort", "sort", "msort", "topk", "kthvalue", "median", "nanmedian",
    "unique", "nonzero", "argwhere", "count_nonzero", "any", "all", "clamp", "clip", "clamp_",
    "clamp_min", "clamp_max", "max", "min", "amax", "amin", "nanmax", "nanmin", "ptp",
    "quantile", "nanquantile", "searchsorted", "bucketize", "histc", "histogram", "mode",
    "percentile", "cummax", "cummin", "logical_not", "logical_and", "logical_or", "heaviside_")
def _ordering(c: Call) -> Value:
    if c.name == "ptp":
        peak = _peak_to_peak(c)
        if peak is not None:
            return peak
    if c.name in ("max", "min") and len(c.args) >= 2 and not _is_int_literal(c.literals[1]):
        return D.compare(c.x(), as_value(c.args[1]),
                         f"uses `{c.name}`, which depends on the sign")
    x = c.x()
    detail = f"uses `{c.name}`, which depends on the sign or phase"
    if c.name in _EXTREME_NAMES:
        given, dims = c.dims(1, "dim", "axis")
        if not given or dims is not None:
            keep = c.flag(None, "keepdim", "keepdims")
            return D.extreme(x, _EXTREME_NAMES[c.name], dims, keep, c.origin, detail,
                             key=c.key(0))
    if c.name in _INDEX_ARRAYS:
        # an array of positions (as long as the sorted axis, at least one-dimensional):
        # indexing the eigen-axis with it permutes or selects columns, it is not one column
        nd = getattr(x, "ndim", None)
        return D.order(x, detail, ndim=nd if nd is not None else 1)
    return D.order(x, detail)


def _peak_to_peak(c: Call) -> Optional[Value]:
    """``ptp(x, axis)`` of a sign-carrying ``x``: ``max(-x) - min(-x) = max(x) - min(x)``, so
    over axes that carry no sign it is even, like ``std``; over the eigen-axis it mixes columns
    of different signs. Complex values (a phase) are ordered lexicographically: no rule."""
    x = c.x()
    if not isinstance(x, D.Cov) or x.has_phase():
        return None
    given, dims = c.dims(1, "axis")
    if given and dims is None:
        return None
    return D.reduce(x, dims, c.flag(None, "keepdims"), "var",
                    "takes `ptp` over the eigen-index, mixing entries with unpaired gauges")


#: orderings whose result indexes an axis as an array (never a scalar position)
_INDEX_ARRAYS = frozenset({"argsort"})


_EXTREME_NAMES = {"max": "max", "amax": "max", "nanmax": "max", "min": "min", "amin": "min",
                  "nanmin": "min"}


def _is_int_literal(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# --------------------------------------------------------------------------- reductions


def _reduce(kind: str, dim_names: Tuple[str, ...] = ("dim", "axis")) -> Handler:
    def h(c: Call) -> Value:
        given, dims = c.dims(1, *dim_names)
        keep = c.flag(None, "keepdim", "keepdims")
        x = c.x()
        if given and dims is None:
            return _unknown_layout(c, "reduces over an axis that is not literal")
        if kind == "prod" and (dims is None or dims in ((0,), (-1,))):
            chain = _chain_product(x)
            if chain is not None:
                return chain
        return D.reduce(x, dims, keep, kind,
                        f"takes `{c.name}` over the eigen-index, mixing entries with unpaired "
                        "gauges",
                        count_key=f"{_length_key(c.texts[0])}|{dims}"
                        if kind == "prod" and c.texts else None)
    return h


def _chain_product(x: Value) -> Optional[Value]:
    """The product of a collection of overlaps of per-item states (``prod`` of
    ``vdot(states[i], states[(i + 1) % n])`` over ``i``), by the index arithmetic of its
    reads: invariant around a closed loop, the end states' gauges along an open chain."""
    if not isinstance(x, D.Cov) or x.ndim > 1:
        return None
    out = D.telescope(x)
    if isinstance(out, D.Cov):
        # the stacked links' axis is the one multiplied out: what is left is a scalar
        left: Dict[D.Key, int] = dict(out.residual)
        for (src, m, tok), e in out.axes[0] if out.axes else ():
            key = (src, m, tok[5:] if tok.startswith("coll:") else tok)
            left[key] = left.get(key, 0) + e
        return replace(out, axes=(), residual=D.norm_charge(left))
    return D.Inv(ndim=0) if out is not None else None


_SAME_LENGTH_SUFFIXES = (".conj()", ".conj_physical()", ".clone()", ".detach()",
                         ".contiguous()", ".resolve_conj()")
_SAME_LENGTH_WRAPPERS = ("torch.conj(", "np.conj(", "np.conjugate(", "numpy.conj(",
                         "jnp.conj(", "torch.conj_physical(")


def _length_key(text: str) -> str:
    """An operand's text with operations that keep its shape removed (sign, conjugation,
    copies): ``-V.conj()`` and ``V`` have the same length along every axis."""
    t = arg_key(text) or ""
    changed = True
    while changed:
        changed = False
        for suf in _SAME_LENGTH_SUFFIXES:
            if t.endswith(suf):
                t, changed = arg_key(t[: -len(suf)]) or "", True
        for w in _SAME_LENGTH_WRAPPERS:
            if t.startswith(w) and t.endswith(")") and _balanced(t[len(w):-1]):
                t, changed = arg_key(t[len(w):-1]) or "", True
    return t


for _n in ("sum", "nansum", "mean", "nanmean", "average", "trapz", "trapezoid", "logsumexp_lin"):
    TABLE[_n] = _reduce("sum")
TABLE["prod"] = _reduce("prod")
for _n in ("std", "var", "nanstd", "nanvar", "std_mean", "var_mean"):
    TABLE[_n] = _reduce("var")
for _n in ("cumsum", "cumprod", "cumulative_sum", "diff"):
    TABLE[_n] = _reduce("cum")
TABLE["logsumexp"] = _reduce("max")


@op("norm", "vector_norm", "matrix_norm", "frobenius_norm", "nuclear_norm", "cond")
def _norm(c: Call) -> Value:
    """Norms reduce the given axes (all of them by default; the last two for matrix norms).
    Entrywise norms (vector p-norms, Frobenius, induced 1/inf norms) only see moduli: invariant
    along any axes. Spectral ones (ord 2, -2, 'nuc', ``cond``) are invariant under ``D1 M D2``
    only: a layout-lost or batch-charged operand is not followed."""
    x = c.x()
    ops, br = D._prep([x])
    if br is not None:
        return br
    v = ops[0]
    order = c.lit(1, "ord", "p")
    matrix = c.name in ("matrix_norm", "nuclear_norm", "cond")
    spectral = c.name in ("nuclear_norm", "cond") or (
        c.name in ("norm", "matrix_norm") and order in (2, -2, "nuc"))
    keep = c.flag(None if c.name == "cond" else 3, "keepdim", "keepdims")
    given, dims = (False, None) if c.name == "cond" else c.dims(2, "dim", "axis")
    if given and dims is None:
        return D.Inv(is_complex=False)  # axes not literal: invariant, rank unknown
    if dims is None and matrix:
        dims = (-2, -1)
    if dims is not None and len(dims) == 1:
        spectral = False  # `x.norm(p=2, dim=0)`, `norm(x, 2, axis=0)`: a vector 2-norm
    nd = D.ndim_of(v)
    if spectral and isinstance(v, D.Cov):
        trailing = dims is None or (len(dims) == 2 and {d % v.ndim for d in dims} == {
            v.ndim - 2, v.ndim - 1})
        if not trailing or v.ndim < 2:
            return D.unknown(v)
        out = D.singular_invariant(v, 0 if keep else 2)
        return out if dims is not None or keep else D.Inv(ndim=0, is_complex=False)
    if isinstance(v, D.Inv) and nd is None:
        return D.Inv(ndim=0 if dims is None and not keep and not matrix else None,
                     is_complex=False)
    return D.reduce(v, dims, keep, "norm", "takes a norm")


@op("normalize")
def _normalize(c: Call) -> Value:
    # x / ||x|| along an axis: keeps the charge (the norm is invariant)
    x = c.x()
    if isinstance(x, D.Cov):
        return replace(x, diagonal=False, frame=False)
    ops, br = D._prep([x])
    return br if br is not None else x


@op("fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "dct", "idct", "dst", "idst")
def _fft(c: Call) -> Value:
    given, dims = c.dims(2, "dim", "axis")
    if given and dims is None:
        return _unknown_layout(c, "transforms along an axis that is not literal")
    return D.reduce(c.x(), dims or (-1,), True, "cum",
                    f"applies `{c.name}` along the eigen-index, mixing entries with unpaired "
                    "gauges")


# --------------------------------------------------------------------------- products


@op("matmul", "mm", "bmm", "mv", "dot_general_matmul")
def _matmul(c: Call) -> Value:
    return D.matmul(c.x(), c.arg(1, "other", "mat2", "vec", "x2", "b") or D.INV)


@op("corrcoef", "cov")
def _corrcoef(c: Call) -> Value:
    """``np.corrcoef(X)`` / ``np.cov(X)`` (rows are variables) and ``np.corrcoef(x, y)``: a Gram
    matrix of the centred rows, ``X Xc^H`` up to invariant scalings, so row ``i`` and column
    ``j`` carry the charges of rows ``i`` and ``j``; the rows of ``x`` and ``y`` must share
    theirs."""
    x = c.x()
    if c.lit(None, "rowvar", default=True) is False and D.ndim_of(x) == 2:
        x = D.transpose(x, -2, -1)
    rows = x
    if c.has(1, "y"):
        y = c.arg(1, "y") or D.INV
        if c.lit(None, "rowvar", default=True) is False and D.ndim_of(y) == 2:
            y = D.transpose(y, -2, -1)
        nx, ny = D.ndim_of(x), D.ndim_of(y)
        if nx == 2 and ny in (1, 2):
            # the rows of y are more variables: `corrcoef(sources, ref)[-1, :k]` correlates
            # each (signed) component with the reference
            rows = D.cat([x, D.unsqueeze(y, 0) if ny == 1 else y], 0)
        elif nx != 1 or ny != 1:
            return D.unknown(x, y) if D.is_charged(x) or D.is_charged(y) else D.Inv(ndim=2)
        elif D.is_charged(x) or D.is_charged(y):
            if not (isinstance(x, D.Cov) and isinstance(y, D.Cov) and x == y or (
                    isinstance(x, D.Cov) and isinstance(y, D.Cov)
                    and x.all_charges() == y.all_charges())):
                return correlation(x, y)
            rows = D.join_strict(x, y)
        else:
            rows = D.join_strict(x, y)
    if isinstance(rows, D.Cov):
        rows = replace(rows, frame=False)  # centred rows of an orthonormal frame are not one
    nd = D.ndim_of(rows)
    if nd == 1:
        g = D.matmul(rows, D.conj(rows))
    elif nd == 2:
        g = D.matmul(rows, D.conj(D.transpose(rows, -2, -1)))
    else:
        return D.unknown(rows) if D.is_charged(rows) else D.Inv()
    return D.Inv(ndim=2, is_complex=False) if isinstance(g, D.Inv) else g


def correlation(x: Value, y: Value) -> Value:
    """``corrcoef(x, y)`` of two vectors with different gauges. Entries of one vector that
    carry different gauges (a row of the eigenvector matrix) are mixed by the centring: broken.
    Vectors that each carry one gauge character (a component ``s`` of a loop over components,
    ``V[:, j]``) give a matrix whose off-diagonal entries carry the product of the two
    characters (``x_i`` with ``conj(y_j)``), kept per entry: a signed correlation with a
    reference picks the component's sign up."""
    ops, br = D._prep([x, y])
    if br is not None:
        return br
    a, b = ops
    if any(isinstance(v, D.Cov) and (any(v.axes) or v.elem) for v in (a, b)):
        return D.brk("mix", "correlates entries that carry different gauges", a, b)
    ca = a.residual if isinstance(a, D.Cov) else ()
    cb = b.residual if isinstance(b, D.Cov) else ()
    steps = a.steps if isinstance(a, D.Cov) else (b.steps if isinstance(b, D.Cov) else ())
    return D.make_cov(((), ()), (), D.add_charges(ca, cb, scale=-1), False, 1, steps)


@op("dot", "inner")
def _dot(c: Call) -> Value:
    a, b = c.x(), c.arg(1, "other", "tensor", "b") or D.INV
    if isinstance(a, D.Inv) and isinstance(b, D.Inv):
        return D.Inv()
    if c.name == "inner" or (isinstance(a, D.Cov) and a.ndim == 1) or \
            (isinstance(b, D.Cov) and b.ndim == 1):
        prod = D.mul(a, b)
        return D.reduce(prod, (-1,), False, "sum",
                        "sums over an axis whose gauges are unpaired")
    return D.matmul(a, b)


@op("vdot")
def _vdot(c: Call) -> Value:
    prod = D.mul(D.conj(c.x()), c.arg(1, "other", "b") or D.INV)
    return D.reduce(D.reshape(prod, "vdot"), None, False, "sum",
                    "sums entries whose gauges are unpaired")


@op("outer", "ger")
def _outer(c: Call) -> Value:
    a = D.unsqueeze(c.x(), -1)
    b = D.unsqueeze(c.arg(1, "vec2", "b") or D.INV, -2)
    return D.mul(a, b)


@op("cosine_similarity")
def _cosine(c: Call) -> Value:
    given, dims = c.dims(2, "dim", "axis")
    prod = D.mul(c.x(), c.arg(1, "x2") or D.INV)
    return D.reduce(prod, dims or (1,), False, "sum",
                    "sums over an axis whose gauges are unpaired")


@op("linear")
def _linear(c: Call) -> Value:
    w = c.arg(1, "weight") or D.INV
    out = D.matmul(c.x(), D.transpose(w, -2, -1),
                   "applies a linear layer over the eigen-index")
    b = c.arg(2, "bias")
    if b is not None:
        out = D.add(out, b)
    return out


@op("einsum")
def _einsum(c: Call) -> Value:
    spec = c.lit(0, "equation", "subscripts")
    if not isinstance(spec, str):
        ops = [as_value(v) for v in c.args[1:]]
        if any(D.is_charged(v) for v in ops):
            return D.Broken(D.value_kind(next(v for v in ops if D.is_charged(v))))
        return D.Inv()
    operands = [as_value(v) for v in c.args[1:]]
    if len(operands) == 1 and isinstance(operands[0], D.Inv) and "," in spec:
        return D.Inv()
    return D.einsum(spec, operands)


@op("kron")
def _kron(c: Call) -> Value:
    a, b = c.x(), c.arg(1, "other", "b") or D.INV
    if isinstance(a, D.Inv) and isinstance(b, D.Inv):
        return D.Inv()
    ops, br = D._prep([a, b])
    if br is not None:
        return br
    if (isinstance(a, D.Cov) and isinstance(b, D.Inv)) or (
            isinstance(b, D.Cov) and isinstance(a, D.Inv)):
        cov = a if isinstance(a, D.Cov) else b
        assert isinstance(cov, D.Cov)
        return D.reshape(cov, "kron", cov.ndim)
    return D.reshape(D.mul(a, b), "kron", 2)


# --------------------------------------------------------------------------- linear algebra


@op("orthogonal_procrustes")
def _orthogonal_procrustes(c: Call) -> Abs:
    """``R, scale = orthogonal_procrustes(A, B)``: ``R = U Vt`` from ``svd(A^H B)``. With a gauge
    on the columns of ``A`` (``A D``) and of ``B`` (``B E``), ``A^H B`` is ``D^H (A^H B) E``, its
    SVD's ``U`` takes ``D^H`` on its rows and ``Vt`` takes ``E`` on its columns, so ``R`` carries
    exactly the charge of ``A^H B`` (and ``A @ R`` is aligned: invariant when ``B`` is); the
    scale (the sum of the singular values) carries none. Rows of ``A`` and ``B`` that carry
    gauges ``A^H B`` does not pair break it, as they break the product."""
    a = c.x()
    b = c.arg(1, "B", "b") or D.INV
    # both are matrices
    a = replace(a, ndim=2) if isinstance(a, D.Inv) and a.ndim is None else a
    b = replace(b, ndim=2) if isinstance(b, D.Inv) and b.ndim is None else b
    r = D.matmul(D.transpose(D.conj(a)), b, "aligns values whose rows carry unpaired gauges")
    if isinstance(r, D.Inv):
        r = D.Inv(ndim=2)
    elif isinstance(r, D.Cov):
        r = replace(r, diagonal=False, frame=False, polarity=1)
    scale: Value = D.Inv(ndim=0, is_complex=False)
    if isinstance(r, D.Broken):
        scale = r.silent()
    return Seq((r, scale), names=("R", "scale"))


@op("inv", "pinv", "inverse", "pinverse", "inv_ex")
def _inv(c: Call) -> Value:
    return D.inv(c.x())


@op("solve", "solve_triangular", "cho_solve", "lu_solve", "solve_ex")
def _solve(c: Call) -> Value:
    return D.solve(c.x(), c.arg(1, "B", "b", "other") or D.INV)


@op("det")
def _det(c: Call) -> Value:
    return D.det(c.x())


@op("slogdet")
def _slogdet(c: Call) -> Abs:
    d = D.det(c.x())
    return Seq((d, D.Inv(is_complex=False)), names=("sign", "logabsdet"))


@op("logdet")
def _logdet(c: Call) -> Value:
    x = c.x()
    d = D.det(x)
    if isinstance(d, D.Cov):
        return D.brk("nonlinear", "takes the log of a determinant that carries a gauge", x)
    return d


@op("diag", "diagflat")
def _diag(c: Call) -> Value:
    off = c.lit(1, "diagonal", "k", default=0)
    return D.diag(c.x(), off if isinstance(off, int) else 0)


@op("diag_embed")
def _diag_embed(c: Call) -> Value:
    return D.diag_embed(c.x())


@op("diagonal")
def _diagonal(c: Call) -> Value:
    off = c.lit(1, "offset", default=0)
    d1 = c.lit(2, "dim1", "axis1", default=None)
    d2 = c.lit(3, "dim2", "axis2", default=None)
    x = c.x()
    if d1 is None and d2 is None:
        # torch: dims 0, 1 by default; numpy too
        d1, d2 = 0, 1
    return D.diagonal(x, off if isinstance(off, int) else 0,
                      d1 if isinstance(d1, int) else 0, d2 if isinstance(d2, int) else 1)


@op("trace")
def _trace(c: Call) -> Value:
    return D.trace(c.x())


@op("matrix_exp", "expm", "logm", "sqrtm", "funm", "matrix_power", "signm", "cosm", "sinm",
    "tanm", "coshm", "sinhm", "tanhm", "fractional_matrix_power")
def _matrix_function(c: Call) -> Value:
    x = c.x()
    ops, br = D._prep([x])
    if br is not None:
        return br
    v = ops[0]
    if isinstance(v, D.Inv):
        return D.Inv(ndim=v.ndim, is_complex=v.is_complex)
    assert isinstance(v, D.Cov)
    if v.ndim >= 2 and D.add_charges(v.axes[-2], v.axes[-1]) == () and not v.elem \
            and not any(v.axes[:-2]) and not v.residual:
        return replace(v, diagonal=False, frame=False)  # f(D^H M D) = D^H f(M) D
    return D.brk("mix", f"applies the matrix function `{c.name}` to a matrix whose gauge is "
                 "not a similarity", v)


#: how many trailing axes a spectral function removes (None: not known)
_SPECTRAL_DROP: Dict[str, Optional[int]] = {
    "eigvals": 1, "eigvalsh": 1, "spectral_radius": 2, "svdvals": 1, "matrix_rank": 2,
    "opnorm": 2,
}


@op("eigvals", "eigvalsh", "eigvals_banded", "eigvalsh_tridiagonal", "spectral_radius")
def _eigvals(c: Call) -> Value:
    return D.similarity_invariant(c.x(), "takes eigenvalues of a matrix whose gauge is not a "
                                  "similarity", drop=_SPECTRAL_DROP.get(c.name))


@op("svdvals", "matrix_rank", "rank_svd", "opnorm")
def _svdvals(c: Call) -> Value:
    return D.singular_invariant(c.x(), drop=_SPECTRAL_DROP.get(c.name))


@op("qr")
def _qr(c: Call) -> Abs:
    """QR of a matrix that may carry a gauge (``A -> E A D``), a factorisation of its own
    whose factors follow from Householder's conventions (checked with NumPy, SciPy and torch):
    ``E A = (E Q) R``, so ``Q``'s rows carry ``A``'s rows; for a phase ``A D = (Q D)(D^H R
    D)`` (up to a sign per column that the data choose), so ``Q``'s columns carry the phase
    and ``R`` carries it conjugated on its rows and on its columns (``diag(R)`` invariant); a
    real sign of the columns leaves ``Q`` unchanged and lands on ``R``'s columns alone (``R
    D``). ``Q @ R`` is ``A`` again either way. With column pivoting the columns are reordered
    by their norms: charged columns land in an index space eiglint does not track, so the
    factors are no longer followed. ``mode='r'`` (NumPy) returns ``R`` alone; ``'raw'`` the
    Householder reflectors (not followed when charged)."""
    a = c.x()
    mode = c.lit(None, "mode")
    if mode is None and len(c.literals) > 1 and isinstance(c.literals[1], str):
        mode = c.literals[1]  # numpy / torch: qr(a, "r")
    q: Value
    r: Value
    ops, br = D._prep([a])
    a = ops[0]
    if br is not None:
        q = r = br
    elif not isinstance(a, D.Cov):
        q = r = D.Inv(ndim=2, is_complex=a.is_complex if isinstance(a, D.Inv) else None)
    elif a.ndim < 2 or a.elem or mode == "raw" or (c.flag(None, "pivoting") and a.axes[-1]):
        q = r = D.unknown(a)
    else:
        rows, cols = a.axes[-2], a.axes[-1]
        phases = tuple((k, e) for k, e in cols if k[1] == D.PHASE)
        q = D.make_cov((*a.axes[:-2], rows, phases), a.residual, (), False, a.polarity,
                       a.steps)
        r = D.make_cov((*(() for _ in a.axes[:-2]), D.neg_charge(phases), cols), (), (),
                       False, 1, a.steps)
    if mode == "r":
        return r
    names: Tuple[str, ...] = ("Q", "R")
    items: Tuple[Abs, ...] = (q, r)
    if c.flag(None, "pivoting"):
        names, items = ("Q", "R", "P"), (q, r, D.Inv(ndim=1, is_complex=False))
    return Seq(items, names=names)


@op("lstsq")
def _lstsq(c: Call) -> Abs:
    sol = D.solve(c.x(), c.arg(1, "B", "b") or D.INV)
    return Seq((sol, D.Inv(), D.Inv(), D.Inv()),
                 names=("solution", "residuals", "rank", "singular_values"))


# --------------------------------------------------------------------------- shapes


@op("cat", "concatenate", "concat", "hstack", "vstack", "column_stack", "row_stack", "stack",
    "dstack", "block_diag_stack")
def _cat(c: Call) -> Value:
    seq = c.raw(0, "tensors", "arrays") or D.INV
    items: Optional[List[Value]] = None
    if isinstance(seq, Seq):
        items = [as_value(v) for v in seq.items]
    elif isinstance(seq, Coll):
        elem = _as_value(seq.elem)
        if isinstance(elem, D.Cov) and elem.residual:
            # the elements of a collection are different columns (`[V[:, j] for j in ...]`):
            # their one-column phases line up along the joined axis
            return _cat_columns(c, elem)
        items = [elem, elem]
    if items is None:
        return _unknown_layout(c, "concatenates values eiglint cannot list")
    items = [as_value(v) for v in items]
    axis_default = {"vstack": 0, "row_stack": 0, "hstack": -1, "column_stack": -1,
                    "dstack": -1}.get(c.name, 0)
    ax = c.lit(1, "dim", "axis", default=axis_default)
    if not isinstance(ax, int):
        if any(D.is_charged(v) for v in items):
            return D.Broken(D.value_kind(next(v for v in items if D.is_charged(v))))
        return D.Inv()
    if c.name == "hstack":
        # hstack joins 1-D arrays along axis 0 and others along axis 1
        nd = [D.ndim_of(v) for v in items]
        if all(n == 1 for n in nd if n is not None):
            ax = 0
        else:
            ax = 1
    vals = [_as_value(v) for v in items]
    if c.name in ("vstack", "row_stack", "column_stack"):
        # 1-D arrays become the rows (vstack) or the columns (column_stack) of a matrix
        nd = [D.ndim_of(v) for v in vals]
        if nd and all(n == 1 for n in nd):
            return D.cat(vals, 0 if c.name != "column_stack" else 1, stack=True)
        if any(n is None for n in nd) and not any(D.is_charged(v) for v in vals):
            return D.Inv(is_complex=True if any(
                isinstance(v, D.Inv) and v.is_complex for v in vals) else None)
    return D.cat(vals, ax, stack=c.name == "stack")


def _cat_columns(c: Call, elem: D.Cov) -> Value:
    ax = c.lit(1, "dim", "axis", default=0)
    if not isinstance(ax, int):
        return D.Broken(elem.kind())
    stacked = c.name in ("stack", "column_stack") or (c.name == "hstack" and elem.ndim == 1)
    n = len(elem.axes) + (1 if stacked else 0)
    i = ax + n if ax < 0 else ax
    if c.name == "column_stack":
        i = n - 1
    return _stacked(elem, i, stacked) or D.Broken(elem.kind())


def _stacked(elem: D.Cov, i: int, stacked: bool) -> Optional[Value]:
    """The elements of a collection joined at axis ``i`` (a new axis when ``stacked``): their
    one-column phases (the residual) line up along that axis. None for an axis out of range."""
    axes = list(elem.axes)
    n = len(axes) + (1 if stacked else 0)
    if not 0 <= i < n:
        return None
    moved = D.retoken_charge(elem.residual, D.TokenFn("coll:{}"))
    if stacked:
        axes.insert(i, moved)
    else:
        axes[i] = D.add_charges(axes[i], moved)
    return D.make_cov(axes, (), elem.elem, False, 1, elem.steps)


def _as_value(v: object) -> Value:
    if isinstance(v, (D.Inv, D.Cov, D.Pending, D.Broken)):
        return v
    return D.Inv()


@op("roll")
def _roll(c: Call) -> Value:
    """A cyclic shift along each given axis: a permutation of that axis that depends on the
    shift (labelled by its text: only equal shifts line up). Without axes the flattened array
    is shifted: the layout is lost."""
    x = c.x()
    given, dims = c.dims(2, "dims", "axis")
    shift = c.lit(1, "shifts", "shift")
    shift_text = (c.texts[1] if len(c.texts) > 1 else c.kw_text("shifts") or c.kw_text("shift"))
    if not given:
        return D.reshape(x, f"roll@{c.expr}", D.ndim_of(x)) if isinstance(x, D.Cov) else x
    if dims is None:
        return _unknown_layout(c, "rolls along an axis that is not literal")
    if isinstance(shift, tuple) and len(shift) == len(dims):
        shifts = [str(v) for v in shift]
    elif len(dims) == 1:
        shifts = ["".join(shift_text.split())]
    else:
        return _unknown_layout(c, "rolls by shifts eiglint cannot pair with the axes")
    out = x
    for d, sh in zip(dims, shifts):
        out = D.flip(out, (d,), f"roll[{sh}]")
    return out


@op("flip", "fliplr", "flipud", "rot90")
def _flip(c: Call) -> Value:
    x = c.x()
    if c.name == "fliplr":
        return D.flip(x, (1,) if not isinstance(x, D.Cov) or x.ndim >= 2 else (0,))
    if c.name == "flipud":
        return D.flip(x, (0,))
    if c.name == "rot90":
        return D.reshape(x, "rot90", D.ndim_of(x))
    given, dims = c.dims(1, "dims", "axis", "dim")
    if dims is None:
        if isinstance(x, D.Cov):
            dims = tuple(range(x.ndim))
        else:
            return x
    return D.flip(x, dims, c.name)


@op("reshape", "view", "flatten", "ravel", "view_as", "reshape_as", "unflatten", "repeat",
    "tile", "expand", "expand_as", "broadcast_to", "repeat_interleave", "narrow_copy",
    "flatten_", "resize", "resize_")
def _reshape(c: Call) -> Value:
    x = c.x()
    if c.name in ("expand", "expand_as", "broadcast_to"):
        return x  # broadcasting adds leading axes; charges stay per element
    if c.name in ("repeat", "tile") and isinstance(x, D.Cov) and not any(x.axes):
        return x
    nd: Optional[int] = None
    if c.name in ("flatten", "ravel"):
        nd = 1 if not c.has(1, "start_dim") else None
    elif c.name in ("reshape", "view"):
        shape = c.literals[1:] if len(c.literals) > 2 else c.lit(1, "shape", "newshape")
        if isinstance(shape, tuple):
            nd = len(shape)
        elif isinstance(shape, list):
            nd = len(shape)
        elif isinstance(shape, int):
            nd = 1
    return D.reshape(x, f"{c.name}@{c.expr}", nd)


@op("squeeze")
def _squeeze(c: Call) -> Value:
    ax = c.lit(1, "dim", "axis")
    return D.squeeze(c.x(), ax if isinstance(ax, int) else None)


@op("unsqueeze", "expand_dims")
def _unsqueeze(c: Call) -> Value:
    ax = c.lit(1, "dim", "axis")
    if not isinstance(ax, int):
        return _unknown_layout(c, "adds an axis that is not literal")
    return D.unsqueeze(c.x(), ax)


@op("index_select", "take_along_dim", "take_along_axis", "gather", "take")
def _gather(c: Call) -> Value:
    x = c.x()
    idx_pos = 2 if c.name in ("index_select", "gather") else 1
    idx = c.arg(idx_pos, "index", "indices")
    if idx is not None and D.is_charged(idx):
        return D.order(idx, "selects by gauge-dependent indices")
    given, dims = c.dims(1 if c.name in ("index_select", "gather") else 2, "dim", "axis")
    if dims is None or not isinstance(x, D.Cov):
        return D.reshape(x, f"{c.name}@{c.expr}") if isinstance(x, D.Cov) else x
    items = []
    for i in range(x.ndim):
        items.append(Index("fancy", c.texts[idx_pos] if idx_pos < len(c.texts) else "?")
                     if i == dims[0] % x.ndim else Index("slice"))
    # one advanced index keeps its axis in place (the domain follows NumPy's placement rule)
    return D.index(x, items)


@op("chunk", "split", "unbind", "tensor_split", "array_split", "hsplit", "vsplit")
def _split(c: Call) -> Abs:
    """The pieces along one axis, as a collection. ``unbind`` drops the axis: each piece is one
    eigen-column (its key says "each", and iteration gives every piece its own)."""
    x = c.x()
    given, dims = c.dims(2 if c.name != "unbind" else 1, "dim", "axis")
    if not isinstance(x, D.Cov):
        return Coll(x)
    ax = (dims[0] if dims else 0) % x.ndim
    items = [Index("slice")] * x.ndim
    if c.name == "unbind":
        items[ax] = Index("int", f"{EACH}{c.expr}")
    else:
        items[ax] = Index("slice", f"{c.name}{c.expr}")
    return Coll(D.index(x, items))


#: marks the key of "one element of a collection of columns" (see ``_split``)
EACH = "each@"


@op("triu", "tril")
def _tri(c: Call) -> Value:
    x = c.x()
    return replace(x, diagonal=False, frame=False) if isinstance(x, D.Cov) else x


@op("eye", "identity")
def _eye(c: Call) -> Value:
    return D.Inv(ndim=2, diagonal=True)


@op("zeros", "zeros_like", "zero_")
def _zeros(c: Call) -> Value:
    # a zero matrix is (trivially) diagonal; `x.zero_()` keeps x's rank
    return D.Inv(const=0j, diagonal=True, ndim=D.ndim_of(c.x()) if c.name == "zero_" else None)


@op("ones", "ones_like", "full", "empty", "arange", "linspace", "logspace", "empty_like")
def _constructor(c: Call) -> Value:
    # a range of numbers is one-dimensional whatever its bounds
    return D.Inv(ndim=1 if c.name in ("arange", "linspace", "logspace") else None)


@op("fill_")
def _fill(c: Call) -> Value:
    """``x.fill_(value)``: every entry is the value (a gauge-carrying scalar keeps its gauge)."""
    v = c.arg(1, "value")
    x = c.x()
    return D.mul(D.Inv(ndim=D.ndim_of(x)), v) if v is not None and D.is_charged(v) else D.Inv(
        ndim=D.ndim_of(x))


def _pad_befores(text: str, ndim: int) -> List[Optional[str]]:
    """Per axis (left to right), the source text of the amount a pad spec adds BEFORE the
    existing entries (``"0"`` keeps their positions), None where it cannot be told. A flat
    tuple is read both ways (torch: pairs from the last axis; NumPy's ``(before, after)``:
    every axis) and an axis counts as shifted if either reading shifts it."""
    out: List[Optional[str]] = [None] * ndim
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return out
    if not isinstance(node, (ast.Tuple, ast.List)):
        return out
    elts = node.elts
    if all(isinstance(e, (ast.Tuple, ast.List)) and e.elts for e in elts) and len(elts) == ndim:
        return [ast.unparse(e.elts[0]) for e in elts]  # type: ignore[attr-defined]
    if any(isinstance(e, (ast.Tuple, ast.List, ast.Starred)) for e in elts):
        return out
    texts = [ast.unparse(e) for e in elts]
    for i in range(len(texts) // 2):
        if i < ndim:
            out[ndim - 1 - i] = texts[2 * i]
    for i in range(ndim - len(texts) // 2):
        out[i] = "0"
    if len(texts) == 2:  # NumPy's (before, after) pads every axis
        out = [texts[0]] * ndim
    return out


@op("pad")
def _pad(c: Call) -> Value:
    """``pad(x, spec, mode, value)``: constant padding with zeros (or NaN, which a sign or a
    phase leaves alone) keeps every entry's gauge; an axis padded before its entries shifts
    their positions (a new alignment). Other fill values or modes copy or invent entries on a
    gauge-carrying axis: not followed."""
    x = c.x()
    if not isinstance(x, D.Cov):
        return x if isinstance(x, D.Inv) else D.unknown(x)
    mode = c.lit(2, "mode", default="constant")
    fill = c.kw_text("value") or c.kw_text("constant_values") or (
        c.texts[3] if len(c.texts) > 3 else "0")
    zero_fill = fill.strip() in ("0", "0.0", "0.", "None") or "nan" in fill.lower()
    spec = c.texts[1] if len(c.texts) > 1 else c.kw_text("pad") or c.kw_text("pad_width")
    befores = _pad_befores(spec, x.ndim)
    axes: List[D.Charge] = []
    for ch, before in zip(x.axes, befores):
        if ch and (mode != "constant" or not zero_fill):
            return _unknown_layout(c, "pads a gauge-carrying axis with invented entries")
        if ch and (before is None or before.strip() != "0"):
            ch = D.retoken_charge(ch, D.TokenFn("{}+pad[" + (before or "?") + "]"))
        axes.append(ch)
    if not zero_fill and (x.residual or x.elem):
        return _unknown_layout(c, "pads a gauge-carrying value with invented entries")
    return D.make_cov(axes, x.residual, x.elem, False, x.polarity, x.steps)


@op("tensordot")
def _tensordot(c: Call) -> Value:
    a, b = c.x(), c.arg(1, "b", "other") or D.INV
    axes = c.lit(2, "axes", "dims", default=2)
    if isinstance(a, D.Inv) and isinstance(b, D.Inv):
        return D.Inv()
    na, nb = D.ndim_of(a), D.ndim_of(b)
    if isinstance(axes, int):
        n_c = axes
        pairs_spec: Optional[Tuple[Tuple[int, ...], Tuple[int, ...]]] = None
    elif isinstance(axes, tuple) and len(axes) == 2:
        xa, xb = axes
        xa = (xa,) if isinstance(xa, int) else xa
        xb = (xb,) if isinstance(xb, int) else xb
        if not (isinstance(xa, tuple) and isinstance(xb, tuple) and len(xa) == len(xb)
                and all(isinstance(i, int) for i in (*xa, *xb))):
            return _unknown_layout(c, "contracts axes eiglint cannot place")
        n_c, pairs_spec = len(xa), (xa, xb)
    else:
        return _unknown_layout(c, "contracts axes eiglint cannot place")
    # a gauge-free operand of unknown rank: assume it has just the contracted axes, which
    # decides whether a charged axis is contracted with a gauge-free one (a break whatever
    # the rank); where its other axes land is not known, so a covariant result is not followed
    guessed = (na is None and isinstance(a, D.Inv)) or (nb is None and isinstance(b, D.Inv))
    if na is None and isinstance(a, D.Inv):
        na = max([n_c] + [i + 1 for i in (pairs_spec[0] if pairs_spec else ()) if i >= 0])
    b_guessed = nb is None and isinstance(b, D.Inv)
    if b_guessed:
        nb = max([n_c] + [j + 1 for j in (pairs_spec[1] if pairs_spec else ()) if j >= 0])
    if na is None or nb is None or na > 8 or nb > 8:
        return _unknown_layout(c, "contracts axes eiglint cannot place")
    letters = "abcdefghijklmnopqrstuvwxyz"
    la, lb = list(letters[:na]), list(letters[na:na + nb])
    if pairs_spec is None:
        pairs = list(zip(range(na - n_c, na), range(n_c)))
    else:
        pairs = list(zip(*pairs_spec))
    for i, j in pairs:
        if not (isinstance(i, int) and isinstance(j, int)):
            return _unknown_layout(c, "contracts axes eiglint cannot place")
        lb[j % nb] = la[i % na]
    contracted = {la[i % na] for i, _ in pairs}
    out = "".join(ch for ch in la + lb if ch not in contracted)
    r = D.einsum(f"{''.join(la)},{''.join(lb)}->{out}", [a, b])
    if b_guessed and isinstance(r, D.Cov) and any(r.axes):
        # `b` may have free axes after the guessed ones: where the charged axes sit, counted
        # from the right, is not known; each entry keeps its charge (the layout is lost)
        return D.reshape(r, "tensordot:" + c.expr)
    if guessed and isinstance(r, D.Cov):
        return D.unknown(a, b)
    return r


@op("backward")
def _backward(c: Call) -> Value:
    x = c.x()
    if isinstance(x, D.Cov):
        return D.brk("loss", "runs a backward pass through a value that still carries the gauge", x)
    ops, br = D._prep([x])
    return br if br is not None else D.Inv()


def lookup(name: str) -> Optional[Handler]:
    return TABLE.get(name)


# --------------------------------------------------------------------------- BLAS level 1
# scipy.linalg.blas wrappers (and what `get_blas_funcs` returns), on vectors: s/d real,
# c/z complex. `?dotc` conjugates its first argument, `?dot`/`?dotu` do not.


def _blas_vec(c: Call, i: int, *names: str) -> Value:
    return c.arg(i, *names) or D.INV


def _blas_dot(conj_first: bool) -> Handler:
    def h(c: Call) -> Value:
        x, y = _blas_vec(c, 0, "x"), _blas_vec(c, 1, "y")
        prod = D.mul(D.conj(x) if conj_first else x, y)
        return D.reduce(prod, None, False, "sum", "sums entries whose gauges are unpaired")
    return h


def _blas_norm(c: Call) -> Value:
    # `?nrm2` (2-norm) and `?asum` (sum of |re| + |im|: of moduli for a real vector) of x
    x = _blas_vec(c, 0, "x")
    if c.name.endswith("asum") and D.value_kind(x) == "phase" and D.is_charged(x):
        return D.brk("view", "sums the moduli of the real and imaginary parts", x)
    return D.reduce(x, None, False, "norm", "takes a norm")


def _blas_axpy(c: Call) -> Value:
    # a * x + y
    x, y = _blas_vec(c, 0, "x"), _blas_vec(c, 1, "y")
    a = c.arg(3, "a")
    return D.add(D.mul(x, a) if a is not None else x, y)


def _blas_scal(c: Call) -> Value:
    # a * x
    return D.mul(_blas_vec(c, 0, "a"), _blas_vec(c, 1, "x"))


def _blas_copy(c: Call) -> Value:
    return _blas_vec(c, 0, "x")


def _blas_iamax(c: Call) -> Value:
    # the index of the largest |re| + |im| (of |x| for a real vector)
    x = _blas_vec(c, 0, "x")
    if D.value_kind(x) == "phase" and D.is_charged(x):
        return D.brk("view", "selects by the moduli of the real and imaginary parts", x)
    ops, br = D._prep([x])
    return br if br is not None else D.Inv(ndim=0, is_complex=False)


def _blas_gemv(c: Call) -> Value:
    """``?gemv(alpha, a, x, beta=0, y=None, ..., trans=0)``: ``alpha op(a) @ x + beta y``
    with ``op`` the identity, the transpose (``trans=1``) or the adjoint (``trans=2``)."""
    a = D.mul(_blas_op(c, c.arg(1, "a") or D.INV, 9, "trans"), _blas_vec(c, 0, "alpha"))
    return _blas_accumulate(c, D.matmul(a, _blas_vec(c, 2, "x")), 4, "y")


def _blas_gemm(c: Call) -> Value:
    """``?gemm(alpha, a, b, beta=0, c=None, trans_a=0, trans_b=0)``: ``alpha op(a) @ op(b) +
    beta c``."""
    a = D.mul(_blas_op(c, c.arg(1, "a") or D.INV, 5, "trans_a"), _blas_vec(c, 0, "alpha"))
    b = _blas_op(c, c.arg(2, "b") or D.INV, 6, "trans_b")
    return _blas_accumulate(c, D.matmul(a, b), 4, "c")


def _blas_accumulate(c: Call, out: Value, i: int, name: str) -> Value:
    """``out + beta * acc`` when an accumulator is given (a product that already broke is
    returned as it is, so that the break is reported at this call)."""
    acc = c.arg(i, name)
    if acc is None or isinstance(out, D.Broken):
        return out
    return D.add(out, D.mul(acc, _blas_vec(c, 3, "beta")))


def _blas_op(c: Call, a: Value, i: int, name: str) -> Value:
    """``a``, its transpose or its adjoint, by the literal ``trans`` flag (not literal: the
    layout is unknown, and a charged ``a`` is no longer followed)."""
    trans = c.lit(i, name, default=0) if c.has(i, name) else 0
    if trans in (1, 2):
        a = D.transpose(a, -2, -1)
        return D.conj(a) if trans == 2 else a
    return a if trans == 0 or not D.is_charged(a) else D.unknown(a)


for _n in ("sdot", "ddot", "cdotu", "zdotu"):
    TABLE[_n] = _blas_dot(False)
for _n in ("cdotc", "zdotc"):
    TABLE[_n] = _blas_dot(True)
for _n in ("snrm2", "dnrm2", "scnrm2", "dznrm2", "sasum", "dasum", "scasum", "dzasum"):
    TABLE[_n] = _blas_norm
for _p in "sdcz":
    TABLE[_p + "axpy"] = _blas_axpy
    TABLE[_p + "scal"] = _blas_scal
    TABLE[_p + "copy"] = _blas_copy
    TABLE["i" + _p + "amax"] = _blas_iamax
    TABLE[_p + "gemv"] = _blas_gemv
    TABLE[_p + "gemm"] = _blas_gemm
TABLE["csscal"] = TABLE["zdscal"] = _blas_scal

#: what `get_blas_funcs(name, arrays)` returns, by name, when eiglint cannot tell the dtype
#: (the complex routine, which for real input computes the same: `dot` is `?dotc` there)
BLAS_GENERIC = {"dot": "zdotc", "dotc": "zdotc", "dotu": "zdotu", "nrm2": "dznrm2",
                "asum": "dzasum", "axpy": "zaxpy", "scal": "zscal", "copy": "zcopy",
                "iamax": "izamax", "gemv": "zgemv", "gemm": "zgemm"}


@op("assert_array_less")
def _assert_less(c: Call) -> Value:
    """``numpy.testing.assert_array_less(x, y)``: an ordering test of its arguments."""
    return D.compare(c.x(), c.arg(1, "y", "desired") or D.INV,
                     "orders values that depend on the sign or phase")

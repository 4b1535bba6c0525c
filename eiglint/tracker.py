"""The tracker: an abstract interpreter over libcst trees that applies the phase domain.

It walks each scope in statement order (flow-sensitive: assignments, unpacking, branches joined,
loops iterated to a fixpoint), resolves imports and aliases itself (``import torch as T``,
``from torch.linalg import eig as E``, ``decompose = torch.linalg.eigh``), seeds values at
decomposition calls (:mod:`eiglint.catalogue`), maps every operation through
:mod:`eiglint.semantics` onto :mod:`eiglint.domain`, follows values into functions, methods and
classes of the same module, and reports where a value stops being covariant.

Reporting rule: a finding is reported at the operation that breaks covariance (the expression
whose value depends on the gauge). Inside a helper called with a gauge-carrying argument, the
finding is reported in the helper and its message names the call site.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import (
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    TypeVar,
    Union,
)

import libcst as cst

from . import catalogue, semantics, values
from . import domain as D
from .domain import Index, Value
from .positions import Positions
from .project import Project
from .rules import rule_for
from .settings import DEFAULT_SETTINGS, Settings
from .types import Finding, TraceStep
from .values import (
    TENSOR_TYPES,
    Abs,
    AtVal,
    Bound,
    BudgetExceeded,
    ClassVal,
    Coll,
    DictVal,
    Func,
    Instance,
    ObjVal,
    Ref,
    Seq,
    as_value,
    bounded,
    step_budget,
    tick,
)

_log = logging.getLogger("eiglint")

MAX_LOOP_ITERATIONS = 3
MAX_CALL_DEPTH = 4
MAX_RECURSION_ROUNDS = 3
MAX_MEMO_ENTRIES = 2000

RANDOM_FUNCTIONS = frozenset({
    "torch.randn", "torch.rand", "torch.randint", "torch.normal", "torch.randn_like",
    "torch.rand_like", "torch.randint_like", "torch.randperm", "torch.empty",
    "jax.random.normal", "jax.random.uniform",
})
HARMLESS_FUNCTIONS = frozenset({
    "builtins.print", "builtins.len", "builtins.isinstance", "builtins.type", "builtins.id",
    "builtins.repr", "builtins.str", "builtins.format", "builtins.hasattr", "builtins.getattr",
    "builtins.setattr", "builtins.callable", "builtins.issubclass", "builtins.vars", "builtins.dir",
    "torch.save", "torch.is_tensor", "torch.is_complex", "torch.numel", "warnings.warn",
    "builtins.iter", "builtins.next", "builtins.hash", "builtins.super", "builtins.open",
    "builtins.input", "builtins.exit", "sys.exit", "builtins.locals", "builtins.globals",
    "builtins.delattr", "builtins.memoryview", "builtins.bool_shape",
})
#: functions (by last name) that only look at an array's namespace, device or shape
HARMLESS_NAMES = frozenset({"get_namespace", "array_namespace", "get_namespace_and_device",
                            "device", "_is_numpy_namespace", "is_array_api_obj", "shape", "size",
                            "ndim", "isscalar", "iscomplexobj", "isrealobj"})
HARMLESS_PREFIXES = ("logging.", "builtins.print", "tqdm.", "pprint.", "warnings.", "pytest.")
HARMLESS_METHODS = frozenset({
    "info", "debug", "warning", "warn", "error", "exception", "critical", "log", "write",
    "set_description", "set_postfix", "set_postfix_str", "register_buffer", "append", "extend",
    "insert", "add", "update", "put", "setdefault", "save_for_backward", "assertEqual",
    "assertTrue", "assertFalse", "assertIsInstance", "register_parameter", "__setitem__",
})
TENSOR_CONSTRUCTORS = frozenset({
    "tensor", "as_tensor", "asarray", "array", "zeros", "ones", "empty", "full", "arange",
    "linspace", "logspace", "from_numpy", "zeros_like", "ones_like", "empty_like", "full_like",
    "eye", "identity", "Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "complex_zeros",
})
DECORATORS_KEEPING_FUNCTION = ("wraps", "no_grad", "enable_grad", "inference_mode", "jit",
                               "script", "lru_cache", "cache", "cached_property", "njit",
                               "compile", "custom_jvp", "custom_vjp", "checkpoint", "vmap_free")

_WS = re.compile(r"\s+")


@dataclass
class SourceInfo:
    id: int
    api: str
    modulus: int
    label: str  # "eigenvectors" / "singular vectors" / "Schur vectors"
    path: str
    anchor: Tuple["ModuleAnalysis", cst.CSTNode]

    @property
    def spectrum(self) -> bool:
        """Real vectors for a real spectrum, complex ones otherwise (NumPy's/SciPy's eig of
        a real matrix, modelled as a sign)."""
        spec = catalogue.lookup(self.api)
        return spec is not None and spec.gauge == "spectrum" and self.modulus == D.SIGN

    @property
    def line(self) -> int:
        return _step_position(D.Step(0, 0, "", self.anchor))[0]


class Frame:
    """Variables of one scope while it is being executed."""

    def __init__(self, globals_: Dict[str, Abs], closure: Optional[Dict[str, Abs]] = None,
                 is_module: bool = False) -> None:
        self.vars: Dict[str, Abs] = globals_ if is_module else {}
        self.globals = globals_
        self.closure = closure or {}
        self.is_module = is_module
        self.returns: List[Abs] = []
        self.global_names: Set[str] = set()
        #: names whose object the code changed in place (``d[k] = v``, ``lst.append(v)``),
        #: and names it rebound (``d = {}``): a parameter changed in place and never rebound
        #: changes the caller's argument
        self.mutated: Set[str] = set()
        self.rebound: Set[str] = set()
        #: the variables at each ``return`` (where a parameter changed in place is read back)
        self.exits: List[Dict[str, Abs]] = []

    def lookup(self, name: str) -> Optional[Abs]:
        if name in self.vars and name not in self.global_names:
            return self.vars[name]
        if name in self.closure:
            return self.closure[name]
        return self.globals.get(name)

    def bind(self, name: str, value: Abs) -> None:
        if name in self.global_names:
            self.globals[name] = value
        else:
            self.vars[name] = value

    def snapshot(self) -> Dict[str, Abs]:
        return dict(self.vars)

    def restore(self, env: Dict[str, Abs]) -> None:
        if self.is_module:
            self.vars.clear()
            self.vars.update(env)
        else:
            self.vars = env


class Terminated(Exception):
    """Raised inside a block after ``return``/``raise``: the rest of the block is dead."""


def join_abs(a: Optional[Abs], b: Optional[Abs]) -> Abs:
    if a is None:
        return b if b is not None else D.INV
    if b is None:
        return a
    if a is b or a == b:
        return a
    if isinstance(a, TENSOR_TYPES) and isinstance(b, TENSOR_TYPES):
        return D.join(a, b)
    # containers: joined to a summary once over the size or depth bound, so that values
    # cannot grow without end through loops and recursion (values.bounded)
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return bounded(Seq(tuple(join_abs(x, y) for x, y in zip(a.items, b.items)),
                           a.names or b.names, a.kind))
    if isinstance(a, (Seq, Coll)) and isinstance(b, (Seq, Coll)):
        return bounded(Coll(join_abs(_elem_of(a), _elem_of(b))))
    if isinstance(a, DictVal) and isinstance(b, DictVal):
        # a key stored on one path only: what it may hold (reading it on the other path fails)
        keys = [k for k, _ in a.items] + [k for k, _ in b.items if a.get(k) is None]
        return bounded(DictVal(tuple((k, join_abs(a.get(k), b.get(k))) for k in keys)))
    if isinstance(a, ObjVal) and isinstance(b, ObjVal):
        names = [k for k, _ in a.attrs] + [k for k, _ in b.attrs if a.get(k) is None]
        return bounded(ObjVal(tuple((k, join_abs(a.get(k), b.get(k))) for k in names)))
    if isinstance(a, TENSOR_TYPES) and a == D.INV:
        return b
    if isinstance(b, TENSOR_TYPES) and b == D.INV:
        return a
    if isinstance(a, TENSOR_TYPES) or isinstance(b, TENSOR_TYPES):
        va, vb = as_value(a), as_value(b)
        return D.join(va, vb)
    return a


def _broadcast_to(v: Abs, ndim: Optional[int]) -> Abs:
    """``v`` written over a whole array of rank ``ndim`` (leading axes broadcast)."""
    if isinstance(v, D.Cov) and ndim is not None and v.ndim < ndim:
        return replace(v, axes=((),) * (ndim - v.ndim) + v.axes, diagonal=False, frame=False)
    if isinstance(v, D.Inv):
        return replace(v, ndim=ndim if ndim is not None else v.ndim)
    return v


def _elem_of(v: Abs) -> Abs:
    if isinstance(v, Coll):
        return v.elem
    if isinstance(v, Seq):
        out: Optional[Abs] = None
        for it in v.items:
            out = join_abs(out, it)
        return out if out is not None else D.INV
    return v


def join_envs(a: Dict[str, Abs], b: Dict[str, Abs]) -> Dict[str, Abs]:
    out = dict(a)
    for k, v in b.items():
        out[k] = join_abs(a.get(k), v)
    return out


def _plain_rank(v: Abs) -> Optional[int]:
    """The rank of an array value whose axes are known (not a container, no element charge)."""
    if isinstance(v, D.Inv):
        return v.ndim
    if isinstance(v, D.Cov) and not v.elem:
        return v.ndim
    return None


_T = TypeVar("_T")


def _one_special_axis(target: cst.Subscript, ndim: int,
                      special: Callable[[cst.BaseExpression], Optional[Tuple[_T, int]]]
                      ) -> Optional[Tuple[int, _T]]:
    """``y[:, m]``, ``y[..., i]``: the first axis covered by the one subscript element that
    ``special`` accepts (it gives a value and the number of axes the element covers), when
    every other element is a whole slice ``:`` or a single ``...``. None otherwise."""
    kinds: List[str] = []
    found: Optional[Tuple[_T, int]] = None
    for el in target.slice:
        s = el.slice
        if isinstance(s, cst.Slice):
            if s.lower is not None or s.upper is not None or s.step is not None:
                return None
            kinds.append("slice")
        elif not isinstance(s, cst.Index):
            return None
        elif isinstance(s.value, cst.Ellipsis):
            kinds.append("ellipsis")
        else:
            got = special(s.value) if found is None else None
            if got is None:
                return None
            found = got
            kinds.append("special")
    if found is None or kinds.count("ellipsis") > 1:
        return None
    value, width = found
    i = kinds.index("special")
    pos = ndim - width - len(kinds[i + 1:]) if "ellipsis" in kinds[:i] else i
    if pos < 0 or pos + width > ndim:
        return None
    return pos, value


def _literal(node: cst.BaseExpression) -> object:
    """The Python value of a literal argument (ints, floats, strings, bools, None, tuples)."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.Float):
        return float(node.evaluated_value)
    if isinstance(node, cst.Imaginary):
        return complex(node.evaluated_value)
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            v = node.evaluated_value
        except Exception:
            return None
        return v if isinstance(v, str) else None
    if isinstance(node, cst.Name):
        if node.value in ("True", "False"):
            return node.value == "True"
        return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        neg = _literal(node.expression)
        if isinstance(neg, (int, float, complex)) and not isinstance(neg, bool):
            return -neg
        return None
    if isinstance(node, (cst.Tuple, cst.List)):
        vals = []
        for el in node.elements:
            if isinstance(el, cst.StarredElement):
                return None
            item = _literal(el.value)
            if item is None:
                return None
            vals.append(item)
        return tuple(vals)
    return None


class ModuleAnalysis:
    """Analyses one module and collects its findings."""

    def __init__(self, text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                 module_name: str = "__main__", project: Optional[Project] = None,
                 line_map: Sequence[int] = ()) -> None:
        self.path = path
        #: original line of each line of ``text`` when it is a slice (:mod:`eiglint.slicing`)
        self.line_map = tuple(line_map)
        self.project = project
        self.settings = settings
        self.module_name = module_name
        self.module = cst.parse_module(text)
        self._pos: Optional[Positions] = None
        self._node_keys: Dict[int, int] = {}
        self.findings: Dict[Tuple[int, int, str], Finding] = {}
        self.sources: Dict[int, SourceInfo] = project.sources if project is not None else {}
        self._source_ids: Dict[Tuple[int, int], int] = {}
        self.pending: Dict[int, Tuple[cst.CSTNode, D.Pending]] = {}
        self.resolved: Set[int] = set()
        self.reported: Set[Tuple[int, str]] = set()
        #: calls with gauge-carrying arguments being analysed, outermost first
        self.contexts: List[CallContext] = []
        self.depth = 0
        self.memo: Dict[Tuple[int, Tuple[Abs, ...]], Abs] = {}
        self.memo_writes: Dict[Tuple[int, Tuple[Abs, ...]], Dict[Tuple[str, object], Abs]] = {}
        self.in_progress: Set[int] = set()
        self.recursive: Set[int] = set()
        self.approx: Dict[int, Abs] = {}
        self.analysed_funcs: Set[int] = set()
        self.classes: List[ClassVal] = []
        self.funcs: List[Func] = []
        self.globals: Dict[str, Abs] = {}
        self.frame = Frame(self.globals, is_module=True)
        self._text_cache: Dict[int, str] = {}
        #: loop variables -> the iteration being analysed (index keys differ per iteration)
        self.varying: Dict[str, int] = {}
        self.loop_iteration = 0
        #: loop variables of ``for i in range(n)`` loops being analysed: an update of column
        #: ``i`` of an array is an update of every column (see :meth:`column_update`)
        self.column_vars: Set[str] = set()
        #: arrays updated column by column in the loop being analysed -> their value after it
        self.column_updates: Dict[str, Abs] = {}

    @property
    def pos(self) -> Positions:
        """Positions of nodes (in the original file when this is a slice), computed per
        top-level statement on first use: only modules that report something, or record a
        trace, pay for them (:mod:`eiglint.positions`)."""
        if self._pos is None:
            self._pos = Positions(self.module, self.line_map)
        return self._pos

    def node_key(self, node: cst.CSTNode) -> int:
        """A small deterministic number per node (order of first use)."""
        return self._node_keys.setdefault(id(node), len(self._node_keys))

    # ------------------------------------------------------------------ driver

    def run_module_level(self) -> None:
        self._within_budget("the module body", self._exec_module_body)

    def _exec_module_body(self) -> None:
        try:
            self.exec_block(self.module.body)
        except Terminated:
            pass

    def _within_budget(self, what: str, run: Callable[[], object]) -> None:
        """``run`` with a step budget of its own; past it, what ``run`` found is dropped (the
        analysis is unknown there, never a finding) and, under --debug, said."""
        findings, pending = len(self.findings), len(self.pending)
        try:
            with step_budget():
                run()
        except BudgetExceeded:
            for k in list(self.findings)[findings:]:
                del self.findings[k]
            for p in list(self.pending)[pending:]:
                del self.pending[p]
            _log.debug("%s: %s exceeded the analysis budget of %d steps; not analysed "
                       "(no finding from it)", self.path, what, values.STEP_BUDGET)

    def run(self) -> List[Finding]:
        self.run_module_level()
        # every function and method body is analysed, also when nothing calls it
        done = 0
        while done < len(self.funcs):
            func = self.funcs[done]
            done += 1
            if id(func) not in self.analysed_funcs:
                self.analyse_standalone(func)
        # methods read attributes that other methods store: a second round sees them
        for cls in self.classes:
            for m in list(cls.methods.values()):
                self.analyse_standalone(m, force=True)
        open_pending = [(k, v) for k, v in self.pending.items() if k not in self.resolved]
        for key, (node, p) in sorted(open_pending, key=lambda kv: self._sort_pos(kv[1][0])):
            if key not in self.resolved:
                b = D.materialize(p)
                self.report_causes(b, node)
        return sorted(self.findings.values(), key=Finding.sort_key)

    def _sort_pos(self, node: cst.CSTNode) -> Tuple[int, int]:
        r = self.pos.get(node)
        return (r.start.line, r.start.column) if r else (0, 0)

    # ------------------------------------------------------------------ reporting

    def text(self, node: cst.CSTNode, limit: int = 60, strip_parens: bool = False) -> str:
        t = self._text_cache.get(id(node))
        if t is None:
            t = _WS.sub(" ", self.module.code_for_node(node)).strip()
            self._text_cache[id(node)] = t
        if strip_parens:
            t = semantics.bare(t)
        return t if len(t) <= limit else t[: limit - 3] + "..."

    def source_text(self, sources: Iterable[int]) -> str:
        srcs = [self.sources[s] for s in sources if s in self.sources]
        if not srcs:
            return ""
        first = srcs[0]
        more = f" (and {len(srcs) - 1} more decomposition{'s' if len(srcs) > 2 else ''})" \
            if len(srcs) > 1 else ""
        where = f"line {first.line}" if first.path == self.path else \
            f"{_display(first.path)}:{first.line}"
        return f"{first.label} from `{first.api}` ({where}){more}"

    def report_causes(self, value: Value, node: cst.CSTNode) -> None:
        if not isinstance(value, D.Broken):
            return
        for cause in value.causes:
            origin = cause.origin if isinstance(cause.origin, cst.CSTNode) else node
            self.report(cause, origin)

    def report(self, cause: D.Cause, node: cst.CSTNode) -> None:
        for ctx in self.contexts:
            if ctx.arg_sources.intersection(cause.sources):
                # the gauge came in through this call's arguments: report at the call site
                rng = self.pos.get(node)
                where = f"line {rng.start.line}" if rng else "?"
                if ctx.analysis is not self:
                    where = f"{_display(self.path)}:{where.split()[-1]}"
                inner = f"in `{ctx.callee}`: `{self.text(node, 40)}` at {where}"
                ctx.analysis.emit(replace(cause, steps=cause.steps + (
                    D.Step(rng.start.line if rng else 0, 1, inner),)), ctx.node)
                return
        self.emit(cause, node)

    def emit(self, cause: D.Cause, node: cst.CSTNode) -> None:
        key = (id(node), cause.category)
        if key in self.reported:
            return
        self.reported.add(key)
        rng = self.pos.get(node)
        if rng is None:
            return
        rule = rule_for(cause.category, cause.kind)
        gauge = "eigenvector phase" if cause.kind == "phase" else "eigenvector sign"
        detail = cause.detail
        spectrum = cause.kind == "sign" and any(
            self.sources[s].spectrum for s in cause.sources if s in self.sources)
        if spectrum:
            # NumPy's/SciPy's eig of a real matrix: real vectors (a sign) for a real spectrum,
            # complex ones (a phase) otherwise; reported by the sign rules, worded for both
            gauge = "eigenvector sign or phase"
            detail = detail.replace("depend on the sign", "depend on the sign or phase")
        expr = self.text(node)
        via = ""
        for step in reversed(cause.steps):
            via = f" ({step.note})"
            break
        src = self.source_text(cause.sources)
        where = f"; {src}" if src else ""
        msg = _MESSAGES[cause.category].format(expr=expr, detail=detail, gauge=gauge,
                                               via=via)
        hint = _HINTS[cause.category][0 if cause.kind == "phase" else 1]
        if spectrum:
            hint = hint.replace("fix the sign first", "fix the sign (or phase) first")
        if (cause.category == "view" or spectrum) and any(
                self.sources[s].api.endswith(".eig") for s in cause.sources if s in self.sources):
            hint += "; for a symmetric or Hermitian matrix use `eigh`"
        message = f"{msg}{where}. {hint}"
        trace = tuple(self.trace_step(s) for s in cause.steps)
        srcs = [self.sources[s] for s in cause.sources if s in self.sources]
        if srcs:
            first = TraceStep(srcs[0].line, 1, f"{srcs[0].label} from `{srcs[0].api}`",
                              "" if srcs[0].path == self.path else _display(srcs[0].path))
            trace = (first,) + trace
        f = Finding(
            path=self.path, line=rng.start.line, col=rng.start.column + 1, code=rule.code,
            message=message, end_line=rng.end.line, end_col=rng.end.column + 1,
            severity=rule.severity, kind=cause.kind, trace=trace, hint=hint,
            expr=self.module.code_for_node(node) if len(self.text(node, 10_000)) < 2000 else "",
        )
        fkey = (f.line, f.col, f.code)
        if fkey not in self.findings:
            self.findings[fkey] = f

    def key(self, node: cst.CSTNode) -> Optional[str]:
        """An operand's identity up to its sign, for pending parts (``relu(2 * v)`` and
        ``relu(-v)`` must not be symmetrised, nor ``v.real`` and ``(2 * v).imag`` recombined)."""
        return semantics.arg_key(self.text(node, 10_000))

    def _attr_key(self, node: cst.CSTNode) -> Optional[str]:
        return self.key(node.value) if isinstance(node, cst.Attribute) else None

    def trace_step(self, step: D.Step) -> TraceStep:
        line, col = _step_position(step)
        path = ""
        if isinstance(step.anchor, tuple) and step.anchor[0] is not self:
            path = _display(step.anchor[0].path)
        return TraceStep(line, col, step.note, path)

    def post(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs] = ()) -> Abs:
        """Bookkeeping after an operation: report breaks, register and resolve pending values."""
        if isinstance(result, D.Broken):
            if result.causes:
                self.report_causes(result, node)
                return result.silent()
            return result
        if isinstance(result, D.Pending):
            if result.origin is node and id(node) not in self.pending:
                self.pending[id(node)] = (node, result)
        for op in operands:
            if isinstance(op, D.Pending) and (not isinstance(result, D.Pending)
                                              or result.origin is not op.origin):
                if isinstance(result, (D.Inv, D.Cov)) or isinstance(result, D.Pending):
                    self.resolved.add(id(op.origin))
        return result

    def step(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs], note: str) -> Abs:
        """Record a trace step when an operation changes a value's gauge without pairing it."""
        if not isinstance(result, D.Cov):
            return result
        charges = result.all_charges()
        if any(isinstance(o, D.Cov) and o.all_charges() == charges for o in operands):
            return result
        srcs = [self.sources[i] for i in result.sources() if i in self.sources]
        what = srcs[0].label if srcs else "gauge-carrying factors"
        s = D.Step(0, 0, note.format(expr=self.text(node, strip_parens=True), what=what),
                   anchor=(self, node))
        return replace(result, steps=(result.steps + (s,))[-4:])

    # ------------------------------------------------------------------ statements

    def exec_block(self, stmts: Sequence[cst.CSTNode]) -> None:
        for st in stmts:
            self.exec_stmt(st)

    def exec_stmt(self, st: cst.CSTNode) -> None:
        tick()
        if isinstance(st, cst.SimpleStatementLine):
            for small in st.body:
                self.exec_small(small)
        elif isinstance(st, cst.FunctionDef):
            self.define_function(st)
        elif isinstance(st, cst.ClassDef):
            self.define_class(st)
        elif isinstance(st, cst.If):
            self.exec_if(st)
        elif isinstance(st, (cst.For, cst.While)):
            self.exec_loop(st)
        elif isinstance(st, cst.With):
            for item in st.items:
                v = self.eval(item.item)
                if item.asname is not None:
                    self.assign(item.asname.name, v if not isinstance(v, TENSOR_TYPES) else D.INV)
            self.exec_body(st.body)
        elif isinstance(st, (cst.Try, getattr(cst, "TryStar", cst.Try))):
            self.exec_try(st)  # type: ignore[arg-type]
        elif isinstance(st, getattr(cst, "Match", ())):  # pragma: no cover - 3.10+
            self.exec_match(st)
        elif isinstance(st, cst.IndentedBlock):
            self.exec_block(st.body)

    def exec_body(self, body: cst.BaseSuite) -> None:
        if isinstance(body, cst.IndentedBlock):
            self.exec_block(body.body)
        elif isinstance(body, cst.SimpleStatementSuite):
            for small in body.body:
                self.exec_small(small)

    def exec_small(self, st: cst.BaseSmallStatement) -> None:
        if isinstance(st, cst.Assign):
            if len(st.targets) == 1 and isinstance(st.targets[0].target, cst.Subscript) and \
                    self._negates(st.value, st.targets[0].target) and \
                    self.mask_flip(st.targets[0].target):
                return
            v = self.eval(st.value)
            v = _unrandom(v)
            for t in st.targets:
                self.assign(t.target, v)
        elif isinstance(st, cst.AnnAssign):
            if st.value is not None:
                self.assign(st.target, _unrandom(self.eval(st.value)))
        elif isinstance(st, cst.AugAssign):
            self.exec_augassign(st)
        elif isinstance(st, cst.Expr):
            self.eval(st.value)
        elif isinstance(st, cst.Return):
            v = self.eval(st.value) if st.value is not None else D.INV
            self.frame.returns.append(v)
            if self.frame.mutated:
                self.frame.exits.append(dict(self.frame.vars))
            raise Terminated()
        elif isinstance(st, cst.Raise):
            if st.exc is not None:
                self.eval(st.exc)
            raise Terminated()
        elif isinstance(st, cst.Assert):
            self.truth(st.test)
        elif isinstance(st, cst.Import):
            for alias in st.names:
                full = _dotted(alias.name)
                if alias.asname is not None:
                    self.assign(alias.asname.name, Ref(full))
                else:
                    top = full.split(".")[0]
                    self.frame.bind(top, Ref(top))
        elif isinstance(st, cst.ImportFrom):
            self.exec_import_from(st)
        elif isinstance(st, (cst.Global, cst.Nonlocal)):
            if isinstance(st, cst.Global):
                for n in st.names:
                    self.frame.global_names.add(n.name.value)
        elif isinstance(st, cst.Del):
            pass

    def exec_import_from(self, st: cst.ImportFrom) -> None:
        if st.module is None and not st.relative:
            return
        mod = _dotted(st.module) if st.module is not None else ""
        if st.relative:
            base = self.module_name.split(".")
            up = len(st.relative)
            pkg = base[: max(len(base) - up, 0)]
            mod = ".".join([*pkg, mod] if mod else pkg)
        if isinstance(st.names, cst.ImportStar):
            if self.project is not None and self.project.may_charge(mod, self.path):
                other = self.project.analysis(mod, self.path)
                if other is not None:
                    for k, v in other.globals.items():
                        if not k.startswith("_"):
                            self.frame.bind(k, v)
            return
        for alias in st.names:
            name = _dotted(alias.name)
            target = alias.asname.name if alias.asname is not None else cst.Name(name)
            self.assign(target, self.project_value(f"{mod}.{name}" if mod else name))

    def project_value(self, qualname: str, force: bool = False) -> Abs:
        """An imported name: the value another linted module gives it, else a reference."""
        if self.project is None:
            return Ref(qualname)
        mod = qualname.rpartition(".")[0]
        if not force and not self.project.may_charge(mod, self.path):
            return Ref(qualname)
        found = self.project.resolve(qualname, self.path)
        if found is None:
            return Ref(qualname)
        other, name = found
        if "." in name:
            return Ref(qualname)
        v = other.globals.get(name)
        return v if v is not None else Ref(qualname)

    def exec_augassign(self, st: cst.AugAssign) -> None:
        if isinstance(st.target, cst.Subscript) and isinstance(
                st.operator, (cst.MultiplyAssign, cst.DivideAssign)) and \
                _literal(st.value) == -1 and self.mask_flip(st.target):
            return
        cur = self.eval(st.target)
        rhs = self.eval(st.value)
        op = type(st.operator).__name__.replace("Assign", "")
        res = self.binop(st, op, cur, rhs, st.target, st.value)
        if isinstance(st.target, cst.Subscript):
            self.assign_subscript(st.target, res)
        else:
            self.assign(st.target, res)

    def exec_if(self, st: cst.If) -> None:
        if self.sign_convention(st):
            return
        self.truth(st.test)
        before = self.frame.snapshot()
        out_envs: List[Dict[str, Abs]] = []
        try:
            self.exec_body(st.body)
            out_envs.append(self.frame.snapshot())
        except Terminated:
            pass
        self.frame.restore(dict(before))
        try:
            if st.orelse is not None:
                if isinstance(st.orelse, cst.If):
                    self.exec_if(st.orelse)
                else:
                    self.exec_body(st.orelse.body)
            out_envs.append(self.frame.snapshot())
        except Terminated:
            pass
        if not out_envs:
            self.frame.restore(before)
            raise Terminated()
        env = out_envs[0]
        for e in out_envs[1:]:
            env = join_envs(env, e)
        self.frame.restore(env)

    def sign_convention(self, st: cst.If) -> bool:
        """``if v[0] < 0: v = -v`` (or ``v *= -1``, or ``V[:, i] *= -1`` for a column): the
        sign of ``v`` is fixed by a convention.

        When the tested value carries exactly the sign of each negated variable (or part of
        an array), the branch multiplies them by that sign: they are rebound as invariant and
        the test is not a finding. (An array of which one column is fixed is no longer
        followed, unless the loop updates every column: :meth:`column_update`.)
        """
        test = st.test
        if st.orelse is not None or not isinstance(test, cst.Comparison) \
                or len(test.comparisons) != 1 or not isinstance(
                    test.comparisons[0].operator,
                    (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)):
            return False
        left, right = test.left, test.comparisons[0].comparator
        targets = self._negated_targets(st.body)
        if not targets:
            return False
        mask: Optional[Value] = None
        if _literal(right) == 0:
            x = as_value(self.eval(left))
        elif _literal(left) == 0:
            x = as_value(self.eval(right))
        else:
            # `x < y` tests the sign of `x - y` (`abs(max(v)) < abs(min(v))`: max and min
            # swap with the sign of v)
            mask = as_value(self.eval(test))
            sign = D.mask_sign(mask)
            if sign is None:
                return False
            x = sign
        if not isinstance(x, D.Cov) or x.has_phase() or x.elem:
            return False
        charge = x.all_charges()
        parts: List[Value] = []
        for t in targets:
            found = self.frame.lookup(t.value) if isinstance(t, cst.Name) else self.eval(t)
            v = as_value(found) if found is not None else D.INV
            if not isinstance(v, D.Cov) or v.has_phase() or v.all_charges() != charge:
                return False
            parts.append(v)
        if isinstance(mask, D.Pending):
            self.resolved.add(id(mask.origin))
        for t, v in zip(targets, parts):
            fixed = D.Inv(ndim=D.ndim_of(v))
            if isinstance(t, cst.Name):
                self.frame.bind(t.value, fixed)
            else:
                self.assign_subscript(t, fixed)
        return True

    def _negated_targets(self, body: cst.BaseSuite) -> List[Union[cst.Name, cst.Subscript]]:
        """What a block only negates (``v = -v``, ``v *= -1``, ``V[:, i] = -V[:, i]``), or
        [] when it does anything else."""
        stmts: Sequence[cst.CSTNode] = body.body if isinstance(
            body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
        out: List[Union[cst.Name, cst.Subscript]] = []
        for st in stmts:
            smalls = st.body if isinstance(st, cst.SimpleStatementLine) else [st]
            for small in smalls:
                target: Optional[cst.BaseExpression] = None
                if isinstance(small, cst.AugAssign) and isinstance(
                        small.operator, (cst.MultiplyAssign, cst.DivideAssign)) \
                        and _literal(small.value) == -1:
                    target = small.target
                elif isinstance(small, cst.Assign) and len(small.targets) == 1 \
                        and self._negates(small.value, small.targets[0].target):
                    target = small.targets[0].target
                if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                    out.append(target)
                elif isinstance(target, cst.Name):
                    out.append(target)
                else:
                    return []
        return out

    def _negates(self, value: cst.BaseExpression, target: cst.BaseExpression) -> bool:
        """Is ``value`` the negation of ``target`` (``-x[m]``, ``x[m] * -1``)?"""
        operand: Optional[cst.BaseExpression] = None
        if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
            operand = value.expression
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
            operand = value.left if _literal(value.right) == -1 else (
                value.right if _literal(value.left) == -1 else None)
        if operand is None:
            return False
        if self.text(operand, 10_000, strip_parens=True) == self.text(
                target, 10_000, strip_parens=True):
            return True
        return self._same_value(operand, target)

    def _same_value(self, a: cst.BaseExpression, b: cst.BaseExpression) -> bool:
        """Do two expressions read the same gauge-carrying value (``x`` bound by ``x = V[:,
        i]``, and ``V[:, i]``)? Their abstract values must agree exactly (charges with their
        index keys, polarity, frame); only names, attributes and subscripts are compared."""
        paths = (cst.Name, cst.Attribute, cst.Subscript)
        if not (isinstance(a, paths) and isinstance(b, paths)):
            return False
        va, vb = as_value(self.eval(a)), as_value(self.eval(b))
        return isinstance(va, D.Cov) and va == vb

    def mask_flip(self, target: cst.Subscript) -> bool:
        """``y[:, m] *= -1`` (or ``y[:, m] = -y[:, m]``) with a sign mask ``m = x < 0``: ``y``
        times the mask's sign along the masked axes (a sign convention when ``x`` is an entry
        of each column of ``y``). Only whole slices may accompany the mask: flipping part of a
        column is not a sign of the column. False (nothing done) when the pattern does not
        apply."""
        if not isinstance(target.value, (cst.Name, cst.Attribute)):
            return False
        base = self.eval(target.value)
        n = _plain_rank(base)
        if n is None:
            return False
        assert isinstance(base, (D.Inv, D.Cov))

        def sign_mask(ex: cst.BaseExpression) -> Optional[Tuple[Tuple[D.Pending, D.Cov], int]]:
            m = as_value(self.eval(ex))
            sign = D.mask_sign(m)
            if sign is None:
                return None
            assert isinstance(m, D.Pending)
            return (m, sign), sign.ndim

        found = _one_special_axis(target, n, sign_mask)
        if found is None:
            return False
        pos, (m, sign) = found
        factor = D.Cov(tuple([()] * pos + list(sign.axes) + [()] * (n - pos - sign.ndim)),
                       sign.residual)
        new = self.post(target, D.mul(base, factor), [m])
        self.assign(target.value, new)
        return True

    def exec_loop(self, st: Union[cst.For, cst.While]) -> None:
        entry = self.frame.snapshot()
        env = dict(entry)
        iterable: Abs = D.INV
        loop_names: List[str] = []
        column_var: Optional[str] = None
        if isinstance(st, cst.For):
            iterable = self.eval(st.iter)
            loop_names = [n.value for n in _target_names(st.target)]
            if isinstance(st.target, cst.Name) and _is_column_range(st.iter):
                column_var = st.target.value
        outer_updates, self.column_updates = self.column_updates, {}
        if column_var is not None:
            self.column_vars.add(column_var)
        # arrays whose every column the last iteration updated (`V[:, i] *= sign(V[0, i])`)
        updated: Dict[str, Abs] = {}
        # Each iteration gets its own index keys (`V[:, i]`, `for v in V.T`): values carried
        # from one iteration to the next then combine different eigen-indices, as they do.
        for _ in range(MAX_LOOP_ITERATIONS):
            self.frame.restore(dict(env))
            self.column_updates = {}
            if isinstance(st, cst.For):
                self.loop_iteration += 1
                for name in loop_names:
                    self.varying[name] = self.loop_iteration
                self.assign(st.target, self.iterate(iterable, st.iter))
            else:
                self.truth(st.test)
            completed = True
            try:
                self.exec_body(st.body)
            except Terminated:
                completed = False
            updated = {n: v for n, v in self.column_updates.items()
                       if completed and self.frame.lookup(n) is v}
            new_env = join_envs(env, self.frame.snapshot())
            if new_env == env:
                break
            env = new_env
        for name in loop_names:
            self.varying.pop(name, None)
        if column_var is not None:
            self.column_vars.discard(column_var)
        self.column_updates = outer_updates
        # an array updated column by column over the whole range holds the updated columns
        # after the loop (not the join with its value before: that is the empty loop, over
        # an axis of length 0, where both agree)
        env = {**env, **updated}
        self.frame.restore(env)
        if st.orelse is not None:
            try:
                self.exec_body(st.orelse.body)
            except Terminated:
                pass

    def exec_try(self, st: cst.Try) -> None:
        before = self.frame.snapshot()
        envs: List[Dict[str, Abs]] = []
        try:
            self.exec_body(st.body)
            if st.orelse is not None:
                self.exec_body(st.orelse.body)
            envs.append(self.frame.snapshot())
        except Terminated:
            pass
        after_body = self.frame.snapshot()
        for h in st.handlers:
            self.frame.restore(join_envs(before, after_body))
            if h.name is not None:
                self.assign(h.name.name, D.INV)
            try:
                self.exec_body(h.body)
                envs.append(self.frame.snapshot())
            except Terminated:
                pass
        env = envs[0] if envs else join_envs(before, after_body)
        for e in envs[1:]:
            env = join_envs(env, e)
        self.frame.restore(env)
        if st.finalbody is not None:
            self.exec_body(st.finalbody.body)
        if not envs:
            raise Terminated()

    def exec_match(self, st: cst.CSTNode) -> None:  # pragma: no cover - Python 3.10+
        subject = self.eval(st.subject)  # type: ignore[attr-defined]
        before = self.frame.snapshot()
        envs = []
        for case in st.cases:  # type: ignore[attr-defined]
            self.frame.restore(dict(before))
            try:
                self.exec_body(case.body)
                envs.append(self.frame.snapshot())
            except Terminated:
                pass
        env = before
        for e in envs:
            env = join_envs(env, e)
        self.frame.restore(env)
        del subject

    # ------------------------------------------------------------------ definitions

    def define_function(self, node: cst.FunctionDef, owner: Optional[ClassVal] = None) -> Func:
        kind = "function"
        for dec in node.decorators:
            d = dec.decorator
            name = _dotted(d.func if isinstance(d, cst.Call) else d) if isinstance(
                d.func if isinstance(d, cst.Call) else d, (cst.Name, cst.Attribute)) else ""
            last = name.rsplit(".", 1)[-1]
            if last in ("staticmethod", "classmethod", "property"):
                kind = last
            elif last.endswith("setter") or last.endswith("getter"):
                kind = "setter"
        closure = {} if self.frame.is_module else {**self.frame.closure, **self.frame.vars}
        f = Func(node, node.name.value, self.module_name, closure, owner is not None, kind, owner,
                 analysis=self)
        self.funcs.append(f)
        if owner is None:
            self.assign(node.name, f)
        return f

    def define_class(self, node: cst.ClassDef) -> None:
        bases = tuple(self.eval(a.value) for a in node.bases)
        cls = ClassVal(node, node.name.value, bases=bases)
        is_dataclass = any(
            "dataclass" in self.text(d.decorator) for d in node.decorators)
        fields: List[str] = []
        for st in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(st, cst.FunctionDef):
                f = self.define_function(st, owner=cls)
                if f.kind == "setter":
                    continue
                cls.methods[st.name.value] = f
            elif isinstance(st, cst.SimpleStatementLine):
                for small in st.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        fields.append(small.target.value)
                        if small.value is not None:
                            cls.class_attrs[small.target.value] = self.eval(small.value)
                    elif isinstance(small, cst.Assign):
                        v = self.eval(small.value)
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                cls.class_attrs[t.target.value] = v
        if is_dataclass:
            cls.class_attrs["__dataclass_fields__"] = Seq(tuple(Ref(f) for f in fields))
        self.classes.append(cls)
        self.assign(node.name, cls)

    def analyse_standalone(self, func: Func, force: bool = False) -> None:
        if id(func) in self.analysed_funcs and not force:
            return
        self.analysed_funcs.add(id(func))
        params = self._param_names(func.node)
        args: Dict[str, Abs] = {}
        for i, p in enumerate(params):
            if i == 0 and func.is_method and func.kind not in ("staticmethod",) and func.owner:
                args[p] = Instance(func.owner) if func.kind != "classmethod" else func.owner
            else:
                args[p] = D.INV
        self._within_budget(f"function `{func.name}`", lambda: self.run_function(func, args))

    @staticmethod
    def _param_names(node: Union[cst.FunctionDef, cst.Lambda]) -> List[str]:
        ps = node.params
        names = [p.name.value for p in (*ps.posonly_params, *ps.params)]
        if isinstance(ps.star_arg, cst.Param):
            names.append(ps.star_arg.name.value)
        names += [p.name.value for p in ps.kwonly_params]
        if ps.star_kwarg is not None:
            names.append(ps.star_kwarg.name.value)
        return names

    def run_function(self, func: Func, args: Dict[str, Abs],
                     writes: Optional[Dict[str, Abs]] = None) -> Abs:
        """Run a function body with the given arguments; ``writes`` receives the parameters
        the body changed in place (and never rebound), with their values at its exits."""
        frame = Frame(self.globals, closure=func.closure)
        for k, v in args.items():
            frame.vars[k] = v
        saved = self.frame
        self.frame = frame
        self.depth += 1
        try:
            node = func.node
            if isinstance(node, cst.Lambda):
                frame.returns.append(self.eval(node.body))
            else:
                try:
                    self.exec_body(node.body)
                    frame.exits.append(dict(frame.vars))
                except Terminated:
                    pass
        finally:
            self.frame = saved
            self.depth -= 1
        if writes is not None:
            for p in frame.mutated - frame.rebound:
                if p in args:
                    seen = [e[p] for e in frame.exits if p in e]
                    if seen:
                        writes[p] = _join_items(seen) or D.INV
        out: Optional[Abs] = None
        for r in frame.returns:
            out = join_abs(out, r)
        return out if out is not None else D.INV

    def call_user(self, func: Func, node: cst.CSTNode, args: List[Abs], kwargs: Dict[str, Abs],
                  receiver: Optional[Abs] = None,
                  arg_nodes: Sequence[cst.BaseExpression] = (),
                  kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        """Call a function of the linted code. With the argument expressions, an argument the
        callee changes in place (``def fill(d, x): d['k'] = x``) is changed here too."""
        owner = func.analysis if isinstance(func.analysis, ModuleAnalysis) else self
        writes: Dict[Tuple[str, object], Abs] = {}
        result = owner.call_in_module(func, node, args, kwargs, receiver, caller=self,
                                      writes=writes)
        starred = isinstance(node, cst.Call) and any(a.star for a in node.args)
        if writes and not starred and len(arg_nodes) == len(args):
            for (kind, where), v in writes.items():
                target = arg_nodes[where] if kind == "pos" and isinstance(where, int) \
                    and 0 <= where < len(arg_nodes) else (kw_nodes or {}).get(str(where))
                if isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)) \
                        and self.eval(target) != v:
                    self.store_path(target, v)
        return result

    def call_in_module(self, func: Func, node: cst.CSTNode, args: List[Abs],
                       kwargs: Dict[str, Abs], receiver: Optional[Abs],
                       caller: "ModuleAnalysis",
                       writes: Optional[Dict[Tuple[str, object], Abs]] = None) -> Abs:
        params = self._param_names(func.node)
        ps = func.node.params
        bound: Dict[str, Abs] = {p: D.INV for p in params}
        positional = list(args)
        if receiver is not None:
            positional = [receiver] + positional
        elif func.is_method and func.kind == "function" and func.owner is not None:
            positional = [Instance(func.owner)] + positional
        plain = [p.name.value for p in (*ps.posonly_params, *ps.params)]
        for i, v in enumerate(positional):
            if i < len(plain):
                bound[plain[i]] = v
            elif isinstance(ps.star_arg, cst.Param):
                name = ps.star_arg.name.value
                prev = bound.get(name)
                bound[name] = Coll(join_abs(prev.elem if isinstance(prev, Coll) else None, v))
        for k, v in kwargs.items():
            if k in bound:
                bound[k] = v
            elif ps.star_kwarg is not None:
                bound[ps.star_kwarg.name.value] = Coll(v)
        # defaults of parameters not passed
        passed = set(plain[: len(positional)]) | set(kwargs)
        for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params):
            if p.default is not None and p.name.value not in passed:
                bound[p.name.value] = _unrandom(self.eval(p.default))
        arg_sources = frozenset(s for v in bound.values() for s in _sources_of(v))
        key = (id(func), tuple(bound[p] for p in params))
        if not arg_sources and key in self.memo:
            if writes is not None:
                writes.update(self.memo_writes.get(key, {}))
            return self.memo[key]
        if id(func) in self.in_progress:
            # a recursive call: use the current approximation of the result (a fixpoint is
            # computed below by re-running the body until the approximation is stable)
            self.recursive.add(id(func))
            return self.approx.get(id(func), D.INV)
        if self.depth >= MAX_CALL_DEPTH:
            # too deep to follow: the result may carry whatever the arguments carry, unpaired
            charged = [v for v in bound.values() if isinstance(v, TENSOR_TYPES) and D.is_charged(v)]
            return D.Broken(D.value_kind(charged[0])) if charged else D.INV
        self.in_progress.add(id(func))
        saved_contexts = self.contexts
        if arg_sources:
            self.contexts = caller.contexts + [CallContext(caller, node, arg_sources, func.name)]
        elif caller is not self:
            self.contexts = caller.contexts
        changed: Dict[str, Abs] = {}
        try:
            result = self.run_function(func, bound, changed)
            for _ in range(MAX_RECURSION_ROUNDS):
                if id(func) not in self.recursive or self.approx.get(id(func)) == result:
                    break
                self.approx[id(func)] = result
                result = join_abs(result, self.run_function(func, bound))
        finally:
            self.in_progress.discard(id(func))
            self.recursive.discard(id(func))
            self.approx.pop(id(func), None)
            self.contexts = saved_contexts
        # the parameters changed in place, by where the caller passed them
        where: Dict[Tuple[str, object], Abs] = {}
        offset = len(positional) - len(args)
        for i, p in enumerate(plain[: len(positional)]):
            if p in changed and i >= offset:
                where[("pos", i - offset)] = changed[p]
        for k in kwargs:
            if k in changed:
                where[("kw", k)] = changed[k]
        if writes is not None:
            writes.update(where)
        if arg_sources or caller is not self:
            result = caller.transfer(result, node, self, arg_sources)
        elif len(self.memo) < MAX_MEMO_ENTRIES:
            self.memo[key] = result
            if where:
                self.memo_writes[key] = where
        self.analysed_funcs.add(id(func))
        return result

    def transfer(self, value: Abs, node: cst.CSTNode, callee: "ModuleAnalysis",
                 arg_sources: FrozenSet[int]) -> Abs:
        """A value returned by a call: a pending break made inside the callee from the
        arguments' gauge (or in another module) is now the call expression's."""
        if isinstance(value, Seq):
            return Seq(tuple(self.transfer(v, node, callee, arg_sources) for v in value.items),
                       value.names, value.kind)
        if not isinstance(value, D.Pending) or not isinstance(value.origin, cst.CSTNode):
            return value
        if callee is self and not arg_sources.intersection(value.base.sources()):
            return value
        callee.resolved.add(id(value.origin))
        rng = callee.pos.get(value.origin)
        where = f"line {rng.start.line}" if rng else "?"
        if callee is not self:
            where = f"{_display(callee.path)}:{where.split()[-1]}"
        step = D.Step(rng.start.line if rng else 0, 1,
                      f"in the callee: `{callee.text(value.origin, 40)}` at {where}")
        moved = replace(value, origin=node, base=replace(value.base,
                                                         steps=value.base.steps + (step,)))
        self.pending.setdefault(id(node), (node, moved))
        return moved

    # ------------------------------------------------------------------ assignment

    def assign(self, target: cst.CSTNode, value: Abs) -> None:
        if isinstance(target, cst.Name):
            self.frame.bind(target.value, value)
            self.frame.rebound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            star = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            items = self.unpack(value, len(elements), target)
            if star:
                si = star[0]
                n_after = len(elements) - si - 1
                if isinstance(value, Seq):
                    vals = list(value.items)
                    head, mid = vals[:si], vals[si: len(vals) - n_after]
                    tail = vals[len(vals) - n_after:] if n_after else []
                    for e, v in zip(elements[:si], head):
                        self.assign(e.value, v)
                    self.assign(elements[si].value, Seq(tuple(mid), kind="list"))
                    for e, v in zip(elements[si + 1:], tail):
                        self.assign(e.value, v)
                    return
                for i, e in enumerate(elements):
                    self.assign(e.value, Coll(items[i]) if i == si else items[i])
                return
            for e, v in zip(elements, items):
                self.assign(e.value, v)
        elif isinstance(target, cst.Attribute):
            self.store_attribute(target, value)
        elif isinstance(target, cst.Subscript):
            self.assign_subscript(target, value)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, Coll(value))

    def store_path(self, node: cst.CSTNode, value: Abs) -> None:
        """The object that ``node`` (a name, attribute or subscript) reads was changed in place
        and now holds ``value``: update where it lives. A local name is updated (and marked
        changed in place, see :class:`Frame`); a module-level or enclosing object changed by a
        function may be changed at any time: its value is joined with the new one."""
        if isinstance(node, cst.Name):
            name = node.value
            f = self.frame
            if f.is_module or (name in f.vars and name not in f.global_names):
                f.vars[name] = value
                f.mutated.add(name)
            elif name in f.closure:
                f.closure[name] = join_abs(f.closure[name], value)
            elif name in f.globals:
                f.globals[name] = join_abs(f.globals[name], value)
        elif isinstance(node, cst.Attribute):
            self.store_attribute(node, value)
        elif isinstance(node, cst.Subscript):
            self.assign_subscript(node, value)

    def store_attribute(self, target: cst.Attribute, value: Abs) -> None:
        obj = self.eval(target.value)
        name = target.attr.value
        if isinstance(obj, Instance):
            cls = obj.cls
            cls.attrs[name] = join_abs(cls.attrs.get(name), value) \
                if name in cls.attrs else value
        elif isinstance(obj, ClassVal):
            obj.class_attrs[name] = value
        elif isinstance(obj, ObjVal):
            self.store_path(target.value, obj.with_attr(name, value))
        elif isinstance(obj, D.Inv) and obj.const is None and obj.ndim is None \
                and _sources_of(value):
            # a gauge-carrying value stored on an object of unknown type (a DGL graph's
            # `g.ndata`, a config namespace): the object now holds it
            self.store_path(target.value, ObjVal(((name, value),)))

    def assign_subscript(self, target: cst.Subscript, value: Abs) -> None:
        base = target.value
        cur = self.eval(base)
        if isinstance(base, cst.Name) and self.column_vars:
            col = self.column_update(target, cur, as_value(value))
            if col is not None:
                self.column_updates[base.value] = col
                self.store_path(base, col)
                return
        new = self.subscript_store(cur, target, value)
        if new is not None:
            self.store_path(base, new)

    def subscript_store(self, cur: Abs, target: cst.Subscript, value: Abs) -> Optional[Abs]:
        """The value of ``cur`` after ``cur[...] = value`` (``target`` gives the index), or None
        when eiglint does not follow it."""
        key = _literal(target.slice[0].slice.value) if len(target.slice) == 1 and isinstance(
            target.slice[0].slice, cst.Index) else None
        if isinstance(cur, D.Inv) and isinstance(key, str) and cur.ndim is None \
                and cur.const is None and _sources_of(value):
            # a string key: a mapping of unknown type (`g.ndata`, a DataFrame), not an array
            cur = DictVal(())
        if isinstance(cur, DictVal):
            items = [(k, v) for k, v in cur.items if k != key]
            if key is not None:
                items.append((key, value))
                new: Abs = DictVal(tuple(items))
            else:
                new = Coll(join_abs(as_value(cur), value))
        elif isinstance(cur, (Seq, Coll)):
            new = Coll(join_abs(_elem_of(cur), value))
        elif isinstance(cur, TENSOR_TYPES) and self._whole(target) and isinstance(
                value, TENSOR_TYPES) and not isinstance(cur, D.Broken):
            # `out[...] = v`, `buf[:] = v`: every entry is overwritten
            new = _broadcast_to(value, D.ndim_of(cur))
        elif isinstance(cur, D.Inv) and D.is_charged(as_value(value)):
            new = self.write_into(cur, target, as_value(value))
        elif isinstance(cur, D.Inv) and not D.is_charged(as_value(value)):
            val = as_value(value)
            idx = [self.text(el.slice, 60) for el in target.slice]
            # `S = zeros((m, n)); S[:k, :k] = diag(s)` or `S[i, i] = s[i]`: still diagonal
            diagonal = (cur.const == 0 or cur.diagonal) and isinstance(val, D.Inv) and (
                val.diagonal or (len(idx) == 2 and idx[0] == idx[1]))
            new = D.Inv(ndim=cur.ndim, is_complex=cur.is_complex, diagonal=diagonal)
        elif isinstance(cur, TENSOR_TYPES):
            part = as_value(self.subscript_of(cur, target))
            val = as_value(value)
            if isinstance(cur, D.Cov) and ((isinstance(val, D.Inv) and val.const == 0) or (
                    isinstance(val, D.Cov) and isinstance(part, D.Cov)
                    and D._same_charge(part, val))):
                # zeroing entries, or writing back values with the same gauge
                new = replace(cur, frame=False, diagonal=False)
            elif D.is_charged(cur) or D.is_charged(val) or isinstance(val, D.Broken):
                # a part of the array now carries another gauge than the rest: which part is
                # not tracked, so the array is no longer followed (and not reported)
                new = D.Broken(D.value_kind(cur if D.is_charged(cur) else val))
            else:
                new = cur
        else:
            return None
        return new

    @staticmethod
    def _whole(target: cst.Subscript) -> bool:
        """``x[:]``, ``x[...]``, ``x[:, :]``: the index selects every entry."""
        for el in target.slice:
            s = el.slice
            if isinstance(s, cst.Slice):
                if s.lower is not None or s.upper is not None or s.step is not None:
                    return False
            elif not (isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis)):
                return False
        return True

    def write_into(self, cur: D.Inv, target: cst.Subscript, val: Value) -> Value:
        """A gauge-carrying value written into part of a gauge-free array of known rank.

        Into zeros (``pe = zeros((n, k)); pe[:, :m] = V[:, 1:m + 1]``) the array is covariant:
        the written entries carry the value's charge, the zeros any. A prefix slice (``:m``)
        keeps each position, an integer index leaves the charge a residual (``pe[:, 0] =
        V[:, 1]``), another slice or a list index shifts positions (a new alignment named
        after the write). Into any other array, the entries not written carry nothing: the
        charges are kept per element (layout lost), with labels naming the write. None of it
        applies (the array is no longer followed) when the value does not fit the index."""
        n = cur.ndim
        if n is None or not isinstance(val, D.Cov):
            return D.Broken(D.value_kind(val))
        token = "w[" + self.text(target, 200) + "]"
        if cur.const != 0:
            return D.placed(val, token, n)
        kinds: List[str] = []
        for el in target.slice:
            s = el.slice
            if isinstance(s, cst.Slice):
                prefix = (s.lower is None or _literal(s.lower) == 0) and (
                    s.step is None or _literal(s.step) == 1)
                kinds.append("slice" if prefix else "shift")
            elif isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis):
                kinds.append("ellipsis")
            elif isinstance(s, cst.Index):
                iv = as_value(self.eval(s.value))
                if D.is_charged(iv) or isinstance(iv, D.Broken) or (
                        isinstance(s.value, cst.Name) and s.value.value == "None"):
                    return D.Broken(D.value_kind(val))
                scalar = isinstance(_literal(s.value), int) or (
                    isinstance(iv, D.Inv) and iv.ndim == 0)
                kinds.append("int" if scalar else "shift")
            else:
                return D.Broken(D.value_kind(val))
        if kinds.count("ellipsis") > 1:
            return D.Broken(D.value_kind(val))
        consuming = len(kinds) - kinds.count("ellipsis")
        if consuming > n:
            return D.Broken(D.value_kind(val))
        expanded: List[str] = []
        for k in kinds:
            expanded.extend(["slice"] * (n - consuming) if k == "ellipsis" else [k])
        expanded += ["slice"] * (n - len(expanded))
        kept = [i for i, k in enumerate(expanded) if k != "int"]
        if val.ndim > len(kept) or val.elem:
            return D.Broken(D.value_kind(val))
        axes: List[D.Charge] = [() for _ in range(n)]
        for pos, c in zip(kept[len(kept) - val.ndim:], val.axes):
            axes[pos] = c if expanded[pos] == "slice" else D.retoken_charge(
                c, D.TokenFn(token + "({})"))
        return D.make_cov(axes, val.residual, (), False, 1, val.steps)

    def column_update(self, target: cst.Subscript, cur: Abs, val: Value) -> Optional[Value]:
        """``Y[:, i] = f(Y[:, i])`` in ``for i in range(n)``: every column of ``Y`` is updated
        the same way, so ``Y`` becomes the vectorised update, whose charge on the looped axis
        is the charge that the new column carries for index ``i`` (``V[:, i] *=
        sign(V[0, i])`` makes each column, hence ``V``, invariant). The loop is taken to run
        over the whole axis. None when the pattern does not apply: a name indexed by the
        loop variable alone on one axis, whole slices (or an ellipsis)
        elsewhere, a value of known rank."""
        n = _plain_rank(cur)
        if n is None:
            return None
        if not isinstance(val, (D.Inv, D.Cov)) or (isinstance(val, D.Cov) and val.elem):
            return None

        def loop_index(ex: cst.BaseExpression) -> Optional[Tuple[str, int]]:
            if isinstance(ex, cst.Name) and ex.value in self.column_vars \
                    and ex.value in self.varying:
                return f"{ex.value}#{ex.value}{self.varying[ex.value]}", 1
            return None

        found = _one_special_axis(target, n, loop_index)
        if found is None:
            return None
        pos, key = found
        if (isinstance(cur, D.Cov) and not cur.axes[pos]) or (
                isinstance(cur, D.Inv) and not D.is_charged(val)):
            return None
        suffix = "@" + key
        axis: Dict[D.Key, int] = {}
        rest: Dict[D.Key, int] = {}
        if isinstance(val, D.Cov):
            for (src, m, tok), e in val.residual:
                if tok.endswith(suffix):
                    axis[(src, m, tok[: -len(suffix)])] = e
                else:
                    rest[(src, m, tok)] = e
            axes = list(val.axes)
            pol = val.polarity
        else:
            if val.ndim is not None and val.ndim > n - 1:
                return None
            axes = [() for _ in range(n - 1)]
            pol = 1
        if len(axes) > n - 1:
            return None
        axes = [()] * (n - 1 - len(axes)) + axes
        axes.insert(pos, D.norm_charge(axis))
        steps = val.steps if isinstance(val, D.Cov) else ()
        return D.make_cov(axes, D.norm_charge(rest), (), False, pol, steps)

    def unpack(self, value: Abs, n: int, node: cst.CSTNode) -> List[Abs]:
        if isinstance(value, Seq):
            if len(value.items) == n:
                return list(value.items)
            # a length eiglint did not expect (a variant it does not know): which item goes
            # where is unknown, so none of them is tracked
            e = as_value(_elem_of(value))
            return [D.Broken(D.value_kind(e)) if D.is_charged(e) or isinstance(e, D.Broken)
                    else e] * n
        if isinstance(value, Coll):
            return [value.elem] * n
        if isinstance(value, DictVal):
            return [D.INV] * n
        if isinstance(value, D.Cov):
            return [self.index_value(value, [Index("int", str(i))]) for i in range(n)]
        if isinstance(value, (D.Pending, D.Broken)):
            return [value] * n
        return [D.INV] * n

    def iterate(self, value: Abs, node: cst.CSTNode) -> Abs:
        """The value of one iterate of ``for x in value``."""
        if isinstance(value, Coll):
            elem = value.elem
            if isinstance(elem, D.Cov) and any(semantics.EACH in k[2] for k, _ in elem.residual):
                # one column per iteration (`for v in V.unbind(-1)`): a key of its own
                each = D.TokenFn("{}#" + str(self.loop_iteration))
                res = D.norm_charge({(k[0], k[1], each(k[2]) if semantics.EACH in k[2] else k[2]): e
                                     for k, e in elem.residual})
                return replace(elem, residual=res)
            return elem
        if isinstance(value, Seq):
            return _elem_of(value)
        if isinstance(value, DictVal):
            return D.INV
        if isinstance(value, D.Cov):
            key = f"iter@{self.node_key(node)}#{self.loop_iteration}"
            return self.index_value(value, [Index("int", key)])
        if isinstance(value, D.Pending):
            return self.post(node, D.index(value, [Index("int", "iter")]), [value])
        return value if isinstance(value, D.Broken) else D.INV

    def index_value(self, v: Value, items: Sequence[Index]) -> Value:
        return D.index(v, items)

    # ------------------------------------------------------------------ expressions

    def truth(self, node: cst.BaseExpression) -> None:
        v = self.eval(node)
        if isinstance(v, TENSOR_TYPES) and D.is_charged(v):
            r: Value = D.materialize(v) if isinstance(v, D.Pending) else D.order(
                v, "tests the truth value of a value that depends on the gauge")
            self.post(node, r, [v])

    def eval(self, node: cst.BaseExpression) -> Abs:
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return D.INV
        return method(node)  # type: ignore[no-any-return]

    def eval_Name(self, node: cst.Name) -> Abs:
        v = self.frame.lookup(node.value)
        if v is not None:
            return v
        if node.value in ("True", "False", "None"):
            return D.Inv(const=None)
        return Ref("builtins." + node.value) if node.value in _BUILTINS else D.INV

    def eval_Integer(self, node: cst.Integer) -> Abs:
        return D.Inv(ndim=0, const=complex(int(node.evaluated_value)), is_complex=False)

    def eval_Float(self, node: cst.Float) -> Abs:
        return D.Inv(ndim=0, const=complex(float(node.evaluated_value)), is_complex=False)

    def eval_Imaginary(self, node: cst.Imaginary) -> Abs:
        return D.Inv(ndim=0, const=complex(node.evaluated_value), is_complex=True)

    def eval_SimpleString(self, node: cst.SimpleString) -> Abs:
        return D.INV

    def eval_FormattedString(self, node: cst.FormattedString) -> Abs:
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                self.eval(part.expression)
        return D.INV

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString) -> Abs:
        self.eval(node.left)
        self.eval(node.right)
        return D.INV

    def eval_Ellipsis(self, node: cst.Ellipsis) -> Abs:
        return D.INV

    def eval_Tuple(self, node: cst.Tuple) -> Abs:
        return self._sequence(node.elements, "tuple")

    def eval_List(self, node: cst.List) -> Abs:
        return self._sequence(node.elements, "list")

    def eval_Set(self, node: cst.Set) -> Abs:
        self._sequence(node.elements, "set")
        return D.INV

    def _sequence(self, elements: Sequence[cst.BaseElement], kind: str) -> Abs:
        items: List[Abs] = []
        for e in elements:
            v = self.eval(e.value)
            if isinstance(e, cst.StarredElement):
                if isinstance(v, Seq):
                    items.extend(v.items)
                    continue
                return Coll(join_abs(_join_items(items), _elem_of(v)))
            items.append(v)
        return Seq(tuple(items), kind=kind)

    def eval_Dict(self, node: cst.Dict) -> Abs:
        items: List[Tuple[object, Abs]] = []
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                k = _literal(el.key)
                v = self.eval(el.value)
                items.append((k if k is not None else ("?", len(items)), v))
            else:
                v = self.eval(el.value)
                if isinstance(v, DictVal):
                    items.extend(v.items)
        return DictVal(tuple(items))

    def eval_NamedExpr(self, node: cst.NamedExpr) -> Abs:
        v = self.eval(node.value)
        self.assign(node.target, _unrandom(v))
        return v

    def eval_Await(self, node: cst.Await) -> Abs:
        return self.eval(node.expression)

    def eval_Yield(self, node: cst.Yield) -> Abs:
        if node.value is not None and isinstance(node.value, cst.BaseExpression):
            self.frame.returns.append(Coll(self.eval(node.value)))
        return D.INV

    def eval_Lambda(self, node: cst.Lambda) -> Abs:
        closure = {**self.frame.closure, **self.frame.vars} if not self.frame.is_module else {}
        return Func(node, "<lambda>", self.module_name, closure, analysis=self)

    def eval_IfExp(self, node: cst.IfExp) -> Abs:
        test = node.test
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(
                test.comparisons[0].operator, _SIGN_TESTS):
            # `v if v[0] >= 0 else -v`: a sign convention, as `where(v[0] < 0, -v, v)`
            other = node.body if self._negates(node.orelse, node.body) else (
                node.orelse if self._negates(node.body, node.orelse) else None)
            if other is not None:
                m = as_value(self.eval(test))
                y = self.eval(other)
                if D.mask_sign(m) is not None and isinstance(y, TENSOR_TYPES):
                    r = D.select_negation(m, as_value(y))
                    if r is not None:
                        return self.post(node, r, [m, as_value(y)])
        self.truth(node.test)
        return join_abs(self.eval(node.body), self.eval(node.orelse))

    def eval_BooleanOperation(self, node: cst.BooleanOperation) -> Abs:
        self.truth(node.left)
        return join_abs(self.eval(node.left), self.eval(node.right))

    def eval_UnaryOperation(self, node: cst.UnaryOperation) -> Abs:
        v = self.eval(node.expression)
        if not isinstance(v, TENSOR_TYPES):
            return D.INV
        if isinstance(node.operator, cst.Minus):
            return D.neg(v)
        if isinstance(node.operator, cst.Plus):
            return v
        if isinstance(node.operator, cst.Not):
            self.truth(node.expression)
            return D.Inv(is_complex=False)
        return self.post(node, D.elementwise(v, "invert", "none", node, "inverts the bits",
                                             key=self.key(node.expression)), [v])

    def eval_Comparison(self, node: cst.Comparison) -> Abs:
        left = self.eval(node.left)
        result: Abs = D.Inv(is_complex=False)
        for comp in node.comparisons:
            right = self.eval(comp.comparator)
            op = comp.operator
            if isinstance(op, (cst.Is, cst.IsNot, cst.In, cst.NotIn)):
                left = right
                continue
            lv, rv = as_value(left), as_value(right)
            equality = isinstance(op, (cst.Equal, cst.NotEqual))
            what = "compares" if equality else "orders"
            r = D.compare(lv, rv, f"{what} values that depend on the {_gauge_word(lv, rv)}",
                          equality=equality,
                          origin=node if len(node.comparisons) == 1 and isinstance(
                              op, _SIGN_TESTS) else None)
            result = self.post(node, r, [lv, rv])
            left = right
        return result

    def eval_BinaryOperation(self, node: cst.BinaryOperation) -> Abs:
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.binop(node, type(node.operator).__name__, left, right, node.left, node.right)

    def binop(self, node: cst.CSTNode, op: str, left: Abs, right: Abs,
              lnode: cst.BaseExpression, rnode: cst.BaseExpression) -> Abs:
        if isinstance(left, (Seq, Coll)) or isinstance(right, (Seq, Coll)):
            if op == "Add" and isinstance(left, Seq) and isinstance(right, Seq):
                return Seq(left.items + right.items, kind=left.kind)
            if op in ("Add", "Multiply"):
                return Coll(join_abs(_elem_of(left) if isinstance(left, (Seq, Coll)) else None,
                                     _elem_of(right) if isinstance(right, (Seq, Coll)) else None))
        lv, rv = as_value(left), as_value(right)
        r: Abs
        if op == "Add":
            r = D.add(lv, rv)
        elif op == "Subtract":
            r = D.add(lv, rv, subtract=True, origin=node)
        elif op == "Multiply":
            r = D.mul(lv, rv)
            r = self.step(node, r, [lv, rv], _MUL_NOTE) if isinstance(r, D.Cov) else r
        elif op == "Divide":
            r = D.mul(lv, rv, divide=True)
        elif op == "MatrixMultiply":
            r = D.matmul(lv, rv)
            r = self.step(node, r, [lv, rv], _MATMUL_NOTE) if isinstance(r, D.Cov) else r
        elif op == "Power":
            lit = _literal(rnode)
            if isinstance(lit, (int, float)) and not isinstance(lit, bool):
                r = D.power(lv, Fraction(lit).limit_denominator(64),
                            f"raises to the power {lit}")
                r = self.step(node, r, [lv], _POW_NOTE) if isinstance(r, D.Cov) else r
            elif D.is_charged(rv):
                r = D.elementwise(rv, "pow", "none", node, "uses it as an exponent",
                                  key=self.key(rnode))
            else:
                r = D.power(lv, None, "raises to a non-literal power")
        elif op == "Modulo":
            if isinstance(lv, D.Inv) and isinstance(rv, D.Inv):
                r = D.Inv()
            elif isinstance(lv, D.Pending) and lv.op in ("angle", "angdiff") and isinstance(
                    rv, D.Inv) and semantics.wraps_2pi(rv, self.text(rnode, 200)):
                r = D.wrap(lv)
            else:
                r = D.elementwise(lv, "mod", "none", node, "takes a remainder",
                                  key=f"{self.key(lnode)}%{self.key(rnode)}") \
                    if not D.is_charged(rv) else D.elementwise(
                        rv, "mod", "none", node, "takes a remainder",
                        key=f"{self.key(lnode)}%{self.key(rnode)}")
        elif op == "FloorDivide":
            r = D.elementwise(D.mul(lv, rv, divide=True), "floor_divide", "none", node,
                              "floor-divides", key=f"{self.key(lnode)}//{self.key(rnode)}")
        else:  # bit operations
            if D.is_charged(lv) or D.is_charged(rv):
                r = D.order(lv if D.is_charged(lv) else rv, "applies a bitwise operation")
            else:
                r = D.Inv()
        return self.post(node, r, [lv, rv])

    def eval_Attribute(self, node: cst.Attribute) -> Abs:
        base = self.eval(node.value)
        name = node.attr.value
        return self.get_attribute(node, base, name)

    def get_attribute(self, node: cst.CSTNode, base: Abs, name: str) -> Abs:
        if isinstance(base, Ref):
            if self.project is not None and base.qualname.split(".")[0] not in _LIBRARIES:
                return self.project_value(f"{base.qualname}.{name}")
            return Ref(f"{base.qualname}.{name}")
        if isinstance(base, Seq):
            if base.names and name in base.names:
                return base.items[base.names.index(name)]
            return D.INV
        if isinstance(base, Instance):
            return self.instance_attribute(base, name, node)
        if isinstance(base, ObjVal):
            found = base.get(name)
            return found if found is not None else D.INV
        if isinstance(base, ClassVal):
            if name in base.class_attrs:
                return base.class_attrs[name]
            return base.methods.get(name, D.INV)
        if not isinstance(base, TENSOR_TYPES):
            return D.INV
        if name == "real":
            return self.post(node, D.real(base, node, "takes the real part",
                                          key=self._attr_key(node)), [base])
        if name == "imag":
            return self.post(node, D.imag(base, node, "takes the imaginary part",
                                          key=self._attr_key(node)), [base])
        if name == "T":
            return D.reverse_axes(base)
        if name == "mT":
            return D.transpose(base, -2, -1)
        if name in ("H", "mH"):
            return D.conj(D.transpose(base, -2, -1))
        if name == "data":
            return base
        if name == "dtype":
            cplx = (isinstance(base, D.Inv) and base.is_complex) or (
                D.is_charged(base) and D.value_kind(base) == "phase")
            return D.Inv(is_complex=True if cplx else None)
        if name in ("eigenvalues", "eigenvectors", "U", "S", "Vh", "V", "solution"):
            return D.INV if not D.is_charged(base) else base
        return D.INV

    def instance_attribute(self, inst: Instance, name: str, node: cst.CSTNode) -> Abs:
        cls = inst.cls
        if name in cls.attrs:
            return cls.attrs[name]
        if name in cls.class_attrs:
            return cls.class_attrs[name]
        m = cls.methods.get(name)
        if m is None:
            for b in cls.bases:
                if isinstance(b, ClassVal):
                    v = self.instance_attribute(Instance(b), name, node)
                    if v != D.INV:
                        return v
            return D.INV
        if m.kind == "property":
            return self.call_user(m, node, [], {}, receiver=inst)
        if m.kind == "staticmethod":
            return m
        return Bound(m, inst)

    def eval_Subscript(self, node: cst.Subscript) -> Abs:
        base = self.eval(node.value)
        if isinstance(base, AtVal):
            return AtVal(base.base, node)  # `xpx.at(x)[idx]`: the index of an update
        return self.subscript_of(base, node)

    def subscript_of(self, base: Abs, node: cst.Subscript) -> Abs:
        """``base[...]`` with the index of ``node``."""
        elems = node.slice
        if isinstance(base, (Seq, Coll, DictVal)):
            return self.subscript_container(base, elems)
        if isinstance(base, Ref):
            return base  # typing generics such as Optional[int]
        if not isinstance(base, TENSOR_TYPES):
            return D.INV
        items: List[Index] = []
        operands: List[Abs] = [base]
        for el in elems:
            s = el.slice
            if isinstance(s, cst.Slice):
                parts = [s.lower, s.upper, s.step]
                for p in parts:
                    if p is not None:
                        pv = self.eval(p)
                        if isinstance(pv, TENSOR_TYPES) and D.is_charged(pv):
                            items.append(Index("charged"))
                if (s.lower is None or _literal(s.lower) == 0) and (
                        s.step is None or _literal(s.step) == 1):
                    # `V[:, :k]` keeps each column's position: same alignment as `V` (where
                    # shapes differ the code would fail to run anyway)
                    items.append(Index("slice"))
                else:
                    items.append(Index("slice", self.text(s, 200)))
                continue
            assert isinstance(s, cst.Index)
            ex = s.value
            if isinstance(ex, cst.Name) and ex.value == "None":
                items.append(Index("none"))
                continue
            if isinstance(ex, cst.Ellipsis):
                items.append(Index("ellipsis"))
                continue
            iv = self.eval(ex)
            operands.append(iv)
            ivv = as_value(iv)
            if isinstance(ivv, D.Pending):
                # a sign mask used to select: it depends on the sign (reported where it is made)
                iv = self.post(ex, D.materialize(ivv), [ivv])
                ivv = as_value(iv)
            if D.is_charged(ivv) or isinstance(ivv, D.Broken):
                if isinstance(ivv, D.Broken):
                    items.append(Index("int", "?"))
                else:
                    items.append(Index("charged"))
                continue
            key = self.text(ex, 200)
            for name in _target_names(ex):
                if name.value in self.varying:
                    key += f"#{name.value}{self.varying[name.value]}"
            whole_mask = isinstance(ivv, D.Inv) and ivv.is_complex is False \
                and ivv.ndim is not None and ivv.ndim >= 2
            if (isinstance(ex, cst.Comparison) or whole_mask) and len(elems) == 1:
                items.append(Index("mask", key))
            elif isinstance(ex, cst.Comparison):
                # a boolean mask along one axis of several: selects entries of that axis
                items.append(Index("fancy", key))
            elif _is_full_range(ex):
                # `V[rows, range(k)]` / `arange(k)`: picks every column in order (identity)
                items.append(Index("fancy", ""))
            elif isinstance(ex, (cst.List, cst.Tuple)) or (isinstance(iv, (Seq, Coll))) or (
                    isinstance(ivv, D.Inv) and ivv.ndim is not None and ivv.ndim >= 1):
                items.append(Index("fancy", key))
            else:
                items.append(Index("int", key))
        r = D.index(as_value(base), items)
        return self.post(node, r, operands)

    def subscript_container(self, base: Abs, elems: Sequence[cst.SubscriptElement]) -> Abs:
        if len(elems) != 1:
            return _elem_of(base) if not isinstance(base, DictVal) else D.INV
        s = elems[0].slice
        if isinstance(base, DictVal):
            if isinstance(s, cst.Index):
                key = _literal(s.value)
                self.eval(s.value)
                v = base.get(key)
                if v is not None:
                    return v
            return as_value(base)
        if not isinstance(s, cst.Index):
            return base if isinstance(base, Coll) else Coll(_elem_of(base))
        key = _literal(s.value)
        self.eval(s.value)
        if isinstance(base, Seq) and isinstance(key, int) and -len(base.items) <= key < len(
                base.items):
            return base.items[key]
        return _elem_of(base)

    def eval_ListComp(self, node: cst.ListComp) -> Abs:
        return Coll(self.comprehension(node.for_in, node.elt))

    def eval_SetComp(self, node: cst.SetComp) -> Abs:
        return Coll(self.comprehension(node.for_in, node.elt))

    def eval_GeneratorExp(self, node: cst.GeneratorExp) -> Abs:
        return Coll(self.comprehension(node.for_in, node.elt))

    def eval_DictComp(self, node: cst.DictComp) -> Abs:
        v = self.comprehension(node.for_in, node.value)
        return Coll(v)

    def comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression) -> Abs:
        saved = self.frame.snapshot()
        try:
            comp: Optional[cst.CompFor] = for_in
            while comp is not None:
                iterable = self.eval(comp.iter)
                self.loop_iteration += 1
                for name in _target_names(comp.target):
                    self.varying[name.value] = self.loop_iteration
                self.assign(comp.target, self.iterate(iterable, comp.iter))
                for cond in comp.ifs:
                    self.truth(cond.test)
                comp = comp.inner_for_in
            return self.eval(elt)
        finally:
            comp = for_in
            while comp is not None:
                for name in _target_names(comp.target):
                    self.varying.pop(name.value, None)
                comp = comp.inner_for_in
            self.frame.restore(saved)

    # ------------------------------------------------------------------ calls

    def eval_Call(self, node: cst.Call) -> Abs:
        func = node.func
        receiver: Optional[Abs] = None
        method: Optional[str] = None
        callee: Abs
        if isinstance(func, cst.Attribute):
            receiver = self.eval(func.value)
            method = func.attr.value
            if isinstance(receiver, Ref):
                callee = Ref(f"{receiver.qualname}.{method}")
                receiver, method = None, None
            elif isinstance(receiver, (Instance, ClassVal)):
                callee = self.get_attribute(func, receiver, method)
                if isinstance(callee, (Func, Bound, ClassVal, Instance)) or D.is_charged(
                        as_value(callee)):
                    receiver, method = None, None
                else:
                    # a method the class inherits from code eiglint does not see
                    receiver = D.INV
            else:
                callee = D.INV
        else:
            callee = self.eval(func)
        args, kwargs, arg_nodes, kw_nodes = self.eval_args(node)
        if method is not None and receiver is not None:
            assert isinstance(func, cst.Attribute)
            return self.call_method(node, receiver, method, args, kwargs, arg_nodes, kw_nodes,
                                    func)
        return self.call_value(node, callee, args, kwargs, arg_nodes, kw_nodes)

    def eval_args(self, node: cst.Call) -> Tuple[
            List[Abs], Dict[str, Abs], List[cst.BaseExpression], Dict[str, cst.BaseExpression]]:
        args: List[Abs] = []
        arg_nodes: List[cst.BaseExpression] = []
        kwargs: Dict[str, Abs] = {}
        kw_nodes: Dict[str, cst.BaseExpression] = {}
        for a in node.args:
            v = self.eval(a.value)
            if a.keyword is not None:
                kwargs[a.keyword.value] = v
                kw_nodes[a.keyword.value] = a.value
            elif a.star == "*":
                if isinstance(v, Seq):
                    args.extend(v.items)
                    arg_nodes.extend([a.value] * len(v.items))
                else:
                    args.append(_elem_of(v) if isinstance(v, Coll) else v)
                    arg_nodes.append(a.value)
            elif a.star == "**":
                if isinstance(v, DictVal):
                    for k, item in v.items:
                        if isinstance(k, str):
                            kwargs[k] = item
                            kw_nodes[k] = a.value
            else:
                args.append(v)
                arg_nodes.append(a.value)
        return args, kwargs, arg_nodes, kw_nodes

    def make_call(self, name: str, node: cst.Call, args: Sequence[Abs], kwargs: Mapping[str, Abs],
                  arg_nodes: Sequence[cst.BaseExpression],
                  kw_nodes: Dict[str, cst.BaseExpression]) -> semantics.Call:
        return semantics.Call(
            name,
            list(args),
            dict(kwargs),
            [_literal(n) for n in arg_nodes],
            {k: _literal(n) for k, n in kw_nodes.items()},
            self._text200,
            arg_nodes,
            dict(kw_nodes),
            node,
        )

    def _text200(self, node: object) -> str:
        return self.text(node, 200) if isinstance(node, cst.CSTNode) else ""

    def call_method(self, node: cst.Call, receiver: Abs, method: str, args: List[Abs],
                    kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression],
                    kw_nodes: Dict[str, cst.BaseExpression], func: cst.Attribute) -> Abs:
        if isinstance(receiver, AtVal):
            return self.at_update(node, receiver, method, args)
        if method == "at" and args and self.text(func.value, 80) in ("xpx", "array_api_extra"):
            return self.at_helper(node, args, arg_nodes)
        if isinstance(receiver, (Seq, Coll, DictVal)):
            return self.container_method(node, receiver, method, args, func, kwargs)
        if method.startswith("assert") and not D.is_charged(as_value(receiver)):
            # unittest-style assertions compare their arguments
            vals = [as_value(a) for a in args]
            if len(vals) >= 2 and ("Equal" in method or "Close" in method):
                r = D.compare(vals[0], vals[1], "compares values that carry different gauges",
                              equality=True)
                return self.post(node, r, vals[:2])
            for a, n in zip(vals, arg_nodes):
                if D.is_charged(a):
                    self.post(n, D.order(a, "tests a value that depends on the gauge"), [a])
            return D.INV
        if isinstance(receiver, Func):
            return D.INV
        if isinstance(receiver, Bound):
            return D.INV
        if method in catalogue.NAMESPACE_METHODS and (args or any(
                k in kwargs for k in ("a", "A", "x"))):
            # `xp.linalg.svd(A)` on a namespace eiglint does not know (array-API code):
            # the NumPy conventions (U, S, Vh)
            spec = catalogue.lookup(catalogue.NAMESPACE_METHODS[method])
            if spec is not None:
                return self.decompose(spec, node, args, kwargs, arg_nodes, kw_nodes)
        if method in catalogue.TENSOR_METHODS:
            spec = catalogue.lookup(catalogue.TENSOR_METHODS[method])
            if spec is not None:
                return self.decompose(spec, node, [receiver, *args], kwargs, [func.value,
                                                                             *arg_nodes], kw_nodes)
        handler = semantics.lookup(method)
        rv = as_value(receiver)
        all_args = [rv, *[as_value(a) if not isinstance(a, (Seq, Coll)) else a for a in args]]
        if handler is not None and not D.is_charged(rv) and _NAMESPACE_LIKE.match(
                self.text(func.value, 80)):
            # `xp.where(c, a, b)`, `xp.linalg.norm(v)`: an array namespace passed around as a
            # value (array-API code); the receiver is not an operand
            call = self.make_call(method, node, [a if isinstance(a, (Seq, Coll)) else as_value(a)
                                                 for a in args], kwargs, arg_nodes, kw_nodes)
            res = self._step_for_call(node, method, handler(call), all_args[1:])
            return self.post(node, res, [a for a in all_args[1:] if isinstance(a, TENSOR_TYPES)])
        if method == "copy_" and args and isinstance(receiver, TENSOR_TYPES):
            # `x.copy_(src)`: every entry of x is overwritten by src
            new = _broadcast_to(as_value(args[0]), D.ndim_of(rv))
            if isinstance(func.value, (cst.Name, cst.Attribute, cst.Subscript)):
                self.store_path(func.value, new)
            return new
        if handler is not None:
            call = self.make_call(method, node, all_args, kwargs, [func.value, *arg_nodes],
                                  kw_nodes)
            res = self._step_for_call(node, method, handler(call), all_args)
            res = self.post(node, res, [a for a in all_args if isinstance(a, TENSOR_TYPES)])
            if method.endswith("_") and not method.startswith("_") and isinstance(
                    receiver, TENSOR_TYPES) and isinstance(
                    func.value, (cst.Name, cst.Attribute, cst.Subscript)) and isinstance(
                    res, TENSOR_TYPES):
                # torch's in-place methods (`x.mul_(s)`, `x.clamp_(0)`): x holds the result
                self.store_path(func.value, res)
            return res
        # an unknown method: harmless on gauge-free receivers; an escape on charged ones
        if method in HARMLESS_METHODS:
            return D.INV
        charged = [(n, as_value(a)) for n, a in zip([func.value, *arg_nodes], [receiver, *args])
                   if D.is_charged(as_value(a))]
        if not charged:
            return D.INV
        return self.escape(node, charged, method)

    def at_helper(self, node: cst.Call, args: List[Abs],
                  arg_nodes: Sequence[cst.BaseExpression]) -> Abs:
        """``xpx.at(x)`` or ``xpx.at(x, idx)`` (array-API-extra's functional update)."""
        if len(args) >= 2 and len(arg_nodes) >= 2:
            target = cst.Subscript(value=arg_nodes[0],
                                   slice=[cst.SubscriptElement(cst.Index(arg_nodes[1]))])
            return AtVal(args[0], target)
        return AtVal(args[0])

    def at_update(self, node: cst.Call, at: AtVal, method: str, args: List[Abs]) -> Abs:
        """``xpx.at(x)[idx].set(y)`` (``add``, ``multiply``, ...): a copy of ``x`` with
        ``x[idx]`` replaced, as ``x[idx] = y`` (``x[idx] op y``) would leave it; ``get()``
        reads ``x[idx]``."""
        cur = at.base
        target = at.target if isinstance(at.target, cst.Subscript) else None
        y = args[0] if args else D.INV
        if method == "get":
            return self.subscript_of(cur, target) if target is not None else cur
        ops = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply",
               "divide": "Divide", "power": "Power"}
        if method not in ("set", "min", "max") and method not in ops:
            return D.Broken(D.value_kind(as_value(cur))) if D.is_charged(as_value(cur)) \
                else D.INV
        if method in ops or method in ("min", "max"):
            part = self.subscript_of(cur, target) if target is not None else cur
            if method in ops:
                rnode = node.args[0].value if node.args else node
                y = self.binop(node, ops[method], part, y, node, rnode)
            else:
                y = self.post(node, semantics.TABLE["maximum" if method == "max" else "minimum"](
                    self.make_call("maximum", node, [as_value(part), as_value(y)], {}, [], {})),
                    [as_value(part), as_value(y)])
        if target is None:
            return _broadcast_to(y, D.ndim_of(as_value(cur))) if isinstance(
                y, TENSOR_TYPES) else y
        new = self.subscript_store(cur, target, y)
        return new if new is not None else D.INV

    def container_method(self, node: cst.Call, receiver: Abs, method: str, args: List[Abs],
                         func: cst.Attribute, kwargs: Optional[Dict[str, Abs]] = None) -> Abs:
        kwargs = kwargs or {}
        path = isinstance(func.value, (cst.Name, cst.Attribute, cst.Subscript))
        if method in ("append", "add", "insert", "extend") and path:
            new_elem = args[-1] if args else D.INV
            if method == "extend":
                new_elem = _elem_of(new_elem)
            cur = receiver
            elem = join_abs(_elem_of(cur) if not isinstance(cur, DictVal) else None, new_elem)
            if isinstance(cur, Seq) and not cur.items:
                elem = new_elem
            self.store_path(func.value, Coll(elem))
            return D.INV
        if isinstance(receiver, DictVal) and method == "update" and path:
            new_items: List[Tuple[object, Abs]] = list(receiver.items)
            other = args[0] if args else DictVal(())
            added = list(other.items) if isinstance(other, DictVal) else []
            added += list(kwargs.items())
            for key_, val_ in added:
                new_items = [(k2, v2) for k2, v2 in new_items if k2 != key_] + [(key_, val_)]
            new: Abs = DictVal(tuple(new_items))
            if args and not isinstance(other, DictVal):
                new = Coll(join_abs(as_value(receiver), as_value(other)))  # keys not known
            self.store_path(func.value, new)
            return D.INV
        if isinstance(receiver, DictVal):
            if method in ("values",):
                return Coll(as_value(receiver))
            if method == "items":
                return Coll(Seq((D.INV, as_value(receiver))))
            if method in ("get", "pop", "setdefault") and args:
                key = _literal(node.args[0].value)
                v = receiver.get(key)
                return v if v is not None else as_value(receiver)
            return D.INV
        if method in ("pop", "copy", "index", "count"):
            return _elem_of(receiver) if method == "pop" else (
                receiver if method == "copy" else D.INV)
        return D.INV

    def call_value(self, node: cst.Call, callee: Abs, args: List[Abs], kwargs: Dict[str, Abs],
                   arg_nodes: List[cst.BaseExpression],
                   kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        if isinstance(callee, Ref):
            return self.call_qualname(node, callee.qualname, args, kwargs, arg_nodes, kw_nodes)
        if isinstance(callee, Func):
            if callee.kind == "property":
                return D.INV
            return self.call_user(callee, node, args, kwargs, None, arg_nodes, kw_nodes)
        if isinstance(callee, Bound):
            return self.call_user(callee.func, node, args, kwargs, callee.receiver, arg_nodes,
                                  kw_nodes)
        if isinstance(callee, ClassVal):
            return self.instantiate(node, callee, args, kwargs, arg_nodes, kw_nodes)
        if isinstance(callee, Instance):
            for m in ("__call__", "forward"):
                f = callee.cls.methods.get(m)
                if f is not None:
                    return self.call_user(f, node, args, kwargs, callee, arg_nodes, kw_nodes)
        # calling something unknown (a model, a callback, a parameter)
        charged = [(n, as_value(a)) for n, a in zip([*arg_nodes, *kw_nodes.values()],
                                                    [*args, *kwargs.values()])
                   if D.is_charged(as_value(a))]
        if not charged:
            broken = [as_value(a) for a in [*args, *kwargs.values()]
                      if isinstance(as_value(a), D.Broken)]
            return broken[0] if broken else D.INV
        return self.escape(node, charged, self.text(node.func, 40))

    def instantiate(self, node: cst.Call, cls: ClassVal, args: List[Abs],
                    kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression] = (),
                    kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        inst = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_user(init, node, args, kwargs, inst, arg_nodes, kw_nodes)
        elif "__dataclass_fields__" in cls.class_attrs:
            fields = cls.class_attrs["__dataclass_fields__"]
            assert isinstance(fields, Seq)
            names = [f.qualname for f in fields.items if isinstance(f, Ref)]
            for name, v in zip(names, args):
                cls.attrs[name] = join_abs(cls.attrs.get(name), v) if name in cls.attrs else v
            for k, v in kwargs.items():
                cls.attrs[k] = join_abs(cls.attrs.get(k), v) if k in cls.attrs else v
        return inst

    def escape(self, node: cst.Call, charged: Sequence[Tuple[cst.CSTNode, Value]],
               callee: str) -> Abs:
        result: Abs = D.INV
        for i, (arg_node, v) in enumerate(charged):
            detail = f"is passed to `{callee}`"
            r = D.escape(v, callee, arg_node, detail, key=self.key(arg_node))
            if isinstance(r, D.Broken) and r.causes:
                r = D.Broken(r.kind, r.ndim, tuple(replace(c, origin=arg_node) for c in r.causes))
            if isinstance(r, D.Pending):
                self.pending.setdefault(id(arg_node), (arg_node, r))
                if i == 0 and len(charged) == 1:
                    result = r
                    continue
                r = D.materialize(r)
            result = self.post(arg_node, r, [v])
        return result

    def call_qualname(self, node: cst.Call, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                      arg_nodes: List[cst.BaseExpression],
                      kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        spec = catalogue.lookup(q, self.settings.extra_sources)
        if spec is not None:
            return self.decompose(spec, node, args, kwargs, arg_nodes, kw_nodes)
        if q in catalogue.GAUGE_FIXERS or q in self.settings.invariant_functions:
            return Coll(D.INV)
        if q in catalogue.SELF_FIXING:
            kw, default = catalogue.SELF_FIXING[q]
            lit = _literal(kw_nodes[kw]) if kw in kw_nodes else default
            if lit == default:
                return Coll(D.INV)
            spec = catalogue.lookup("torch.linalg.svd")
            assert spec is not None
            return self.decompose(spec, node, args, kwargs, arg_nodes, kw_nodes)
        if q.endswith("array_api_extra.at") and args:
            return self.at_helper(node, args, arg_nodes)
        if q in ("scipy.linalg.get_blas_funcs", "scipy.linalg.blas.get_blas_funcs") and arg_nodes:
            names = _literal(arg_nodes[0])
            if isinstance(names, str):
                return Ref("scipy.linalg.blas." + semantics.BLAS_GENERIC.get(names, names))
            if isinstance(names, tuple) and all(isinstance(n, str) for n in names):
                return Seq(tuple(Ref("scipy.linalg.blas." + semantics.BLAS_GENERIC.get(
                    str(n), str(n))) for n in names))
        if q in RANDOM_FUNCTIONS or q.startswith(("numpy.random.", "torch.random.")) or \
                q.endswith((".standard_normal", ".normal", ".randn", ".rand", ".uniform",
                            ".random_sample")) and q.startswith(("numpy", "torch", "jax")):
            return D.Inv(random=True, is_complex=self._dtype_complex(kw_nodes),
                         ndim=_shape_rank(q.rpartition(".")[2], arg_nodes, kw_nodes))
        ns, _, name = q.rpartition(".")
        if q in HARMLESS_FUNCTIONS or q.startswith(HARMLESS_PREFIXES) or name in HARMLESS_NAMES:
            return D.INV
        if q.startswith("builtins."):
            return self.call_builtin(node, name, args, kwargs, arg_nodes, kw_nodes)
        if ns in semantics.NAMESPACES or q.startswith("torch.nn.functional.") or \
                _NAMESPACE_LIKE.match(ns.rsplit(".", 1)[-1]):
            if name in TENSOR_CONSTRUCTORS and not any(
                    D.is_charged(as_value(a)) for a in args):
                return D.Inv(is_complex=self._dtype_complex(kw_nodes) or _any_complex(args),
                             diagonal=name in ("eye", "identity", "zeros", "zeros_like"),
                             ndim=2 if name in ("eye", "identity") else _shape_rank(
                                 name, arg_nodes, kw_nodes),
                             const=0j if name in ("zeros", "zeros_like") else None)
            handler = semantics.lookup(name)
            if handler is not None:
                vals = [a if isinstance(a, (Seq, Coll)) else as_value(a) for a in args]
                kvals = {k: (v if isinstance(v, (Seq, Coll)) else as_value(v))
                         for k, v in kwargs.items()}
                call = self.make_call(name, node, vals, kvals, arg_nodes, kw_nodes)
                r = handler(call)
                r = self._step_for_call(node, name, r, vals)
                return self.post(node, r, [v for v in vals if isinstance(v, TENSOR_TYPES)])
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

    def clustering(self, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                   kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[Abs]:
        """sklearn's distance-based clustering (``KMeans(2).fit_predict(V[:, :k])``, spectral
        clustering by hand): the labels depend on the points only through their Euclidean
        distances, which a sign per coordinate does not change. The estimator is a reference
        ``<class>()``; ``fit_predict`` of points whose sign sits on the coordinates is
        invariant, ``fit`` returns the estimator (its ``labels_`` are not followed, nor are
        its ``cluster_centers_``). None when this does not apply."""
        if q in _CLUSTERING:
            for k in ("metric", "affinity", "linkage"):
                if k in kw_nodes and _literal(kw_nodes[k]) not in _CLUSTERING_METRICS:
                    return None  # distances of another kind (correlation, a callable)
            return Ref(q + "()")
        est, _, meth = q.rpartition(".")
        if not (est.endswith("()") and est[:-2] in _CLUSTERING and meth in ("fit", "fit_predict")):
            return None
        x = as_value(args[0] if args else kwargs.get("X", D.INV))
        if isinstance(x, D.Cov) and (x.has_phase() or x.elem or any(x.axes[:-1])):
            return None
        if isinstance(x, (D.Pending, D.Broken)):
            return None
        return Ref(est) if meth == "fit" else D.Inv(ndim=1, is_complex=False)

    def _step_for_call(self, node: cst.Call, name: str, r: Abs, operands: Sequence[Abs]) -> Abs:
        if isinstance(r, D.Cov) and name in ("matmul", "mm", "bmm", "einsum", "mul", "multiply",
                                             "dot", "inner", "outer", "square", "pow", "power",
                                             "kron"):
            return self.step(node, r, [o for o in operands if isinstance(o, TENSOR_TYPES)],
                             _MATMUL_NOTE)
        return r

    def call_builtin(self, node: cst.Call, name: str, args: List[Abs], kwargs: Dict[str, Abs],
                     arg_nodes: List[cst.BaseExpression],
                     kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        if name in ("list", "tuple", "sorted", "reversed", "set", "frozenset"):
            if not args:
                return Seq((), kind="list")
            v = args[0]
            if name == "sorted" and D.is_charged(as_value(_elem_of(v))):
                return self.post(node, D.order(as_value(_elem_of(v)),
                                               "sorts values that depend on the gauge"), [])
            if isinstance(v, Seq):
                return Seq(v.items, kind="list") if name != "reversed" else Seq(
                    tuple(reversed(v.items)))
            if isinstance(v, Coll):
                return v
            if isinstance(v, TENSOR_TYPES):
                return Coll(self.iterate(v, node))
            return Coll(D.INV)
        if name == "zip":
            elems = [self.iterate(a, node) for a in args]
            return Coll(Seq(tuple(elems)))
        if name == "enumerate":
            return Coll(Seq((D.Inv(ndim=0), self.iterate(args[0], node) if args else D.INV)))
        if name == "range":
            return Coll(D.Inv(ndim=0, is_complex=False))
        if name == "map" and len(args) >= 2:
            f = args[0]
            it = self.iterate(args[1], node)
            if isinstance(f, Func):
                return Coll(self.call_user(f, node, [it], {}))
            if isinstance(f, Ref):
                return Coll(self.call_qualname(node, f.qualname, [it], {}, arg_nodes[1:2], {}))
            return Coll(D.INV)
        if name in ("abs",):
            v = as_value(args[0]) if args else D.INV
            return self.post(node, D.abs_(v), [v])
        if name in ("float", "int", "complex", "bool", "round"):
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
        if name in ("sum", "max", "min", "any", "all"):
            v = args[0] if args else D.INV
            elem = as_value(_elem_of(v)) if isinstance(v, (Seq, Coll)) else as_value(v)
            if name == "sum":
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
            if name in ("max", "min") and len(args) == 1 and isinstance(v, TENSOR_TYPES):
                # the largest entry along the first axis (pending: see `D.extreme`)
                return self.post(node, D.extreme(elem, name, (0,), False, node,
                                                 f"uses `{name}`, which depends on the gauge",
                                                 key=self.key(arg_nodes[0])), [elem])
            return self.post(node, D.order(elem, f"uses `{name}`, which depends on the gauge"),
                             [elem])
        if name in ("print", "len", "isinstance", "repr", "str", "id", "type", "hasattr",
                    "getattr", "setattr", "callable", "format", "iter", "next", "super", "vars",
                    "dir", "issubclass", "open", "hash", "input", "exit", "locals", "globals"):
            if name == "next" and args:
                return self.iterate(args[0], node)
            if name == "iter" and args:
                return args[0]
            if name == "getattr" and len(args) >= 2:
                attr = _literal(arg_nodes[1])
                if isinstance(attr, str):
                    return self.get_attribute(node, args[0], attr)
            return D.INV
        if name == "dict":
            return DictVal(tuple((k, v) for k, v in kwargs.items()))
        charged = [(n, as_value(a)) for n, a in zip(arg_nodes, args) if D.is_charged(as_value(a))]
        if not charged:
            return D.INV
        return self.escape(node, charged, name)

    @staticmethod
    def _dtype_complex(kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[bool]:
        n = kw_nodes.get("dtype")
        if n is None:
            return None
        t = _dotted(n) if isinstance(n, (cst.Name, cst.Attribute)) else ""
        if isinstance(n, (cst.SimpleString,)):
            t = str(_literal(n))
        return True if any(w in t for w in ("complex", "cfloat", "cdouble", "chalf")) else False

    # ------------------------------------------------------------------ decompositions

    def decompose(self, spec: catalogue.Decomposition, node: cst.Call, args: Sequence[Abs],
                  kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression],
                  kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        names = spec.names
        for var in spec.variants:
            lit: object = None
            given: Optional[cst.BaseExpression] = None
            if var.keyword in kw_nodes:
                given = kw_nodes[var.keyword]
            elif var.position is not None and var.position < len(arg_nodes):
                given = arg_nodes[var.position]
            if given is not None:
                lit = _literal(given)
                if var.value == catalogue.PRESENT:
                    lit = catalogue.PRESENT if not (
                        isinstance(given, cst.Name) and given.value == "None") else None
            if lit == var.value:
                names = var.outputs
        inp: Abs = D.INV
        for n in spec.input_names:
            if n in kwargs:
                inp = kwargs[n]
                break
        else:
            if args:
                inp = args[0]
        inv = as_value(inp)
        complex_in = (isinstance(inv, D.Inv) and inv.is_complex is True) or (
            isinstance(inv, (D.Cov, D.Pending)) and D.value_kind(inv) == "phase")
        if spec.complex_flag is not None:
            key, val = spec.complex_flag
            if key in kw_nodes and _literal(kw_nodes[key]) == val:
                complex_in = True
        modulus = D.PHASE if spec.gauge == "phase" or complex_in else D.SIGN
        if isinstance(inv, D.Broken) or isinstance(inv, D.Pending):
            res = self.post(node, inv if isinstance(inv, D.Broken) else D.materialize(inv),
                            [inv])
            outs = [res for _ in names]
            return outs[0] if len(outs) == 1 else Seq(tuple(outs), names, spec.container)
        # `svd(torch.randn(n, n))[0]` is the idiom for drawing a random orthogonal matrix: its
        # sign is as random as the draw itself, so it is not tracked (the draw must be inline)
        random_input = isinstance(inv, D.Inv) and inv.random and spec.outputs[1].role == "values" \
            and len(spec.outputs) == 3
        ndim = inv.ndim if isinstance(inv, D.Inv) and inv.ndim is not None and inv.ndim >= 2 else 2
        values: List[Abs] = []
        src_ids: Dict[int, int] = {}
        for name in names:
            o = spec.output(name)
            if o.role == "values" or random_input:
                if isinstance(inv, D.Cov):
                    v: Abs = D.singular_invariant(inv) if "svd" in spec.qualname else \
                        D.similarity_invariant(inv, "decomposes a matrix whose gauge is not a "
                                                    "similarity")
                    v = self.post(node, v, [inv])
                    values.append(D.Inv(ndim=max(ndim - 1, 1)) if isinstance(v, D.Inv) else v)
                else:
                    values.append(D.Inv(ndim=max(ndim - 1, 1) if o.role == "values" else ndim,
                                        random=random_input))
                continue
            sid = src_ids.get(o.source)
            if sid is None:
                sid = self.new_source(node, o.source, spec, modulus, o)
                src_ids[o.source] = sid
            if isinstance(inv, D.Cov):
                values.append(D.Broken(D.value_kind(inv), ndim))
                continue
            if o.role == "vec":
                v = D.seed(sid, modulus, ndim, -1, 1)
            elif o.role == "vh":
                v = D.seed(sid, modulus, ndim, -2, -1)
            else:
                v = D.Cov(tuple(() for _ in range(ndim - 2)) + D.seed_two(sid, modulus, -1, 1).axes)
            if spec.orthonormal and o.role in ("vec", "vh") and not (
                    len(args) > 1 or "b" in kwargs or "B" in kwargs or "M" in kwargs):
                # one tag per output: U and Vh of one SVD are different frames
                # (generalised problems are only B-orthonormal: no frame)
                v = replace(v, frame=f"{sid}:{name}")
            values.append(v)
        if len(values) == 1:
            return values[0]
        return Seq(tuple(values), names, spec.container)

    def new_source(self, node: cst.Call, index: int, spec: catalogue.Decomposition, modulus: int,
                   out: catalogue.Output) -> int:
        key = (id(node), index)
        sid = self._source_ids.get(key)
        if sid is None:
            sid = self.project.new_source_id() if self.project is not None else \
                len(self._source_ids) + 1
            self._source_ids[key] = sid
            if "svd" in spec.qualname or "pca" in spec.qualname:
                label = "singular vectors"
            elif "schur" in spec.qualname:
                label = "Schur vectors"
            else:
                label = "eigenvectors"
            if spec.qualname == "scipy.linalg.eig" or spec.qualname == "jax.lax.linalg.eig":
                label = "left eigenvectors" if out.name == "vl" else "right eigenvectors"
            self.sources[sid] = SourceInfo(sid, spec.qualname, modulus, label, self.path,
                                           (self, node))
        return sid


# --------------------------------------------------------------------------- helpers

#: names under which array-API code passes a NumPy-like namespace around
_NAMESPACE_LIKE = re.compile(
    r"^(xp|np|jnp|cp|cupy|numpy|torch|jax|la|linalg|sla|spla|nla|LA|xpx|fft|array_api_compat|"
    r"array_api_strict|array_namespace|math|cmath)(\.(linalg|fft|numpy|special))*$")

_LIBRARIES = frozenset({"torch", "numpy", "scipy", "jax", "sklearn", "math", "cmath", "builtins"})


@dataclass(frozen=True)
class CallContext:
    """A call whose arguments carry a gauge: breaks of that gauge inside the callee are
    reported at this call."""

    analysis: "ModuleAnalysis"
    node: cst.CSTNode
    arg_sources: FrozenSet[int]
    callee: str


def _step_position(step: D.Step) -> Tuple[int, int]:
    """(line, column) of a trace step, looked up in its module only now."""
    if step.line or not isinstance(step.anchor, tuple):
        return step.line, step.col
    analysis, node = step.anchor
    rng = analysis.pos.get(node)
    return (rng.start.line, rng.start.column + 1) if rng else (0, 0)


def _gauge_word(*vals: Value) -> str:
    return "phase" if any(D.value_kind(v) == "phase" and D.is_charged(v) for v in vals) \
        else "sign"


def _display(path: str) -> str:
    """A path as users see it: relative to the working directory when below it."""
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _sources_of(v: Abs) -> Tuple[int, ...]:
    if isinstance(v, (D.Cov, D.Pending)):
        return v.sources() if isinstance(v, D.Cov) else v.base.sources()
    if isinstance(v, Seq):
        return tuple(s for it in v.items for s in _sources_of(it))
    if isinstance(v, Coll):
        return _sources_of(v.elem)
    if isinstance(v, DictVal):
        return tuple(s for _, it in v.items for s in _sources_of(it))
    if isinstance(v, ObjVal):
        return tuple(s for _, it in v.attrs for s in _sources_of(it))
    if isinstance(v, AtVal):
        return _sources_of(v.base)
    return ()

#: sklearn estimators whose labels depend on the points through Euclidean-like distances only
_CLUSTERING = frozenset("sklearn.cluster." + n for n in (
    "KMeans", "MiniBatchKMeans", "AgglomerativeClustering", "DBSCAN", "HDBSCAN", "OPTICS",
    "SpectralClustering", "MeanShift", "BisectingKMeans"))
_CLUSTERING_METRICS = frozenset({"euclidean", "l2", "minkowski", "manhattan", "l1",
                                 "cityblock", "rbf", "nearest_neighbors", "ward", "complete",
                                 "average", "single"})

#: comparisons that make a sign mask of ``x`` against 0 (``x < 0``)
_SIGN_TESTS = (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)

_BUILTINS = frozenset({
    "print", "len", "abs", "sum", "max", "min", "list", "tuple", "dict", "set", "frozenset",
    "sorted", "reversed", "zip", "enumerate", "range", "map", "filter", "float", "int",
    "complex", "bool", "round", "isinstance", "type", "repr", "str", "id", "any", "all",
    "hasattr", "getattr", "setattr", "callable", "format", "iter", "next", "super", "vars", "dir",
    "issubclass", "open", "hash", "input", "exit", "locals", "globals", "divmod", "pow",
})

_MUL_NOTE = "`{expr}` multiplies {what} without `conj()`"
_MATMUL_NOTE = "`{expr}` combines {what} without pairing each with its conjugate"
_POW_NOTE = "`{expr}` raises {what} to a power"


_MESSAGES = {
    "view": "`{expr}` {detail} of a value that carries the {gauge}{via}",
    "angle": "`{expr}` is shifted by the arbitrary {gauge}{via}",
    "wrap": "`{expr}` {detail}{via}",
    "compare": "`{expr}` {detail}{via}",
    "nonlinear": "`{expr}` {detail} to a value that carries the {gauge}{via}",
    "mix": "`{expr}` {detail}{via}",
    "loss": "`{expr}` {detail}{via}",
    "escape": "`{expr}` carries the {gauge} and {detail}, which eiglint cannot see into{via}",
}
_HINTS = {
    "view": ("Use a phase-invariant form such as `x * x.conj()` or `x.abs()`, or recombine the "
             "parts with `torch.complex`", ""),
    "angle": ("Use angle differences within one column, wrapped (`torch.remainder(d, 2 * "
              "torch.pi)`) or through `cos`/`sin`/`exp(1j * d)`, or fix the phase first", ""),
    "wrap": ("Wrap the difference (`torch.remainder(d, 2 * torch.pi)`, `d % (2 * math.pi)`) or "
             "use it through `cos`/`sin`/`exp(1j * d)`",
             "Wrap the difference (`d % (2 * math.pi)`) or use it through `cos`/`sin`"),
    "compare": ("Compare invariant quantities (`abs()`, `x * x.conj()`) or fix the phase first",
                "Compare invariant quantities (`abs()`, `x ** 2`) or fix the sign first "
                "(e.g. by the largest entry, as sklearn's `svd_flip` does)"),
    "nonlinear": ("Apply it to an invariant quantity (`abs()`, `x * x.conj()`)",
                  "Apply it to an invariant quantity (`abs()`, `x ** 2`) or symmetrise over the "
                  "sign (`f(v) + f(-v)`)"),
    "mix": ("Pair each vector with its conjugate or inverse (`V @ V.mH`, "
            "`V @ diag(L) @ inv(V)`) or fix the phase first",
            "Pair each vector with itself (`V @ V.mT`, `V ** 2`) or fix the sign first"),
    "loss": ("Make the loss phase-invariant (`abs()`, `x * x.conj()`)",
             "Make the loss sign-invariant (`x ** 2`, `abs()`)"),
    "escape": ("Pass a phase-invariant quantity or fix the phase first",
               "Pass a sign-invariant quantity (`abs()`, `** 2`), fix the sign first, or make "
               "the callee sign-invariant (SignNet)"),
}


def _is_column_range(node: cst.BaseExpression) -> bool:
    """``range(n)`` (or ``range(0, n)``): a loop that is taken to visit every column."""
    if not isinstance(node, cst.Call) or _dotted(node.func) not in ("range", "builtins.range"):
        return False
    args = node.args
    if any(a.keyword is not None or a.star for a in args):
        return False
    return len(args) == 1 or (len(args) == 2 and _literal(args[0].value) == 0)


def _target_names(node: cst.CSTNode) -> List[cst.Name]:
    """The names bound by a loop target (or read by a small index expression)."""
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        out: List[cst.Name] = []
        for el in node.elements:
            out.extend(_target_names(el.value))
        return out
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    if isinstance(node, cst.BinaryOperation):
        return _target_names(node.left) + _target_names(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _target_names(node.expression)
    return []


def _is_full_range(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call) or len(node.args) != 1:
        return False
    name = _dotted(node.func) if isinstance(node.func, (cst.Name, cst.Attribute)) else ""
    return name.rsplit(".", 1)[-1] in ("range", "arange")


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _unrandom(v: Abs) -> Abs:
    """Random draws keep their flag only inside the expression that makes them."""
    if isinstance(v, D.Inv) and v.random:
        return replace(v, random=False)
    return v


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
        depth, v = 0, _literal(arg_nodes[0])
        while isinstance(v, tuple) and v:
            depth, v = depth + 1, v[0]
        return depth if depth and not isinstance(v, tuple) else None
    if name not in _SHAPE_FIRST:
        return None
    shape = kw_nodes.get("size") or kw_nodes.get("shape")
    lits = [_literal(shape)] if shape is not None else [_literal(n) for n in arg_nodes]
    if name == "full":
        lits = lits[:1]
    if len(lits) == 1 and isinstance(lits[0], tuple) and all(
            isinstance(e, int) and not isinstance(e, bool) for e in lits[0]):
        return len(lits[0])
    if lits and all(isinstance(e, int) and not isinstance(e, bool) for e in lits):
        return len(lits)
    return None


def _any_complex(args: Sequence[Abs]) -> Optional[bool]:
    for a in args:
        v = as_value(a)
        if isinstance(v, D.Inv) and v.is_complex:
            return True
        if isinstance(v, D.Inv) and v.const is not None and v.const.imag != 0:
            return True
    return None


def _join_items(items: Sequence[Abs]) -> Optional[Abs]:
    out: Optional[Abs] = None
    for it in items:
        out = join_abs(out, it)
    return out


def module_name_for(path: str) -> str:
    p = path.replace("\\", "/")
    if p.endswith(".py"):
        p = p[:-3]
    parts = [s for s in p.split("/") if s not in ("", ".", "..")]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "__main__"


def analyze_text(text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                 project: Optional[Project] = None, line_map: Sequence[int] = ()
                 ) -> List[Finding]:
    """Analyse one module's text and return its findings (sorted).

    With a :class:`Project`, names imported from other modules of the project are followed.
    ``line_map``: the original line of each line of ``text`` when it is a slice.
    """
    name = module_name_for(path)
    if project is not None:
        name = project.add_file(path) if os.path.exists(path) else name
    return ModuleAnalysis(text, path, settings, name, project=project,
                          line_map=line_map).run()

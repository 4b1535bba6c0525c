"""The cross-concern surface of the tracker: shared state and the methods concern modules call
on each other.

Every concern module (statements, expressions, calls, ...) is a mixin over :class:`AnalysisBase`
and sees the others only through the methods declared here, so that ``mypy --strict`` checks
the calls across concerns. The class is assembled in :mod:`eiglint.tracker.analysis`.
"""
from __future__ import annotations

import abc
import logging
import os
import re
from dataclasses import dataclass
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
)

import libcst as cst

from .. import catalogue, semantics, values
from .. import domain as D
from ..domain import Value
from ..positions import Positions, parse_chunked
from ..project import Project
from ..settings import DEFAULT_SETTINGS, Settings
from ..types import Finding
from ..values import Abs, BudgetExceeded, ClassVal, Func, step_budget
from .cache import ModuleCache, cache_for

_WS = re.compile(r"\s+")

_log = logging.getLogger("eiglint")


@dataclass
class SourceInfo:
    id: int
    api: str
    modulus: int
    label: str  # "eigenvectors" / "singular vectors" / "Schur vectors"
    path: str
    anchor: Tuple["AnalysisBase", cst.CSTNode]
    #: a sign gauge that is a phase if the input is complex (its dtype is not known, or
    #: NumPy's eig of a real matrix): `.real`, `.imag` and `angle` read it as a phase
    promotable: bool = False

    @property
    def spectrum(self) -> bool:
        """Real vectors for a real spectrum, complex ones otherwise (NumPy's/SciPy's eig of
        a real matrix, modelled as a sign)."""
        spec = catalogue.lookup(self.api)
        return spec is not None and spec.gauge == "spectrum" and self.modulus == D.SIGN

    @property
    def line(self) -> int:
        return step_position(D.Step(0, 0, "", self.anchor))[0]


class Frame:
    """Variables of one scope while it is being executed."""

    def __init__(self, globals_: Dict[str, Abs], closure: Optional[Dict[str, Abs]] = None,
                 is_module: bool = False) -> None:
        self.vars: Dict[str, Abs] = globals_ if is_module else {}
        self.globals = globals_
        self.closure = closure or {}
        self.is_module = is_module
        self.returns: List[Abs] = []
        #: each ``return`` statement's expression with its value
        self.return_nodes: List[Tuple[cst.BaseExpression, Abs]] = []
        #: the function's parameters (attributes stored on them reach the caller)
        self.params: FrozenSet[str] = frozenset()
        #: functions of the analysed code called here -> their call expressions, in order
        self.calls_made: Dict[int, List[int]] = {}
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


@dataclass(frozen=True)
class CallContext:
    """A call whose arguments carry a gauge: breaks of that gauge inside the callee are
    reported at this call."""

    analysis: "AnalysisBase"
    node: cst.CSTNode
    arg_sources: FrozenSet[int]
    callee: str
    #: the called function's definition (a break made outside it is not the call's)
    body: Optional[cst.CSTNode] = None


def step_position(step: D.Step) -> Tuple[int, int]:
    """(line, column) of a trace step, looked up in its module only now."""
    if step.line or not isinstance(step.anchor, tuple):
        return step.line, step.col
    analysis, node = step.anchor
    rng = analysis.pos.get(node)
    return (rng.start.line, rng.start.column + 1) if rng else (0, 0)


def display(path: str) -> str:
    """A path as users see it: relative to the working directory when below it."""
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


@dataclass(frozen=True)
class Span:
    """The values a loop variable runs over: ``range(start, stop)`` (``stop`` an expression),
    or the positions of ``counted`` (``enumerate(states)``)."""

    start: int
    stop: Optional[cst.BaseExpression] = None
    counted: Optional[str] = None


class AnalysisBase(abc.ABC):
    """State of one module's analysis and the methods concerns share (declared here, defined in
    the concern mixins)."""

    def __init__(self, text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                 module_name: str = "__main__", project: Optional[Project] = None,
                 line_map: Sequence[int] = (), starts: Sequence[int] = ()) -> None:
        self.path = path
        #: original line of each line of ``text`` when it is a slice (:mod:`eiglint.slicing`)
        self.line_map = tuple(line_map)
        self.project = project
        self.settings = settings
        self.module_name = module_name
        #: ``starts``: the lines where top-level statements begin (:func:`parse_chunked`)
        self.module, self._starts = parse_chunked(text, starts)
        self._pos: Optional[Positions] = None
        self._node_keys: Dict[int, int] = {}
        self.findings: Dict[Tuple[int, int, str], Finding] = {}
        #: the analyses of imported modules and the gauge sources of the run (with a project)
        self.cache: Optional[ModuleCache[AnalysisBase, SourceInfo]] = \
            cache_for(project, self.analyse_imported) if project is not None else None
        self.sources: Dict[int, SourceInfo] = self.cache.sources if self.cache is not None else {}
        self._source_ids: Dict[Tuple[int, int, int, str], int] = {}
        #: evaluating the options of a run-time choice of solvers (``eig if directed else
        #: eigh``): each option's decomposition is a source of its own
        self.choosing = False
        #: the calls of functions of this module being analysed, innermost last: a
        #: decomposition in a function called from two places of one body gives two sources
        #: (calls on different data never share a gauge: `V_t @ V_s.T` of two PCA frames)
        self.call_sites: List[int] = []
        self.pending: Dict[int, Tuple[cst.CSTNode, D.Pending]] = {}
        #: the calls under way when each pending value was made (see :meth:`hold`)
        self.pending_contexts: Dict[int, List[CallContext]] = {}
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
        #: loop variables -> what they run over (``range(n)``), for reads of family members
        self.spans: Dict[str, Span] = {}
        #: names bound to ``len(x)`` -> the text of ``x``
        self.lengths: Dict[str, str] = {}
        self.loop_iteration = 0
        #: loop variables of ``for i in range(n)`` loops being analysed: an update of column
        #: ``i`` of an array is an update of every column (see :meth:`column_update`)
        self.column_vars: Set[str] = set()
        #: arrays updated column by column in the loop being analysed -> their value after it
        self.column_updates: Dict[str, Abs] = {}
        #: operands (node ids) between two matrix products: matrices whatever their rank says
        self.matrix_operands: Set[int] = set()
        #: the frame of the function run last (its ``return`` statements)
        self.last_frame: Optional[Frame] = None
        #: loops and comprehensions being run item by item (:mod:`.unroll`)
        self.unroll_depth = 0
        #: facts about a node's text (which names a loop multiplies into, whether a loop body
        #: can leave early), computed once per node: (what, id(node)) -> names
        self.syntax_memo: Dict[Tuple[str, int], FrozenSet[str]] = {}

    @property
    def pos(self) -> Positions:
        """Positions of nodes (in the original file when this is a slice), computed per
        top-level statement on first use: only modules that report something, or record a
        trace, pay for them (:mod:`eiglint.positions`)."""
        if self._pos is None:
            self._pos = Positions(self.module, self.line_map, self._starts)
        return self._pos

    def node_key(self, node: cst.CSTNode) -> int:
        """A small deterministic number per node (order of first use)."""
        return self._node_keys.setdefault(id(node), len(self._node_keys))

    def text(self, node: cst.CSTNode, limit: int = 60, strip_parens: bool = False) -> str:
        t = self._text_cache.get(id(node))
        if t is None:
            t = _WS.sub(" ", self.module.code_for_node(node)).strip()
            self._text_cache[id(node)] = t
        if strip_parens:
            t = semantics.bare(t)
        return t if len(t) <= limit else t[: limit - 3] + "..."

    def key(self, node: cst.CSTNode) -> Optional[str]:
        """An operand's identity up to its sign, for pending parts (``relu(2 * v)`` and
        ``relu(-v)`` must not be symmetrised, nor ``v.real`` and ``(2 * v).imag`` recombined)."""
        return semantics.arg_key(self.text(node, 10_000))

    def _attr_key(self, node: cst.CSTNode) -> Optional[str]:
        return self.key(node.value) if isinstance(node, cst.Attribute) else None

    def _within_budget(self, what: str, run: Callable[[], object]) -> bool:
        """``run`` with a step budget of its own (:func:`eiglint.values.step_budget`); past
        it, what ``run`` found is dropped (the analysis is unknown there, never a finding)
        and, under --debug, said. Whether ``run`` finished within the budget."""
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
            return False
        return True

    # ------------------------------------------------------------ declared cross-concern methods

    @staticmethod
    @abc.abstractmethod
    def analyse_imported(project: Project, text: str, path: str, module: str) -> AnalysisBase:
        """The module-level analysis of a module this one imports (for :mod:`.cache`).
        Defined in :mod:`eiglint.tracker.analysis`."""

    @abc.abstractmethod
    def _sort_pos(self, node: cst.CSTNode) -> Tuple[int, int]:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def report_causes(self, value: Value, node: cst.CSTNode) -> None:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def post(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs] = ()) -> Abs:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def step(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs], note: str) -> Abs:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def exec_body(self, body: cst.BaseSuite) -> None:
        """Defined in :mod:`eiglint.tracker.statements`."""

    @abc.abstractmethod
    def project_value(self, qualname: str, force: bool = False) -> Abs:
        """Defined in :mod:`eiglint.tracker.statements`."""

    @abc.abstractmethod
    def sign_convention(self, st: cst.If) -> bool:
        """Defined in :mod:`eiglint.tracker.idioms`."""

    @abc.abstractmethod
    def _negates(self, value: cst.BaseExpression, target: cst.BaseExpression) -> bool:
        """Defined in :mod:`eiglint.tracker.idioms`."""

    @abc.abstractmethod
    def mask_flip(self, target: cst.Subscript) -> bool:
        """Defined in :mod:`eiglint.tracker.idioms`."""

    @abc.abstractmethod
    def real_ratio(self, num: Value, den: Value) -> Optional[Value]:
        """Defined in :mod:`eiglint.tracker.idioms`."""

    @abc.abstractmethod
    def define_function(self, node: cst.FunctionDef, owner: Optional[ClassVal] = None) -> Func:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def define_class(self, node: cst.ClassDef) -> None:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def analyse_standalone(self, func: Func, force: bool = False) -> None:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def call_user(self, func: Func, node: cst.CSTNode, args: List[Abs], kwargs: Dict[str, Abs],
                  receiver: Optional[Abs] = None,
                  arg_nodes: Sequence[cst.BaseExpression] = (),
                  kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def assign(self, target: cst.CSTNode, value: Abs) -> None:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def store_attribute(self, target: cst.Attribute, value: Abs, refix: bool = False) -> None:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def store_path(self, node: cst.CSTNode, value: Abs) -> None:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def assign_subscript(self, target: cst.Subscript, value: Abs) -> None:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def subscript_store(self, cur: Abs, target: cst.Subscript, value: Abs) -> Optional[Abs]:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def column_update(self, target: cst.Subscript, cur: Abs, val: Value) -> Optional[Value]:
        """Defined in :mod:`eiglint.tracker.idioms`."""

    @abc.abstractmethod
    def iterate(self, value: Abs, node: cst.CSTNode) -> Abs:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def truth(self, node: cst.BaseExpression) -> None:
        """Defined in :mod:`eiglint.tracker.statements`."""

    @abc.abstractmethod
    def eval(self, node: cst.BaseExpression) -> Abs:
        """Defined in :mod:`eiglint.tracker.expressions`."""

    @abc.abstractmethod
    def binop(self, node: cst.CSTNode, op: str, left: Abs, right: Abs,
              lnode: cst.BaseExpression, rnode: cst.BaseExpression) -> Abs:
        """Defined in :mod:`eiglint.tracker.expressions`."""

    @abc.abstractmethod
    def get_attribute(self, node: cst.CSTNode, base: Abs, name: str) -> Abs:
        """Defined in :mod:`eiglint.tracker.access`."""

    @abc.abstractmethod
    def subscript_of(self, base: Abs, node: cst.Subscript) -> Abs:
        """Defined in :mod:`eiglint.tracker.access`."""

    @abc.abstractmethod
    def make_call(self, name: str, node: cst.Call, args: Sequence[Abs], kwargs: Mapping[str, Abs],
                  arg_nodes: Sequence[cst.BaseExpression],
                  kw_nodes: Dict[str, cst.BaseExpression]) -> semantics.Call:
        """Defined in :mod:`eiglint.tracker.calls`."""

    @abc.abstractmethod
    def _text200(self, node: object) -> str:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def call_method(self, node: cst.Call, receiver: Abs, method: str, args: List[Abs],
                    kwargs: Dict[str, Abs], arg_nodes: List[cst.BaseExpression],
                    kw_nodes: Dict[str, cst.BaseExpression], func: cst.Attribute) -> Abs:
        """Defined in :mod:`eiglint.tracker.methods`."""

    @abc.abstractmethod
    def at_helper(self, node: cst.Call, args: List[Abs],
                  arg_nodes: Sequence[cst.BaseExpression]) -> Abs:
        """Defined in :mod:`eiglint.tracker.methods`."""

    @abc.abstractmethod
    def call_value(self, node: cst.Call, callee: Abs, args: List[Abs], kwargs: Dict[str, Abs],
                   arg_nodes: List[cst.BaseExpression],
                   kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        """Defined in :mod:`eiglint.tracker.calls`."""

    @abc.abstractmethod
    def instantiate(self, node: cst.Call, cls: ClassVal, args: List[Abs],
                    kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression] = (),
                    kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def escape(self, node: cst.Call, charged: Sequence[Tuple[cst.CSTNode, Value]],
               callee: str) -> Abs:
        """Defined in :mod:`eiglint.tracker.calls`."""

    @abc.abstractmethod
    def call_qualname(self, node: cst.Call, q: str, args: List[Abs], kwargs: Dict[str, Abs],
                      arg_nodes: List[cst.BaseExpression],
                      kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        """Defined in :mod:`eiglint.tracker.qualnames`."""

    @abc.abstractmethod
    def _step_for_call(self, node: cst.Call, name: str, r: Abs, operands: Sequence[Abs]) -> Abs:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @staticmethod
    @abc.abstractmethod
    def _dtype_complex(kw_nodes: Dict[str, cst.BaseExpression]) -> Optional[bool]:
        """Defined in :mod:`eiglint.tracker.sources`."""

    @abc.abstractmethod
    def decompose(self, spec: catalogue.Decomposition, node: cst.Call, args: Sequence[Abs],
                  kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression],
                  kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        """Defined in :mod:`eiglint.tracker.sources`."""

    @abc.abstractmethod
    def emit(self, cause: D.Cause, node: cst.CSTNode) -> None:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def hold(self, node: cst.CSTNode, value: D.Pending) -> None:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def flush_pending(self) -> None:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def expose(self, node: cst.CSTNode, value: Abs, detail: str) -> None:
        """Defined in :mod:`eiglint.tracker.diagnostics`."""

    @abc.abstractmethod
    def exposed_attribute(self, target: cst.Attribute, rhs: cst.BaseExpression,
                          value: Abs) -> None:
        """Defined in :mod:`eiglint.tracker.stores`."""

    @abc.abstractmethod
    def per_iteration(self, value: Abs, sources: Iterable[int]) -> Abs:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def member_view(self, value: Abs, label: str) -> Abs:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def part_view(self, value: Abs) -> Abs:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def note_span(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def note_length(self, st: cst.Assign) -> None:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def read_label(self, container: cst.BaseExpression, index: cst.BaseExpression) -> str:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def zip_labels(self, node: cst.Call, args: Sequence[cst.BaseExpression],
                   members: Sequence[Abs]) -> List[str]:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def carried(self, env: Dict[str, Abs]) -> Dict[str, Abs]:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def closed_products(self, loop: cst.CSTNode, env: Dict[str, Abs]) -> Dict[str, Abs]:
        """Defined in :mod:`eiglint.tracker.families`."""

    @abc.abstractmethod
    def unrollable(self, value: Abs) -> Optional[Tuple[Abs, ...]]:
        """Defined in :mod:`eiglint.tracker.unroll`."""

    @abc.abstractmethod
    def exec_unrolled(self, st: cst.For, items: Sequence[Abs]) -> None:
        """Defined in :mod:`eiglint.tracker.unroll`."""

    @abc.abstractmethod
    def unrolled_comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression) -> Abs:
        """Defined in :mod:`eiglint.tracker.unroll`."""

    @abc.abstractmethod
    def comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression,
                      first: Optional[Abs] = None) -> Abs:
        """Defined in :mod:`eiglint.tracker.expressions`."""

    @abc.abstractmethod
    def as_complex(self, v: Value) -> Value:
        """Defined in :mod:`eiglint.tracker.sources`."""

    @abc.abstractmethod
    def call_in_module(self, func: Func, node: cst.CSTNode, args: List[Abs],
                       kwargs: Dict[str, Abs], receiver: Optional[Abs],
                       caller: "AnalysisBase",
                       writes: Optional[Dict[Tuple[str, object], Abs]] = None) -> Abs:
        """Defined in :mod:`eiglint.tracker.functions`."""

    @abc.abstractmethod
    def transfer(self, value: Abs, node: cst.CSTNode, callee: "AnalysisBase",
                 arg_sources: FrozenSet[int]) -> Abs:
        """Defined in :mod:`eiglint.tracker.functions`."""

"""Abstract values of the tracker beyond tensors: references, containers, functions, objects.

Tensors (and everything numeric) are domain values (:mod:`eiglint.domain`); these wrap them.
"""
from __future__ import annotations

import abc
import contextlib
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from .domain import Broken, Cov, Inv, Pending, Value


class _Hashed(abc.ABC):
    """Containers are hashed once (the hash is kept on the value) and compared by identity,
    then by hash, and only then field by field: the call memo and the loop fixpoint compare
    values that may be large, and two different values almost never share a hash."""

    @abc.abstractmethod
    def _key(self) -> Tuple[Any, ...]:
        """The fields that make the value, in order (each container says which)."""

    def __hash__(self) -> int:
        h: Optional[int] = self.__dict__.get("_hash")
        if h is None:
            h = hash((type(self).__name__, self._key()))
            object.__setattr__(self, "_hash", h)
        return h

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Hashed)
        return hash(self) == hash(other) and self._key() == other._key()


@dataclass(frozen=True)
class Ref:
    """A module, function or class known by its qualified name (``torch.linalg.eig``)."""

    qualname: str


@dataclass(frozen=True, eq=False)
class Seq(_Hashed):
    """A tuple or list of known length (decomposition results are named tuples)."""

    items: Tuple["Abs", ...]
    names: Optional[Tuple[str, ...]] = None
    kind: str = "tuple"

    def _key(self) -> Tuple[Any, ...]:
        return (self.items, self.names, self.kind)


@dataclass(frozen=True, eq=False)
class Coll(_Hashed):
    """A collection of unknown length whose elements all look like ``elem``."""

    elem: "Abs"

    def _key(self) -> Tuple[Any, ...]:
        return (self.elem,)


def _lookup(pairs: Tuple[Tuple[object, "Abs"], ...], key: object) -> Optional["Abs"]:
    """The value of the first pair whose key is ``key`` (None when there is none)."""
    return next((v for k, v in pairs if k == key), None)


@dataclass(frozen=True, eq=False)
class DictVal(_Hashed):
    items: Tuple[Tuple[object, "Abs"], ...]

    def _key(self) -> Tuple[Any, ...]:
        return (self.items,)

    def get(self, key: object) -> Optional["Abs"]:
        return _lookup(self.items, key)


@dataclass(eq=False)
class Func:
    """A function or lambda defined in the linted code."""

    node: Any
    name: str
    module: str
    closure: Dict[str, "Abs"] = field(default_factory=dict)
    is_method: bool = False
    kind: str = "function"  # function | staticmethod | classmethod | property
    owner: Optional["ClassVal"] = None
    #: the module analysis that defined it (where its body is analysed)
    analysis: Any = None


@dataclass(eq=False)
class ClassVal:
    """A class defined in the linted code, with the attributes its methods store on ``self``."""

    node: Any
    name: str
    methods: Dict[str, Func] = field(default_factory=dict)
    attrs: Dict[str, "Abs"] = field(default_factory=dict)
    class_attrs: Dict[str, "Abs"] = field(default_factory=dict)
    bases: Tuple["Abs", ...] = ()


@dataclass(frozen=True)
class Instance:
    cls: ClassVal


@dataclass(frozen=True, eq=False)
class ObjVal(_Hashed):
    """An object of a type eiglint does not know (a DGL graph, a config object) on which the
    code stored attributes: ``g.ndata['pe'] = pe`` makes ``g`` an object whose ``ndata`` is a
    dict holding ``pe``. Reading another attribute gives an unknown, gauge-free value."""

    attrs: Tuple[Tuple[str, "Abs"], ...]

    def _key(self) -> Tuple[Any, ...]:
        return (self.attrs,)

    def get(self, name: str) -> Optional["Abs"]:
        return _lookup(self.attrs, name)

    def with_attr(self, name: str, value: "Abs") -> "ObjVal":
        return ObjVal(tuple((k, v) for k, v in self.attrs if k != name) + ((name, value),))


@dataclass(frozen=True)
class AtVal:
    """``xpx.at(x)`` (array-API-extra's functional in-place update), indexed or not yet:
    ``at(x)[idx].set(y)`` is ``x`` with ``x[idx] = y``. ``target`` is the subscript that gave
    the index (a libcst node), None until indexed."""

    base: "Abs"
    target: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class Bound:
    """A method looked up on an object before it is called (``f = obj.method``)."""

    func: Func
    receiver: "Abs"


Abs = Union[Inv, Cov, Pending, Broken, Ref, Seq, Coll, DictVal, Func, ClassVal, Instance, Bound,
            ObjVal, AtVal]
TENSOR_TYPES = (Inv, Cov, Pending, Broken)


def as_value(v: "Abs") -> Value:
    """The tensor view of an abstract value (containers contribute their joined elements)."""
    from . import domain as D

    if isinstance(v, TENSOR_TYPES):
        return v
    if isinstance(v, Seq):
        out: Value = D.INV
        for it in v.items:
            out = D.join(out, as_value(it))
        return out
    if isinstance(v, Coll):
        return as_value(v.elem)
    if isinstance(v, DictVal):
        out = D.INV
        for _, it in v.items:
            out = D.join(out, as_value(it))
        return out
    return D.INV


# ----------------------------------------------------------------------------- bounds
#
# The analysis is bounded by construction: loops run a fixed number of rounds, calls a fixed
# depth, and the two bounds below keep one file's analysis cheap however its code is written.


#: a container value with more nodes than this, or nested deeper, is joined to a summary
MAX_VALUE_NODES = 200
MAX_VALUE_DEPTH = 8


def _fits(v: "Abs", budget: int, depth: int) -> int:
    """``budget`` minus the nodes of ``v``, or -1 once over the node or depth bound (stops
    counting there: the check costs at most ``MAX_VALUE_NODES`` steps)."""
    budget -= 1
    if budget < 0 or depth > MAX_VALUE_DEPTH:
        return -1
    if isinstance(v, Seq):
        for it in v.items:
            budget = _fits(it, budget, depth + 1)
            if budget < 0:
                return -1
    elif isinstance(v, Coll):
        return _fits(v.elem, budget, depth + 1)
    elif isinstance(v, (DictVal, ObjVal)):
        for _, it in (v.items if isinstance(v, DictVal) else v.attrs):
            budget = _fits(it, budget, depth + 1)
            if budget < 0:
                return -1
    return budget


def bounded(v: "Abs") -> "Abs":
    """``v``, or its summary when it is over the size or depth bound: a collection of an
    unknown value, gauge-dependent (silently: no cause to report) when anything in ``v`` was.
    What it held is forgotten, so a summary never adds a finding; it may lose one."""
    if not isinstance(v, (Seq, Coll, DictVal, ObjVal)) or _fits(v, MAX_VALUE_NODES, 0) >= 0:
        return v
    from . import domain as D

    joined = as_value(v)
    return Coll(D.INV if isinstance(joined, Inv) else Broken(D.value_kind(joined)))


class BudgetExceeded(Exception):
    """The analysis of one function (with what it calls) used up its step budget."""


#: statements one top-level analysis (the module body, or one function with everything it
#: calls) may execute; far above what real functions need (see tests/reliability)
STEP_BUDGET = 200_000


class StepBudget:
    """Counts the statements an analysis executes; :meth:`tick` raises
    :class:`BudgetExceeded` past the limit. The analysis that hit it is dropped: its
    function is "unknown" and gives no finding."""

    __slots__ = ("limit", "used")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def tick(self) -> None:
        self.used += 1
        if self.used > self.limit:
            raise BudgetExceeded(self.used)


#: the budget of the analysis running now (innermost last); none outside an analysis
_BUDGETS: List[StepBudget] = [StepBudget(1 << 62)]


def tick() -> None:
    """One statement executed, charged to the analysis running now."""
    _BUDGETS[-1].tick()


@contextlib.contextmanager
def step_budget(limit: Optional[int] = None) -> Iterator[StepBudget]:
    """A fresh budget for one top-level analysis (a module body, one function): what it calls,
    in any module, is charged to it; an imported module's own body gets its own."""
    budget = StepBudget(STEP_BUDGET if limit is None else limit)
    _BUDGETS.append(budget)
    try:
        yield budget
    finally:
        _BUDGETS.pop()

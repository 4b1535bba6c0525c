"""Abstract values of the tracker beyond tensors: references, containers, functions, objects.

Tensors (and everything numeric) are domain values (:mod:`eiglint.domain`); these wrap them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple, Union

from .domain import Broken, Cov, Inv, Pending, Value


@dataclass(frozen=True)
class Ref:
    """A module, function or class known by its qualified name (``torch.linalg.eig``)."""

    qualname: str


@dataclass(frozen=True)
class Seq:
    """A tuple or list of known length (decomposition results are named tuples)."""

    items: Tuple["Abs", ...]
    names: Optional[Tuple[str, ...]] = None
    kind: str = "tuple"


@dataclass(frozen=True)
class Coll:
    """A collection of unknown length whose elements all look like ``elem``."""

    elem: "Abs"


def _lookup(pairs: Tuple[Tuple[object, "Abs"], ...], key: object) -> Optional["Abs"]:
    """The value of the first pair whose key is ``key`` (None when there is none)."""
    return next((v for k, v in pairs if k == key), None)


@dataclass(frozen=True)
class DictVal:
    items: Tuple[Tuple[object, "Abs"], ...]

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


@dataclass(frozen=True)
class ObjVal:
    """An object of a type eiglint does not know (a DGL graph, a config object) on which the
    code stored attributes: ``g.ndata['pe'] = pe`` makes ``g`` an object whose ``ndata`` is a
    dict holding ``pe``. Reading another attribute gives an unknown, gauge-free value."""

    attrs: Tuple[Tuple[str, "Abs"], ...]

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

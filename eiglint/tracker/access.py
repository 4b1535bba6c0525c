"""Attribute and subscript reads.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Sequence

import libcst as cst

from .. import domain as D
from ..domain import Index
from ..library import LIBRARY_TOP_LEVELS
from ..values import (
    TENSOR_TYPES,
    Abs,
    AtVal,
    Bound,
    ClassVal,
    Coll,
    DictVal,
    Instance,
    ObjVal,
    Ref,
    Seq,
    as_value,
)
from .joins import elem_of, is_choice
from .shared import AnalysisBase
from .syntax import dotted, literal, target_names


def _is_full_range(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call) or len(node.args) != 1:
        return False
    name = dotted(node.func) if isinstance(node.func, (cst.Name, cst.Attribute)) else ""
    return name.rsplit(".", 1)[-1] in ("range", "arange")


class AccessMixin(AnalysisBase):

    def eval_Attribute(self, node: cst.Attribute) -> Abs:
        base = self.eval(node.value)
        name = node.attr.value
        return self.get_attribute(node, base, name)

    def get_attribute(self, node: cst.CSTNode, base: Abs, name: str) -> Abs:
        if isinstance(base, Ref):
            if self.project is not None and base.qualname.split(".")[0] not in LIBRARY_TOP_LEVELS:
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
            return self.post(node, D.real(self.as_complex(as_value(base)), node,
                                          "takes the real part", key=self._attr_key(node)),
                             [base])
        if name == "imag":
            return self.post(node, D.imag(self.as_complex(as_value(base)), node,
                                          "takes the imaginary part",
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
            return self.subscript_container(base, node)
        if isinstance(base, Ref):
            return base  # typing generics such as Optional[int]
        if not isinstance(base, TENSOR_TYPES):
            return D.INV
        items: List[Index] = []
        operands: List[Abs] = [base]
        for el in elems:
            s = el.slice
            if isinstance(s, cst.Slice):
                items.extend(self._slice_items(s))
                continue
            assert isinstance(s, cst.Index)
            items.append(self._index_item(s.value, base, len(elems), operands))
        r = D.index(as_value(base), items)
        if isinstance(r, D.Inv) and r.ndim is None:
            r = replace(r, ndim=full_index_rank(as_value(base), items))
        return self.post(node, r, operands)

    def _slice_items(self, s: cst.Slice) -> List[Index]:
        """The index items of one slice: a gauge-charged bound, and the slice itself."""
        items: List[Index] = []
        for p in (s.lower, s.upper, s.step):
            if p is not None:
                pv = self.eval(p)
                if isinstance(pv, TENSOR_TYPES) and D.is_charged(pv):
                    items.append(Index("charged"))
        unit_step = s.step is None or literal(s.step) == 1
        from_start = s.lower is None or literal(s.lower) == 0
        one = s.upper is not None and literal(s.upper) == 1
        if from_start and unit_step and not one:
            # `V[:, :k]` keeps each column's position: same alignment as `V` (where shapes
            # differ the code would fail to run anyway). Not `V[:, :1]`: one column broadcasts
            # against all of them (`V / V[:, :1]` divides every column by the first one's
            # entries), as `V[:, 0:1]` does
            items.append(Index("slice"))
        elif one and from_start and unit_step:
            items.append(Index("slice", "0:1"))
        else:
            items.append(Index("slice", self.text(s, 200)))
        return items

    def _index_item(self, ex: cst.BaseExpression, base: Abs, n_items: int,
                    operands: List[Abs]) -> Index:
        """The index item of ``ex`` (not a slice) among ``n_items``; its value joins
        ``operands``."""
        if isinstance(ex, cst.Name) and ex.value == "None":
            return Index("none")
        if isinstance(ex, cst.Ellipsis):
            return Index("ellipsis")
        iv = self.eval(ex)
        if isinstance(iv, Ref) and iv.qualname.endswith(".newaxis"):
            return Index("none")  # `np.newaxis` is None
        operands.append(iv)
        ivv = as_value(iv)
        if isinstance(ivv, D.Pending):
            # a sign mask used to select: it depends on the sign (reported where it is made)
            iv = self.post(ex, D.materialize(ivv), [ivv])
            ivv = as_value(iv)
        if isinstance(ivv, D.Broken):
            return Index("int", "?")
        if D.is_charged(ivv):
            return Index("charged")
        key = self.text(ex, 200)
        for name in target_names(ex):
            if name.value in self.varying:
                key += f"#{name.value}{self.varying[name.value]}"
        whole_mask = isinstance(ivv, D.Inv) and ivv.is_complex is False \
            and ivv.ndim is not None and ivv.ndim >= 2
        if n_items == 1 and isinstance(ivv, D.Inv) and D.selects_rows(
                as_value(base), ivv.ndim, isinstance(ex, cst.Comparison)):
            # a one-dimensional mask selects along the first axis only (`E[labels == j]`)
            return Index("fancy", key)
        if (isinstance(ex, cst.Comparison) or whole_mask) and n_items == 1:
            return Index("mask", key)
        if isinstance(ex, cst.Comparison):
            # a boolean mask along one axis of several: selects entries of that axis
            return Index("fancy", key)
        if _is_full_range(ex):
            # `V[rows, range(k)]` / `arange(k)`: picks every column in order (identity)
            return Index("fancy", "")
        if isinstance(ex, (cst.List, cst.Tuple)) or isinstance(iv, (Seq, Coll)) or (
                isinstance(ivv, D.Inv) and ivv.ndim is not None and ivv.ndim >= 1):
            return Index("fancy", key)
        return Index("int", key)

    def subscript_container(self, base: Abs, node: cst.Subscript) -> Abs:
        elems = node.slice
        if len(elems) != 1:
            return elem_of(base) if not isinstance(base, DictVal) else D.INV
        s = elems[0].slice
        if isinstance(base, DictVal):
            if isinstance(s, cst.Index):
                key = literal(s.value)
                self.eval(s.value)
                v = base.get(key)
                if v is not None:
                    return v
            choice = elem_of(Seq(tuple(v for _, v in base.items)))
            if is_choice(choice):
                return choice  # a table of solvers indexed at run time
            return as_value(base)
        if not isinstance(s, cst.Index):
            whole = isinstance(s, cst.Slice) and s.lower is None and s.upper is None \
                and s.step is None
            part = base if isinstance(base, Coll) else Coll(elem_of(base))
            return part if whole else self.part_view(part)
        key = literal(s.value)
        self.eval(s.value)
        if isinstance(base, Seq) and isinstance(key, int) and -len(base.items) <= key < len(
                base.items):
            return base.items[key]
        return self.member_view(elem_of(base), self.read_label(node.value, s.value))


def full_index_rank(base: D.Value, items: Sequence[Index]) -> Optional[int]:
    """The rank of ``X[:, 0]`` when the rank of ``X`` is not known: a subscript that names
    every axis with an integer or a slice (two or more of them, as array code indexes a
    matrix) keeps one axis per slice. A single item (``X[0]``) says nothing."""
    if not isinstance(base, D.Inv) or base.ndim is not None or len(items) < 2:
        return None
    if not all(it.kind in ("int", "slice") for it in items):
        return None
    return sum(1 for it in items if it.kind == "slice")

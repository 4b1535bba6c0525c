"""Method calls on values (``x.conj()``, ``v.at[i].set(...)``, list/dict methods).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from .. import catalogue, semantics
from .. import domain as D
from ..library import DRAW_SIZE_AT, HARMLESS_METHODS
from ..values import TENSOR_TYPES, Abs, AtVal, Bound, Coll, DictVal, Func, Seq, as_value
from .joins import broadcast_to, elem_of, join_abs
from .qualnames import draw_rank
from .shared import AnalysisBase
from .syntax import NAMESPACE_LIKE, literal


class MethodsMixin(AnalysisBase):

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
        if method in DRAW_SIZE_AT and isinstance(receiver, D.Inv):
            # a generator's draw (`rng.standard_normal((3, 50))`), ranked as module draws are
            rank = draw_rank(method, arg_nodes, kw_nodes)
            if rank is not None:
                return D.Inv(ndim=rank, is_complex=False)
        handler = semantics.lookup(method)
        rv = as_value(receiver)
        all_args = [rv, *[as_value(a) if not isinstance(a, (Seq, Coll)) else a for a in args]]
        if handler is not None and not D.is_charged(rv) and NAMESPACE_LIKE.match(
                self.text(func.value, 80)):
            # `xp.where(c, a, b)`, `xp.linalg.norm(v)`: an array namespace passed around as a
            # value (array-API code); the receiver is not an operand
            call = self.make_call(method, node, [a if isinstance(a, (Seq, Coll)) else as_value(a)
                                                 for a in args], kwargs, arg_nodes, kw_nodes)
            res = self._step_for_call(node, method, handler(call), all_args[1:])
            return self.post(node, res, [a for a in all_args[1:] if isinstance(a, TENSOR_TYPES)])
        if method == "copy_" and args and isinstance(receiver, TENSOR_TYPES):
            # `x.copy_(src)`: every entry of x is overwritten by src
            new = broadcast_to(as_value(args[0]), D.ndim_of(rv))
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
        if method in ("append", "insert", "extend") and isinstance(receiver, D.Inv) \
                and receiver.ndim is None and receiver.const is None \
                and any(D.is_charged(as_value(elem_of(a) if method == "extend" else a))
                        for a in args[-1:]):
            # `obj.items.append(v)` on an object eiglint does not know (a dataclass field
            # made by `field(default_factory=list)`): a list that now holds `v`
            return self.container_method(node, Seq(()), method, args, func, kwargs)
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
            return broadcast_to(y, D.ndim_of(as_value(cur))) if isinstance(
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
                new_elem = elem_of(new_elem)
            cur = receiver
            if method == "append" and self.unroll_depth and isinstance(cur, Seq) \
                    and cur.kind != "choice":
                # once per iteration of a loop run item by item: the list's items are known
                self.store_path(func.value, Seq((*cur.items, new_elem), kind="list"))
                return D.INV
            elem = join_abs(elem_of(cur) if not isinstance(cur, DictVal) else None, new_elem)
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
                key = literal(node.args[0].value)
                v = receiver.get(key)
                return v if v is not None else as_value(receiver)
            return D.INV
        if method in ("pop", "copy", "index", "count"):
            return elem_of(receiver) if method == "pop" else (
                receiver if method == "copy" else D.INV)
        return D.INV


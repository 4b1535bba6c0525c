"""Calls: argument evaluation and dispatch to methods, library functions and user code.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import libcst as cst

from .. import domain as D
from .. import semantics
from ..domain import Value
from ..library import MODULE_SELF_METHODS
from ..values import Abs, Bound, ClassVal, Coll, DictVal, Func, Instance, Ref, Seq, as_value
from .joins import elem_of, join_abs
from .shared import AnalysisBase
from .syntax import literal, matmul_middle


class CallsMixin(AnalysisBase):

    def eval_Call(self, node: cst.Call) -> Abs:
        middle = matmul_middle(node)
        if middle is not None:
            self.matrix_operands.add(id(middle))
        func = node.func
        receiver: Optional[Abs] = None
        method: Optional[str] = None
        callee: Abs
        if isinstance(func, cst.Attribute):
            receiver = self.eval(func.value)
            method = func.attr.value
            if isinstance(receiver, Ref):
                # `mod.helper(a)`: a function of a project module is analysed like an
                # imported one (also when no argument carries a gauge: it may decompose)
                callee = self.get_attribute(func, receiver, method)
                receiver, method = None, None
            elif isinstance(receiver, (Instance, ClassVal)):
                callee = self.get_attribute(func, receiver, method)
                if isinstance(callee, (Func, Bound, ClassVal, Instance)) or D.is_charged(
                        as_value(callee)):
                    receiver, method = None, None
                elif isinstance(receiver, Instance) and method in (
                        "register_buffer", "register_parameter") and len(node.args) >= 2 \
                        and isinstance(literal(node.args[0].value), str):
                    # `self.register_buffer("U", U)`: nn.Module's store of an attribute
                    name = literal(node.args[0].value)
                    assert isinstance(name, str)
                    value = self.eval(node.args[1].value)
                    cls = receiver.cls
                    cls.attrs[name] = join_abs(cls.attrs.get(name), value) \
                        if name in cls.attrs else value
                    return D.INV
                elif isinstance(receiver, Instance) and method in MODULE_SELF_METHODS:
                    # `model = Net(...).double()`: nn.Module's casts and mode switches
                    # return the module itself
                    return receiver
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
                    args.append(elem_of(v) if isinstance(v, Coll) else v)
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
        if name in semantics.COMPLEX_READS and args and isinstance(args[0], D.Cov):
            args = [self.as_complex(args[0]), *args[1:]]
        lits = [literal(n) for n in arg_nodes]
        kw_lits = {k: literal(n) for k, n in kw_nodes.items()}
        return semantics.Call(
            name,
            list(args),
            dict(kwargs),
            [lit if lit is not None or i >= len(args) else known_int(args[i])
             for i, lit in enumerate(lits)],
            {k: lit if lit is not None else known_int(kwargs.get(k))
             for k, lit in kw_lits.items()},
            self._text200,
            arg_nodes,
            dict(kw_nodes),
            node,
        )

    def call_value(self, node: cst.Call, callee: Abs, args: List[Abs], kwargs: Dict[str, Abs],
                   arg_nodes: List[cst.BaseExpression],
                   kw_nodes: Dict[str, cst.BaseExpression]) -> Abs:
        if isinstance(callee, Ref):
            return self.call_qualname(node, callee.qualname, args, kwargs, arg_nodes, kw_nodes)
        if isinstance(callee, Seq) and callee.kind == "choice":
            out: Optional[Abs] = None
            outer, self.choosing = self.choosing, True
            try:
                for option in callee.items:
                    out = join_abs(out, self.call_value(node, option, args, kwargs, arg_nodes,
                                                        kw_nodes))
            finally:
                self.choosing = outer
            return out if out is not None else D.INV
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

    def escape(self, node: cst.Call, charged: Sequence[Tuple[cst.CSTNode, Value]],
               callee: str) -> Abs:
        result: Abs = D.INV
        for i, (arg_node, v) in enumerate(charged):
            detail = f"is passed to `{callee}`"
            r = D.escape(v, callee, arg_node, detail, key=self.key(arg_node))
            if isinstance(r, D.Broken) and r.causes:
                # a pending break made earlier (`.real`) stays where it was made
                r = D.Broken(r.kind, r.ndim, tuple(
                    c if isinstance(v, D.Pending) and isinstance(c.origin, cst.CSTNode)
                    and self.pos.get(c.origin) is not None else replace(c, origin=arg_node)
                    for c in r.causes))
            if isinstance(r, D.Pending):
                self.hold(arg_node, r)
                if i == 0 and len(charged) == 1:
                    result = r
                    continue
                r = D.materialize(r)
            result = self.post(arg_node, r, [v])
        return result


def known_int(v: Optional[Abs]) -> object:
    """An argument that is not a literal but whose value is a known integer (a loop variable
    bound to an item of a literal sequence: ``for n, r in enumerate((2, 2, 2))``), or a tuple
    of such; None otherwise."""
    if isinstance(v, D.Inv) and v.ndim == 0 and v.const is not None and not v.const.imag \
            and float(v.const.real).is_integer():
        return int(v.const.real)
    if isinstance(v, Seq) and v.items and v.kind != "choice":
        items = [known_int(x) for x in v.items]
        return tuple(items) if all(x is not None for x in items) else None
    return None

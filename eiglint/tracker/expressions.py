"""Expressions: literals, containers, operators, comprehensions (the node -> handler table
is :data:`eiglint.tracker.handlers.EXPRESSION_HANDLERS`).
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from .. import domain as D
from .. import semantics
from ..domain import Value
from ..library import BUILTINS
from ..values import TENSOR_TYPES, Abs, Coll, DictVal, Func, Ref, Seq, as_value
from .handlers import EXPRESSION_HANDLERS, handler_for
from .joins import elem_of, join_abs, join_items, unrandom
from .messages import MATMUL_NOTE, MUL_NOTE, POW_NOTE
from .shared import AnalysisBase
from .syntax import literal, matmul_middle, target_names


def _gauge_word(*vals: Value) -> str:
    return "phase" if any(D.value_kind(v) == "phase" and D.is_charged(v) for v in vals) \
        else "sign"


#: comparisons that make a sign mask of ``x`` against 0 (``x < 0``)
_SIGN_TESTS = (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)


class ExpressionsMixin(AnalysisBase):

    def eval(self, node: cst.BaseExpression) -> Abs:
        name = handler_for(EXPRESSION_HANDLERS, node)
        if name is None:
            return D.INV
        r: Abs = getattr(self, name)(node)
        if isinstance(r, D.Inv) and r.ndim is None and id(node) in self.matrix_operands:
            r = replace(r, ndim=2)
        return r

    def eval_Name(self, node: cst.Name) -> Abs:
        v = self.frame.lookup(node.value)
        if v is not None:
            return v
        if node.value in ("True", "False", "None"):
            return D.Inv(const=None)
        return Ref("builtins." + node.value) if node.value in BUILTINS else D.INV

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
                return Coll(join_abs(join_items(items), elem_of(v)))
            items.append(v)
        return Seq(tuple(items), kind=kind)

    def eval_Dict(self, node: cst.Dict) -> Abs:
        items: List[Tuple[object, Abs]] = []
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                k = literal(el.key)
                v = self.eval(el.value)
                items.append((k if k is not None else ("?", len(items)), v))
            else:
                v = self.eval(el.value)
                if isinstance(v, DictVal):
                    items.extend(v.items)
        return DictVal(tuple(items))

    def eval_NamedExpr(self, node: cst.NamedExpr) -> Abs:
        v = self.eval(node.value)
        self.assign(node.target, unrandom(v))
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
        middle = matmul_middle(node)
        if middle is not None:
            self.matrix_operands.add(id(middle))
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.binop(node, type(node.operator).__name__, left, right, node.left, node.right)

    def binop(self, node: cst.CSTNode, op: str, left: Abs, right: Abs,
              lnode: cst.BaseExpression, rnode: cst.BaseExpression) -> Abs:
        if isinstance(left, (Seq, Coll)) or isinstance(right, (Seq, Coll)):
            if op == "Add" and isinstance(left, Seq) and isinstance(right, Seq):
                return Seq(left.items + right.items, kind=left.kind)
            if op in ("Add", "Multiply"):
                return Coll(join_abs(elem_of(left) if isinstance(left, (Seq, Coll)) else None,
                                     elem_of(right) if isinstance(right, (Seq, Coll)) else None))
        lv, rv = as_value(left), as_value(right)
        r: Abs
        if op == "Add":
            r = D.add(lv, rv)
        elif op == "Subtract":
            r = D.add(lv, rv, subtract=True, origin=node)
        elif op == "Multiply":
            r = D.mul(lv, rv)
            r = self.step(node, r, [lv, rv], MUL_NOTE) if isinstance(r, D.Cov) else r
        elif op == "Divide":
            r = self.real_ratio(lv, rv) or D.mul(lv, rv, divide=True)
        elif op == "MatrixMultiply":
            r = D.matmul(lv, rv)
            r = self.step(node, r, [lv, rv], MATMUL_NOTE) if isinstance(r, D.Cov) else r
        elif op == "Power":
            lit = literal(rnode)
            if isinstance(lit, (int, float)) and not isinstance(lit, bool):
                r = D.power(lv, Fraction(lit).limit_denominator(64),
                            f"raises to the power {lit}")
                r = self.step(node, r, [lv], POW_NOTE) if isinstance(r, D.Cov) else r
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

    def eval_ListComp(self, node: cst.ListComp) -> Abs:
        return self.unrolled_comprehension(node.for_in, node.elt)

    def eval_SetComp(self, node: cst.SetComp) -> Abs:
        return Coll(self.comprehension(node.for_in, node.elt))

    def eval_GeneratorExp(self, node: cst.GeneratorExp) -> Abs:
        return Coll(self.comprehension(node.for_in, node.elt))

    def eval_DictComp(self, node: cst.DictComp) -> Abs:
        v = self.comprehension(node.for_in, node.value)
        return Coll(v)

    def comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression,
                      first: Optional[Abs] = None) -> Abs:
        """One element of a comprehension, over the joined items (``first``: the outermost
        iterable, when already evaluated)."""
        saved = self.frame.snapshot()
        outer_spans = dict(self.spans)
        try:
            comp: Optional[cst.CompFor] = for_in
            while comp is not None:
                iterable = first if comp is for_in and first is not None else self.eval(comp.iter)
                self.loop_iteration += 1
                for name in target_names(comp.target):
                    self.varying[name.value] = self.loop_iteration
                self.note_span(comp.target, comp.iter)
                self.assign(comp.target, self.iterate(iterable, comp.iter))
                for cond in comp.ifs:
                    self.truth(cond.test)
                comp = comp.inner_for_in
            return self.eval(elt)
        finally:
            comp = for_in
            while comp is not None:
                for name in target_names(comp.target):
                    self.varying.pop(name.value, None)
                comp = comp.inner_for_in
            self.spans = outer_spans
            self.frame.restore(saved)

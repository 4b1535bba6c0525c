"""Readers of libcst nodes that need no analysis state: literals, dotted names, loop targets.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

import libcst as cst

from ..cstutil import dotted as dotted  # the concern modules import it from here


def literal(node: cst.BaseExpression) -> object:
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
        neg = literal(node.expression)
        if isinstance(neg, (int, float, complex)) and not isinstance(neg, bool):
            return -neg
        return None
    if isinstance(node, (cst.Tuple, cst.List)):
        vals = []
        for el in node.elements:
            if isinstance(el, cst.StarredElement):
                return None
            item = literal(el.value)
            if item is None:
                return None
            vals.append(item)
        return tuple(vals)
    return None


#: names under which array-API code passes a NumPy-like namespace around
NAMESPACE_LIKE = re.compile(
    r"^(xp|np|jnp|cp|cupy|numpy|torch|jax|la|linalg|sla|spla|nla|LA|xpx|fft|array_api_compat|"
    r"array_api_strict|array_namespace|math|cmath)(\.(linalg|fft|numpy|special))*$")


def target_names(node: cst.CSTNode) -> List[cst.Name]:
    """The names bound by a loop target (or read by a small index expression)."""
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        out: List[cst.Name] = []
        for el in node.elements:
            out.extend(target_names(el.value))
        return out
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    if isinstance(node, cst.BinaryOperation):
        return target_names(node.left) + target_names(node.right)
    if isinstance(node, cst.UnaryOperation):
        return target_names(node.expression)
    return []




_PRODUCTS = frozenset({"dot", "matmul", "mm"})


def matmul_middle(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """The operand between two matrix products, ``Y`` of ``A @ Y @ B`` or of ``dot(dot(A, Y),
    B)``: a matrix whatever its unknown rank says (a vector there would make the outer product
    a contraction of a vector, as DMD's ``U^H Y V`` never is)."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.MatrixMultiply):
        inner = node.left
        if isinstance(inner, cst.BinaryOperation) and isinstance(
                inner.operator, cst.MatrixMultiply):
            return inner.right
        return None
    if isinstance(node, cst.Call):
        args = _product_args(node)
        inner_args = _product_args(args[0]) if args is not None else None
        if inner_args is not None:
            return inner_args[1]
    return None


def _product_args(node: cst.BaseExpression) -> Optional[Tuple[cst.BaseExpression,
                                                              cst.BaseExpression]]:
    """The two operands of ``dot(a, b)`` / ``np.matmul(a, b)`` / ``a.dot(b)``."""
    if not isinstance(node, cst.Call):
        return None
    f = node.func
    name = f.attr.value if isinstance(f, cst.Attribute) else (
        f.value if isinstance(f, cst.Name) else "")
    if name not in _PRODUCTS or any(a.keyword is not None or a.star for a in node.args):
        return None
    if len(node.args) == 2:
        return node.args[0].value, node.args[1].value
    if len(node.args) == 1 and isinstance(f, cst.Attribute):
        return f.value, node.args[0].value
    return None

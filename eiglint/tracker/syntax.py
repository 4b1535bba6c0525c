"""Readers of libcst nodes that need no analysis state: literals, dotted names, loop targets.
"""
from __future__ import annotations

import re
from typing import List

import libcst as cst


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


def dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""

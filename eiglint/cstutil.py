"""Small libcst helpers shared by the tracker and the fixes (a foundation: imports no eiglint)."""
from __future__ import annotations

import libcst as cst


def dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a chain of names and attributes; "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""

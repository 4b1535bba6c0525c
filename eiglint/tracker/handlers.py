"""The node -> handler tables of the tracker, in one visible place (as pyflakes keeps its own).

Each entry names the :class:`~eiglint.tracker.ModuleAnalysis` method that evaluates (expressions)
or executes (statements) a libcst node kind. Kinds with no entry are listed in the
``*_WITHOUT_HANDLER`` sets with the reason: ``tests/analysis/test_node_coverage.py`` fails when a
libcst node kind is in neither, so a new kind never silently evaluates to invariant.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional, Tuple

import libcst as cst


def _kinds(*names: str) -> Tuple[type, ...]:
    """The libcst classes of these names that this libcst version has (``TryStar``, ``Match``,
    ``TemplatedString`` are newer than some supported versions)."""
    found = (getattr(cst, n, None) for n in names)
    return tuple(k for k in found if isinstance(k, type))


def _table(entries: Dict[str, str]) -> Dict[type, str]:
    return {k: method for name, method in entries.items() for k in _kinds(name)}


#: expression kind -> method returning its abstract value
EXPRESSION_HANDLERS: Dict[type, str] = _table({
    "Name": "eval_Name", "Integer": "eval_Integer", "Float": "eval_Float",
    "Imaginary": "eval_Imaginary", "SimpleString": "eval_SimpleString",
    "FormattedString": "eval_FormattedString", "ConcatenatedString": "eval_ConcatenatedString",
    "Ellipsis": "eval_Ellipsis", "Tuple": "eval_Tuple", "List": "eval_List", "Set": "eval_Set",
    "Dict": "eval_Dict", "NamedExpr": "eval_NamedExpr", "Await": "eval_Await",
    "Yield": "eval_Yield", "Lambda": "eval_Lambda", "IfExp": "eval_IfExp",
    "BooleanOperation": "eval_BooleanOperation", "UnaryOperation": "eval_UnaryOperation",
    "Comparison": "eval_Comparison", "BinaryOperation": "eval_BinaryOperation",
    "Attribute": "eval_Attribute", "Subscript": "eval_Subscript", "ListComp": "eval_ListComp",
    "SetComp": "eval_SetComp", "GeneratorExp": "eval_GeneratorExp",
    "DictComp": "eval_DictComp", "Call": "eval_Call",
})

#: expression kinds evaluated as invariant on purpose
EXPRESSIONS_WITHOUT_HANDLER: FrozenSet[type] = frozenset(_kinds(
    # ``*x`` is only met inside a container or a call, whose handlers read it themselves
    "StarredElement",
    # ``{**d for d in ds}`` and t-strings (3.14) build dicts and templates, not arrays
    "StarredDictComp", "TemplatedString"))

#: compound statement kind -> method executing it
STATEMENT_HANDLERS: Dict[type, str] = _table({
    "SimpleStatementLine": "exec_simple_line", "FunctionDef": "define_function",
    "ClassDef": "define_class", "If": "exec_if", "For": "exec_loop", "While": "exec_loop",
    "With": "exec_with", "Try": "exec_try", "TryStar": "exec_try", "Match": "exec_match",
    "IndentedBlock": "exec_indented",
})

#: compound statement kinds that change no value
STATEMENTS_WITHOUT_HANDLER: FrozenSet[type] = frozenset()

#: small statement kind -> method executing it
SMALL_STATEMENT_HANDLERS: Dict[type, str] = _table({
    "Assign": "exec_assign", "AnnAssign": "exec_annassign", "AugAssign": "exec_augassign",
    "Expr": "exec_expr", "Return": "exec_return", "Raise": "exec_raise",
    "Assert": "exec_assert", "Import": "exec_import", "ImportFrom": "exec_import_from",
    "Global": "exec_global",
})

#: small statement kinds that change no value the tracker follows
SMALL_STATEMENTS_WITHOUT_HANDLER: FrozenSet[type] = frozenset(_kinds(
    "Pass", "Break", "Continue",
    # ``nonlocal`` names resolve through the closure already; ``del`` leaves values as they were
    "Nonlocal", "Del",
    # ``type X = ...`` (3.12) aliases a type; lazy imports (3.15) are not followed yet
    "TypeAlias", "LazyImport", "LazyImportFrom"))


def handler_for(table: Dict[type, str], node: cst.CSTNode) -> Optional[str]:
    """The method name for ``node`` (exact kind: libcst node classes are not subclassed)."""
    return table.get(type(node))

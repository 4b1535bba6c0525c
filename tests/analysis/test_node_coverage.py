"""Every libcst node kind the tracker can meet has a handler in the one table
(:mod:`eiglint.tracker.handlers`) or is listed there as deliberately without one: a libcst
release that adds a node kind makes this test fail instead of the kind silently evaluating to
invariant."""
from __future__ import annotations

import inspect
from typing import Dict, FrozenSet, List

import libcst as cst
import pytest

from eiglint import domain as D
from eiglint.tracker import ModuleAnalysis, analyze_text
from eiglint.tracker.handlers import (
    EXPRESSION_HANDLERS,
    EXPRESSIONS_WITHOUT_HANDLER,
    SMALL_STATEMENT_HANDLERS,
    SMALL_STATEMENTS_WITHOUT_HANDLER,
    STATEMENT_HANDLERS,
    STATEMENTS_WITHOUT_HANDLER,
)


def _node_kinds(base: type) -> List[type]:
    """The concrete libcst node classes below ``base`` that this libcst version exports."""
    out = []
    for name in dir(cst):
        k = getattr(cst, name)
        if inspect.isclass(k) and issubclass(k, base) and not inspect.isabstract(k) \
                and not name.startswith("Base") and k.__name__ == name:
            out.append(k)
    return out


TABLES = [
    (cst.BaseExpression, EXPRESSION_HANDLERS, EXPRESSIONS_WITHOUT_HANDLER),
    (cst.BaseCompoundStatement, STATEMENT_HANDLERS, STATEMENTS_WITHOUT_HANDLER),
    (cst.BaseSmallStatement, SMALL_STATEMENT_HANDLERS, SMALL_STATEMENTS_WITHOUT_HANDLER),
]


@pytest.mark.parametrize("base, handled, without", TABLES,
                         ids=["expressions", "statements", "small-statements"])
def test_every_node_kind_has_a_handler_or_is_listed(
        base: type, handled: Dict[type, str], without: FrozenSet[type]) -> None:
    kinds = _node_kinds(base)
    assert len(kinds) > 5  # the scan itself found libcst's node classes
    missing = sorted(k.__name__ for k in kinds if k not in handled and k not in without)
    assert missing == [], f"libcst node kinds with no handler and not listed: {missing}"
    both = sorted(k.__name__ for k in without if k in handled)
    assert both == []


@pytest.mark.parametrize("handled", [t[1] for t in TABLES],
                         ids=["expressions", "statements", "small-statements"])
def test_every_handler_is_a_method_of_the_analysis(handled: Dict[type, str]) -> None:
    absent = sorted(name for name in handled.values()
                    if not callable(getattr(ModuleAnalysis, name, None)))
    assert absent == []


def test_no_eval_method_is_left_out_of_the_table() -> None:
    """An ``eval_X`` method that the table does not name would never run."""
    named = set(EXPRESSION_HANDLERS.values())
    orphans = sorted(m for m in dir(ModuleAnalysis)
                     if m.startswith("eval_") and isinstance(getattr(cst, m[5:], None), type)
                     and m not in named)
    assert orphans == []


def test_dispatch_goes_through_the_table() -> None:
    """The table really drives evaluation: a handled kind gives its handler's value, a kind
    listed without a handler gives invariant."""
    ma = ModuleAnalysis("x = 1j\n", "m.py")
    ma.run()
    value = ma.eval(cst.parse_expression("x"))
    assert isinstance(value, D.Inv) and value.is_complex
    starred = cst.StarredElement(cst.Name("x"))
    assert cst.StarredElement in EXPRESSIONS_WITHOUT_HANDLER
    assert ma.eval(starred) == D.INV  # type: ignore[arg-type]


def test_statement_table_drives_execution() -> None:
    """``with`` and ``assert`` run through their table entries: the finding inside a ``with``
    block and the truth test of an ``assert`` are both reported."""
    text = ("import torch\n"
            "A = torch.randn(4, 4)\n"
            "w, V = torch.linalg.eig(A)\n"
            "with open('f') as fh:\n"
            "    r = V.real\n"
            "assert V[0, 0].real > 0\n")
    codes = [(f.line, f.code) for f in analyze_text(text, "m.py")]
    assert [line for line, _ in codes] == [5, 6]

"""The analysis is bounded by construction (issue 16): abstract values are joined to a summary
past a size or depth bound, and each top-level analysis has a statement budget past which it is
dropped (no finding from it, a debug note), so no file can stall the run."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from eiglint import domain as D
from eiglint import values
from eiglint.api import lint_source
from eiglint.tracker.joins import join_abs
from eiglint.values import Coll, DictVal, Seq, bounded

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.generated import expected_lines, source  # noqa: E402

V = D.seed(1, 2)  # eigenvectors of a real eigh: a sign per column


def _deep(depth: int) -> values.Abs:
    v: values.Abs = V
    for _ in range(depth):
        v = Seq((v, D.INV))
    return v


def test_small_values_are_kept_as_they_are() -> None:
    v = Seq((V, DictVal((("a", D.INV), ("b", V)))))
    assert bounded(v) is v
    assert bounded(_deep(values.MAX_VALUE_DEPTH - 1)) == _deep(values.MAX_VALUE_DEPTH - 1)


def test_deep_and_wide_values_are_summarised_silently() -> None:
    deep = bounded(_deep(values.MAX_VALUE_DEPTH + 3))
    assert isinstance(deep, Coll) and isinstance(deep.elem, D.Broken)
    assert deep.elem.causes == () and deep.elem.kind == "sign"  # nothing to report
    wide = bounded(DictVal(tuple((f"k{i}", D.INV) for i in range(values.MAX_VALUE_NODES + 1))))
    assert wide == Coll(D.INV)


def test_joins_cannot_grow_values_without_end() -> None:
    a: values.Abs = Seq((V, D.INV))
    for _ in range(40):  # what a loop or a recursion would do, round after round
        a = join_abs(Seq((a, D.INV)), Seq((Seq((a, D.INV)), V)))
    assert values._fits(a, values.MAX_VALUE_NODES, 0) >= 0


FINDING = "    return v.sum()\n"


def _program(big_body: int) -> str:
    lines = ["import numpy as np", "", "",
             "def small(a):", "    w, v = np.linalg.eigh(a)", FINDING.rstrip(), "", "",
             "def big(a):", "    w, v = np.linalg.eigh(a)"]
    lines += [f"    x{i} = w + {i}" for i in range(big_body)]
    lines += [FINDING.rstrip(), ""]
    return "\n".join(lines)


def test_a_function_over_the_step_budget_gives_no_finding_and_a_debug_note(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    text = _program(100)
    both = lint_source(text, "budget.py")
    assert [(f.line, f.code) for f in both] == [(6, "EIG205"), (111, "EIG205")]
    monkeypatch.setattr(values, "STEP_BUDGET", 50)
    with caplog.at_level(logging.DEBUG, logger="eiglint"):
        found = lint_source(text, "budget.py")
    assert [(f.line, f.code) for f in found] == [(6, "EIG205")]
    assert "function `big` exceeded the analysis budget of 50 steps" in caplog.text
    assert "`small`" not in caplog.text


def test_generated_file_of_many_small_functions() -> None:
    found = lint_source(source(300), "gen.py")
    assert [f.line for f in found] == expected_lines(300)
    assert {f.code for f in found} == {"EIG205"}

"""Joint causes (issue 19): findings whose gauge dependence reaches an output only together
with other values are confirmed by a joint replay or by injecting their gauged value.

One ``confirm`` (no ``--entry``: ``run()`` is found by walking the call graph) over
``tests/fixtures/runtime/truth/joint.py``: ``torch.cat([psi.real, psi.imag])`` weighted so
that restoring either part alone moves the output at least as far (each carries part of the
phase) and min-max scaling of a sign-carrying coordinate (the change runs
through the carrier too). Replaying any one of these flagged values alone leaves the output
change, so single-probe attribution calls them ``not-observable``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")

from eiglint.api import lint_paths  # noqa: E402
from eiglint.runtime.options import Options  # noqa: E402
from eiglint.runtime.runner import Report, confirm_findings  # noqa: E402
from eiglint.types import Verdict  # noqa: E402

JOINT = Path(__file__).resolve().parents[1] / "fixtures" / "runtime" / "truth" / "joint.py"


@pytest.fixture(scope="module")
def report() -> Report:
    findings = lint_paths([str(JOINT)]).findings
    return confirm_findings(findings, Options(runs=2, sweep=2, seed=0, jobs=2,
                                              files=(str(JOINT),)))


def _verdicts(report: Report, line: int) -> list[tuple[str, Verdict]]:
    out = [(f.expr, f.verdict) for f in report.findings if f.line == line]
    assert out and all(v is not None for _, v in out), (line, report.findings)
    return out  # type: ignore[return-value]


def test_the_real_and_the_imaginary_part_are_a_joint_cause(report: Report) -> None:
    found = _verdicts(report, 9)
    assert sorted(expr for expr, _ in found) == ["psi.imag", "psi.real"]
    for expr, v in found:
        assert v.status == "confirmed", (expr, v)
        assert "replaying the value's baseline value alone left the change" in v.reason
        assert "together under" in v.reason and "a joint cause" in v.reason
        assert "`psi.real` (line 9), `psi.imag` (line 9) of `features`" in v.reason


def test_min_max_scaling_of_a_carrier_is_one_of_several_causes(report: Report) -> None:
    [(expr, v)] = _verdicts(report, 16)
    assert expr == "c.min()"
    assert v.status == "confirmed", v
    assert "into a run under the library's own gauge changed" in v.reason
    assert "one of several causes" in v.reason

"""Runtime truth (issue 19): a finding is confirmed only when its gauge dependence reaches an
observable output through the flagged value; notebooks run cell by cell (issue 17).

One ``confirm`` over the fixtures in ``tests/fixtures/runtime/truth`` (no ``--entry``), shared
by the assertions. ``lib/`` is deliberately not among the analysed paths: its functions are
callees eiglint cannot see into (escapes).
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")

from eiglint.api import lint_paths  # noqa: E402
from eiglint.runtime.options import Options  # noqa: E402
from eiglint.runtime.runner import Report, confirm_findings  # noqa: E402
from eiglint.types import Finding, Verdict  # noqa: E402

TRUTH = Path(__file__).resolve().parents[1] / "fixtures" / "runtime" / "truth"
FILES = ["chain.py", "covariant.py", "escape.py", "instance.py", "notebook.ipynb",
         "repaired.py"]


#: what eiglint reported in covariant.py before the detection work of issue 15 taught it that
#: these values only carry the gauge (a cast keeps a diagonal diagonal; a zero-guarded sign
#: keeps its charge): whoever makes such a finding, the runtime must not confirm it
_FORMER_FALSE_POSITIVES = ((7, "EIG105", "phase", "u @ torch.diag(torch.exp(-lam)).to(u.dtype)"),
                           (18, "EIG205", "sign", "torch.where(s == 0, torch.ones_like(s), s)"))


def _former_findings() -> list[Finding]:
    path = str(TRUTH / "covariant.py")
    lines = (TRUTH / "covariant.py").read_text().splitlines()
    out = []
    for line, code, kind, expr in _FORMER_FALSE_POSITIVES:
        col = lines[line - 1].index(expr) + 1
        out.append(Finding(path=path, line=line, col=col, code=code, message="former finding",
                           end_line=line, end_col=col + len(expr), kind=kind, expr=expr))
    return out


def test_the_analysis_no_longer_flags_the_covariant_intermediates() -> None:
    assert lint_paths([str(TRUTH / "covariant.py")]).findings == []


@pytest.fixture(scope="module")
def report() -> Report:
    paths = [str(TRUTH / n) for n in FILES]
    findings = lint_paths(paths).findings + _former_findings()
    return confirm_findings(findings, Options(runs=3, sweep=3, seed=0, jobs=2,
                                              files=tuple(paths)))


def _verdict(report: Report, name: str, line: int, code: str = "") -> Verdict:
    found: list[Finding] = [f for f in report.findings if Path(f.path).name == name
                            and f.line == line and (not code or f.code == code)]
    assert len(found) == 1, (name, line, [(Path(f.path).name, f.line) for f in
                                          report.findings])
    assert found[0].verdict is not None
    return found[0].verdict


def test_covariant_intermediate_is_not_reproduced(report: Report) -> None:
    # `u @ diag(exp(-lam))` changes by a per-column phase and is paired by `@ u.mH` later
    v = _verdict(report, "covariant.py", 7)
    assert v.status == "not-reproduced", v
    assert "carries the gauge" in v.reason and "per column" in v.reason
    # a sign with a zero guard: per-column sign, paired by `u * s`
    v = _verdict(report, "covariant.py", 18)
    assert v.status == "not-reproduced", v
    assert "carries the gauge" in v.reason


def test_repaired_break_is_not_observable(report: Report) -> None:
    # the determinant's sign feeds a reflection fix; NNDSVD compares both parts symmetrically
    for line in (8, 16, 17):
        for f in report.findings:
            if Path(f.path).name == "repaired.py" and f.line == line:
                assert f.verdict is not None
                assert f.verdict.status == "not-observable", (line, f.verdict)
                assert "not through this value" in f.verdict.reason or \
                       "no output changed" in f.verdict.reason
    assert report.exit_code(strict=True) == 1  # confirmed findings elsewhere


def test_escapes_are_judged_by_the_calls_result(report: Report) -> None:
    # SignNet-style phi(v) + phi(-v) ... in a module outside the analysed paths: invariant
    v = _verdict(report, "escape.py", 15, "EIG207")
    assert v.status == "not-reproduced", v
    assert "callee is invariant" in v.reason
    v = _verdict(report, "escape.py", 16, "EIG207")
    assert v.status == "confirmed", v
    assert "call's result changed" in v.reason and "return[" in v.reason


def test_zero_argument_caller_two_calls_up_runs(report: Report) -> None:
    v = _verdict(report, "chain.py", 7)
    assert v.status == "confirmed", v
    assert "replaying the value's baseline value" in v.reason
    assert any("run()` of chain.py (calls run -> middle -> inner)" in n for n in report.notes)


def test_a_method_called_on_an_instance_runs_through_its_creator(report: Report) -> None:
    # smoke() calls a `fit` too (of another class) and is nearer: the typed call graph skips it
    v = _verdict(report, "instance.py", 12)
    assert v.status == "confirmed", v
    assert any("run()` of instance.py (calls run -> experiment -> Model.fit)" in n
               for n in report.notes), report.notes


def test_notebook_cells_run_in_order_with_probes(report: Report) -> None:
    nb = [f for f in report.findings if f.path.endswith("notebook.ipynb")]
    assert len(nb) == 1 and nb[0].cell == 3 and nb[0].line == 2  # positions stay per cell
    assert nb[0].verdict is not None and nb[0].verdict.status == "confirmed", nb[0].verdict
    assert any("notebook.ipynb: 1 IPython line(s)" in n for n in report.notes)


def test_not_observable_does_not_fail_strict() -> None:
    only = Report([Finding("x.py", 1, 1, "EIG203", "m").with_verdict(
        Verdict("not-observable", 1.0, 3, "no output changed"))])
    assert only.exit_code(strict=True) == 0

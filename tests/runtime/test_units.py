"""Probe placement, scopes, command parsing, tolerances and verdict logic (no subprocesses)."""
from __future__ import annotations

import ast
import builtins
import os
import sys

import numpy as np
import pytest

from eiglint.runtime.commands import parse_command, paths_with_tests
from eiglint.runtime.compare import compare
from eiglint.runtime.observe import exit_leaf
from eiglint.runtime.options import ConfirmError
from eiglint.runtime.probes import Site, entry_problem, instrument, scope_of, top_level_names
from eiglint.runtime.record import PROBE_NAME, to_record
from eiglint.runtime.runs import ProbeInfo, RunData, call_mismatch, cond_floor, control_differs
from eiglint.runtime.verdicts import judge

SRC = """\
import math
vals = [1.0, 2.0]
x = (vals[0] * vals[1]).real + 1
loss = x * 2
loss.backward()
print(x + 1)
g = sum(v for v in vals)
t = 1, 2
"""


def _run(source: str) -> dict:
    seen: dict = {}

    def probe(pid, value):
        seen.setdefault(pid, []).append(value)
        return value

    ns = {"__builtins__": builtins, PROBE_NAME: probe}

    class Loss(float):
        def backward(self):
            return None

    ns["Loss"] = Loss
    code = compile(source.replace("loss = x * 2", "loss = Loss(x * 2)"), "<t>", "exec")
    exec(code, ns)  # noqa: S102 - runs the instrumented test source
    return seen


def test_instrument_wraps_exact_ranges_and_keeps_lines():
    sites = [
        Site(0, 3, 5, 3, 29),   # (vals[0] * vals[1]).real  (parenthesised receiver)
        Site(1, 3, 5, 3, 33),   # ... + 1
        Site(2, 5, 1, 5, 16),   # loss.backward()  -> probes `loss`
        Site(3, 6, 7, 6, 12),   # x + 1 inside print
        Site(4, 7, 9, 7, 24),   # the generator argument needs parentheses
        Site(5, 8, 5, 8, 9),    # a bare tuple needs parentheses
        Site(6, 2, 1, 2, 5),    # an assignment target cannot be probed
    ]
    out = instrument(SRC, sites)
    assert out.source.count("\n") == SRC.count("\n")
    compile(out.source, "<t>", "exec")
    lines = out.source.splitlines()
    assert lines[2] == ("x = __eiglint_probe__(1, __eiglint_probe__(0, (vals[0] * vals[1]).real)"
                        " + 1)")
    assert lines[4] == "__eiglint_probe__(2, loss).backward()"
    assert "probed the value `loss`" in out.placements[2].note
    assert lines[5] == "print(__eiglint_probe__(3, x + 1))"
    assert lines[6] == "g = sum(__eiglint_probe__(4, (v for v in vals)))"
    assert lines[7] == "t = __eiglint_probe__(5, (1, 2))"
    assert out.placements[6].error and sorted(out.placed) == [0, 1, 2, 3, 4, 5]
    seen = _run(out.source)
    assert seen[0] == [2.0] and seen[1] == [3.0] and seen[2] == [6.0] and seen[3] == [4.0]
    assert seen[5] == [(1, 2)]


def test_instrument_falls_back_to_expression_text_and_enclosing_range():
    out = instrument(SRC, [Site(0, 3, 5, 0, 0, "(vals[0] * vals[1]).real"),
                           Site(1, 4, 8, 4, 10)])  # a range inside `x * 2`
    assert out.placements[0].code == "(vals[0] * vals[1]).real" and not out.placements[0].error
    assert out.placements[1].code == "x * 2"
    assert "smallest expression" in out.placements[1].note


def test_instrument_reports_unparsable_files_per_site():
    out = instrument("def (:\n", [Site(0, 1, 1, 1, 3)])
    assert out.placements[0].error.startswith("cannot parse")
    assert out.source == "def (:\n"


def test_scopes_and_names():
    tree = ast.parse(
        "import torch as T\n"
        "def run():\n    return 1\n"
        "def f(a, b=1):\n    return a\n"
        "async def g(*, k=2):\n    return k\n"
        "class C:\n    def m(self):\n        return 0\n"
        "Z = 3\n")
    assert scope_of(tree, 3).kind == "function" and scope_of(tree, 3).callable_without_args
    assert scope_of(tree, 5).name == "f" and not scope_of(tree, 5).callable_without_args
    s = scope_of(tree, 7)
    assert s.callable_without_args and s.is_async
    assert scope_of(tree, 10) .kind == "method" and scope_of(tree, 10).name == "C.m"
    assert scope_of(tree, 11).kind == "module"
    assert {"T", "run", "f", "g", "C", "Z"} <= top_level_names(tree)


def test_parse_command(tmp_path):
    script = tmp_path / "train.py"
    script.write_text("print(1)\n")
    t = parse_command(["python", "-u", "train.py", "--steps", "1"], str(tmp_path))
    assert t["mode"] == "script" and t["path"] == str(script) and t["argv"] == ["--steps", "1"]
    t = parse_command([sys.executable, "-m", "pytest", "-q", "t.py"], str(tmp_path))
    assert t["mode"] == "module" and t["name"] == "pytest"
    assert t["argv"][:2] == ["-p", "no:cacheprovider"] and t["argv"][-2:] == ["-q", "t.py"]
    t = parse_command(["pytest", "x.py"], str(tmp_path))
    assert t["mode"] == "module" and t["argv"][-1] == "x.py"
    t = parse_command(["python3.11", "-c", "print(2)", "a"], str(tmp_path))
    assert t["mode"] == "code" and t["code"] == "print(2)" and t["argv"] == ["a"]
    with pytest.raises(ConfirmError, match="not a Python program"):
        parse_command(["/bin/sh", "-c", "true"], str(tmp_path))
    with pytest.raises(ConfirmError, match="no such script"):
        parse_command(["python", "missing.py"], str(tmp_path))
    with pytest.raises(ConfirmError, match="command not found"):
        parse_command(["no-such-program-eiglint"], str(tmp_path))


# ------------------------------------------------------------------------------ tolerances
def _arr(x, dtype):
    return to_record(np.asarray(x, dtype=dtype))


def test_compare_tolerances_are_dtype_aware():
    base = np.array([1.0, -2.0, 0.5])
    # float64: rounding noise is no change, 1e-6 relative is
    assert not compare(_arr(base, "f8"), _arr(base + 1e-14, "f8")).changed
    assert compare(_arr(base, "f8"), _arr(base * (1 + 1e-6), "f8")).changed
    # float32: 1e-4 relative is within its tolerance, 1e-2 is not
    assert not compare(_arr(base, "f4"), _arr(base * (1 + 1e-4), "f4")).changed
    d = compare(_arr(base, "f4"), _arr(base * (1 + 1e-2), "f4"))
    assert d.changed and d.magnitude == pytest.approx(1e-2, rel=1e-3)
    # a base that is exactly zero: absolute + relative, so a real change counts ...
    d = compare(_arr(np.zeros(3), "f8"), _arr([0.0, 0.5, 0.0], "f8"))
    assert d.changed and d.magnitude == pytest.approx(0.5)
    # ... and rounding noise around zero does not
    assert not compare(_arr([1e-17, 0, 0], "f8"), _arr([-2e-16, 0, 0], "f8")).changed
    # complex values, integer indices (exact), structure
    assert compare(_arr([1 + 1j], "c16"), _arr([1 - 1j], "c16")).changed
    assert compare(_arr([0, 2, 1], "i8"), _arr([0, 1, 2], "i8")).changed
    assert not compare(_arr([0, 2, 1], "i8"), _arr([0, 2, 1], "i8")).changed
    assert compare(_arr([1.0, 2.0], "f8"), _arr([1.0, 2.0, 3.0], "f8")).structural
    assert compare(_arr([np.nan], "f8"), _arr([1.0], "f8")).structural
    assert not compare(_arr([np.nan], "f8"), _arr([np.nan], "f8")).changed
    assert not compare(to_record((1.0, None)), to_record((1.0, None))).changed
    assert compare(to_record((1.0, 2)), to_record((1.0, 3))).changed
    assert not compare(to_record(object()), to_record(object())).comparable


def test_condition_number_raises_the_floor():
    floor, worst = cond_floor([{"cond": 1e6, "dtype": "complex128"}])
    assert worst == 1e6 and floor == pytest.approx(10 * 1e6 * 1.1e-16)
    base = np.array([1.0, 2.0])
    d = compare(_arr(base, "f8"), _arr(base * (1 + 1e-7), "f8"), rtol_floor=1e-6)
    assert not d.changed and d.within_noise


# ------------------------------------------------------------------------------ verdicts
P = ProbeInfo(0, "/x/a.py", 5, 5, "phase")


def _rd(role, values=None, label=None, done=True, status="ok", error="", **kw):
    """A run whose probe 0 took ``values``; unless ``obs`` is given, its outputs are those
    values (the run returned them) and how it ended."""
    hits = {0: [to_record(np.asarray(v)) for v in values]} if values is not None else {}
    counts = {0: len(values)} if values is not None else {}
    obs = {"exit[0]": exit_leaf({"status": "error" if status == "error" else "ok",
                                 "error": error})}
    if values is not None:
        obs["return[0]"] = to_record(np.asarray(values))
    kw.setdefault("obs", obs)
    return RunData(label or role, role, status, error, done, hits, counts, **kw)


def test_judge_confirmed_not_reproduced_and_control():
    base, ctl = _rd("baseline", [1.0]), _rd("control", [1.0])
    v = judge(P, [base, ctl, _rd("random", [1.0], "gauge 1"), _rd("random", [-0.5], "gauge 2")])
    assert v.status == "confirmed" and v.max_change == pytest.approx(1.5)
    assert "1/2 random gauges" in v.reason and v.runs == 4
    v = judge(P, [base, ctl, _rd("random", [1.0]), _rd("flip", [1.0], "flip column 0")])
    assert v.status == "not-reproduced" and "false positive" in v.reason
    v = judge(P, [base, _rd("control", [1.1]), _rd("random", [-1.0])])
    assert v.status == "inconclusive" and "nondeterministic" in v.reason
    v = judge(P, [base, ctl, _rd("flip", [1.0], "flip column 0"),
                  _rd("flip", [-0.25], "flip column 1")])
    assert v.status == "confirmed" and "column 1 alone" in v.reason
    v = judge(P, [base, ctl, _rd("random", [1.0]), _rd("mix", [2.0], "mix 1")])
    assert v.status == "confirmed" and "degenerate" in v.reason


def test_judge_reachability_failures_and_torch_errors():
    v = judge(P, [_rd("baseline"), _rd("control"), _rd("random")])
    assert v.status == "not-reached" and v.runs == 0
    v = judge(P, [_rd("baseline", done=False, status="timeout", error="timed out after 3 s"),
                  _rd("control", done=False, status="timeout"), _rd("random")])
    assert v.status == "inconclusive" and "timed out" in v.reason
    v = judge(P, [_rd("baseline", status="error", error="run(): ValueError: bad"),
                  _rd("control"), _rd("random")])
    assert v.status == "inconclusive" and "raised an exception" in v.reason
    v = judge(P, [_rd("baseline", status="failed", error="exit code 1"), _rd("control"),
                  _rd("random")])
    assert v.status == "not-reached" and "exit code 1" in v.reason
    # several snippet files in one run: only the failure of this probe's own file counts
    other = _rd("baseline", status="error", error="x", failures=[("/x/other.py", "error", "b")])
    assert judge(P, [other, _rd("control"), _rd("random")]).status == "not-reached"
    own = _rd("baseline", status="error", error="x", failures=[("/x/a.py", "error", "boom")])
    v = judge(P, [own, _rd("control"), _rd("random")])
    assert v.status == "inconclusive" and "boom" in v.reason
    # evaluated a different number of times under another gauge: control flow changed
    v = judge(P, [_rd("baseline", [1.0]), _rd("control", [1.0]), _rd("random", [1.0, 1.0])])
    assert v.status == "confirmed" and "evaluated 2 times" in v.reason
    # torch's error on a loss computed from the probed value confirms even without a change
    err = {"op": "linalg_eig_backward", "path": "/x/b.py", "line": 9, "probes": [0]}
    v = judge(P, [_rd("baseline", [1.0], torch_errors=[err]), _rd("control", [1.0]),
                  _rd("random", [1.0])])
    assert v.status == "confirmed" and "linalg_eig_backward" in v.reason
    other = dict(err, probes=[3])
    v = judge(P, [_rd("baseline", [1.0], torch_errors=[other]), _rd("control", [1.0]),
                  _rd("random", [1.0])])
    assert v.status == "not-reproduced"
    here = {"op": "svd_backward", "path": "/x/a.py", "line": 5, "probes": []}
    v = judge(P, [_rd("baseline", [1.0], torch_errors=[here]), _rd("control", [1.0]),
                  _rd("random", [1.0])])
    assert v.status == "confirmed" and "svd_backward" in v.reason


def test_no_stray_probe_builtin_in_this_process():
    assert not hasattr(builtins, PROBE_NAME)
    assert os.path.basename(__file__) == "test_units.py"


def test_exit_codes() -> None:
    from eiglint.runtime.runner import Report
    from eiglint.types import Finding, Verdict

    def rep(*statuses: str) -> Report:
        return Report([Finding("a.py", 1, 1, "EIG101", "m").with_verdict(Verdict(s))
                       for s in statuses])

    assert rep("confirmed", "not-reached").exit_code() == 1
    assert rep("not-reproduced", "inconclusive").exit_code() == 0
    assert rep("not-reproduced", "inconclusive").exit_code(strict=True) == 1
    assert rep().exit_code(strict=True) == 0


def test_judge_confirms_an_exception_raised_on_the_probed_lines_under_another_gauge():
    """``assert_allclose(V, expected)`` does not return a value to compare: under another
    gauge it raises. That confirms the finding when it is raised on the probe's own lines and
    neither the baseline nor the control raised there."""
    boom = [("/x/a.py", 5, "AssertionError: \nArrays are not equal\n mismatch")]
    base, ctl = _rd("baseline", [1.0]), _rd("control", [1.0])
    failed = _rd("random", None, "gauge 1", status="error", error="boom", raised=boom)
    v = judge(P, [base, ctl, failed, _rd("random", [1.0], "gauge 2")])
    assert v.status == "confirmed"
    assert "raised `AssertionError: Arrays are not equal mismatch` here under 1 of 2 random " \
           "gauges (first: gauge 1)" in v.reason
    # raised elsewhere (another line, another file): not this probe's doing
    for where in (("/x/a.py", 7), ("/x/b.py", 5)):
        other = _rd("random", None, status="error", raised=[(*where, "AssertionError: x")])
        assert judge(P, [base, ctl, other]).status == "inconclusive"
    # the baseline raised there too (in a later pass over the same line): no evidence
    v = judge(P, [_rd("baseline", [1.0], status="error", raised=boom), ctl, failed])
    assert v.status != "confirmed"


def test_judge_baseline_that_raised_on_the_probed_lines_is_inconclusive():
    """A test that already fails with the library's own gauge (the assertion raised on the
    probe's lines, so the probe never recorded a value): not "the code did not evaluate it"."""
    boom = [("/x/a.py", 5, "AssertionError: \nNot equal to tolerance")]
    base = _rd("baseline", status="failed", error="exit code 1", raised=boom)
    v = judge(P, [base, _rd("control", raised=boom), _rd("random", raised=boom)])
    assert v.status == "inconclusive"
    assert "already raised here: `AssertionError: Not equal to tolerance`" in v.reason
    # raised on another line: the probe simply was not reached
    elsewhere = _rd("baseline", status="failed", error="exit code 1",
                    raised=[("/x/a.py", 9, "AssertionError")])
    assert judge(P, [elsewhere, _rd("control"), _rd("random")]).status == "not-reached"


def test_control_differs_only_for_the_users_own_nondeterminism():
    base, ctl = _rd("baseline", [1.0]), _rd("control", [1.0])
    assert not control_differs(P, [base, ctl, _rd("random", [-1.0])])
    assert control_differs(P, [base, _rd("control", [2.0])])
    assert control_differs(P, [base, _rd("control")])  # the control did not even reach it
    assert not control_differs(P, [base, _rd("control", status="timeout")])
    assert not control_differs(P, [_rd("baseline"), _rd("control", [1.0])])


def test_paths_with_tests(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("")
    (tmp_path / "pkg" / "test_inside.py").write_text("")  # not a test folder: not run
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_a.py").write_text("")
    (tmp_path / "testing").mkdir()
    (tmp_path / "testing" / "conftest.py").write_text("")  # no test file: not a test folder
    (tmp_path / "tests_venv" / "venv" / "lib").mkdir(parents=True)
    (tmp_path / "tests_venv" / "venv" / "pyvenv.cfg").write_text("")
    (tmp_path / "tests_venv" / "venv" / "lib" / "test_x.py").write_text("")
    (tmp_path / "b_test.py").write_text("")
    (tmp_path / "conftest.py").write_text("")
    paths = [str(tmp_path / n) for n in ("pkg", "tests", "testing", "tests_venv", "b_test.py",
                                         "conftest.py", "pkg/test_inside.py")]
    assert paths_with_tests(paths) == [paths[1], paths[4], paths[6]]


def test_runs_that_decomposed_other_matrices_confirm_nothing_computed_from_them():
    """Baseline and control agree on the probe (a boolean can, by chance) but decomposed
    different matrices: the user's randomness, not the gauge, may have changed the value."""
    a = [4.0, 4.0, 1.0, 0.0, 2.0, 0.0, 3.0]
    b = [4.0, 4.0, 1.5, 0.0, 2.0, 0.0, 3.5]

    def call(fp, line=3):
        return {"api": "numpy.linalg.eigh", "path": "/x/a.py", "line": line, "fp": fp}

    def runs(control_fp, first_fp=a):
        return [_rd("baseline", [1.0], calls=[call(a)]),
                _rd("control", [1.0], calls=[call(control_fp)]),
                _rd("random", [-0.5], "gauge 1", calls=[call(first_fp)])]

    assert judge(P, runs(a)).status == "confirmed"
    assert call_mismatch(runs(a)) is None
    v = judge(P, runs(b))
    assert v.status == "inconclusive"
    assert "the control run decomposed another matrix than the baseline at " \
           "`numpy.linalg.eigh` (/x/a.py:3)" in v.reason and "nondeterministic" in v.reason
    # the first decomposition of a perturbed run happens before any re-gauging
    v = judge(P, runs(a, first_fp=b))
    assert v.status == "inconclusive" and "gauge 1 decomposed another first matrix" in v.reason
    # rounding noise is no difference
    assert judge(P, runs(a[:2] + [x * (1 + 1e-13) for x in a[2:]])).status == "confirmed"
    # a probe whose value comes from another, deterministic decomposition is still confirmed
    other = ProbeInfo(0, "/x/a.py", 5, 5, "sign", sources=(("/x/a.py", 9),))
    assert judge(other, runs(b)).status == "confirmed"
    mine = ProbeInfo(0, "/x/a.py", 5, 5, "sign", sources=(("/x/a.py", 3),))
    assert judge(mine, runs(b)).status == "inconclusive"
    # another number of decompositions cannot be pinned to a call site: nothing is confirmed
    uneven = runs(a)
    uneven[1].calls.append(call(a, 9))
    assert judge(other, uneven).status == "inconclusive"
    assert "made 2 decomposition(s), the baseline 1" in judge(other, uneven).reason


def test_entry_problem_names_entries_that_cannot_be_called_without_arguments():
    tree = ast.parse(
        "def main(n=3): pass\n"
        "def embed(x, k=2): pass\n"
        "class Model:\n"
        "    def feats(self, A): pass\n"
        "    @staticmethod\n"
        "    def demo(): pass\n"
        "    @classmethod\n"
        "    def build(cls, size=2): pass\n"
        "    @classmethod\n"
        "    def load(cls, path): pass\n"
        "RUN = main\n")
    assert entry_problem(tree, "main") == ""
    assert entry_problem(tree, "RUN") == ""  # not a def: left to the run
    assert entry_problem(tree, "Model.demo") == ""
    assert entry_problem(tree, "Model.build") == ""
    assert "takes arguments" in entry_problem(tree, "embed")
    assert "takes arguments" in entry_problem(tree, "Model.load")
    assert "is a method: confirm has no instance" in entry_problem(tree, "Model.feats")


def test_the_pytest_plugin_is_handed_over_once_whichever_entry_point_runs():
    """pytest <= 9.0: the console script calls ``main``; from 9.1 it calls ``_main``, which
    ``main`` calls too. The plugin that records failing tests must reach pytest exactly once."""
    import types

    from eiglint.runtime.bootstrap import Child, _PytestPlugin

    seen = []
    mod = types.ModuleType("_pytest.config")

    def _main(*, args=None, plugins=None, prog=""):
        seen.append(list(plugins or ()))
        return 0

    def main(args=None, plugins=None):
        return mod._main(args=args, plugins=plugins, prog="pytest.main()")

    mod._main, mod.main = _main, main
    Child._on_pytest(types.SimpleNamespace(), mod)
    mod.main([], ["user_plugin"])
    mod._main(args=[], prog="python -m pytest")
    assert [[type(p).__name__ if p != "user_plugin" else p for p in ps] for ps in seen] == [
        ["user_plugin", "_PytestPlugin"], ["_PytestPlugin"]]
    assert all(isinstance(ps[-1], _PytestPlugin) for ps in seen)
    old = types.ModuleType("_pytest.config")  # pytest 9.0: no _main
    old.main = lambda args=None, plugins=None: seen.append(list(plugins or ())) or 0
    Child._on_pytest(types.SimpleNamespace(), old)
    old.main()
    assert isinstance(seen[-1][-1], _PytestPlugin) and len(seen[-1]) == 1

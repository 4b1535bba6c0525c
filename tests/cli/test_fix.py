"""`eiglint --fix --unsafe-fixes`, `--diff` and `--show-fixes`: the fix canonicalises the gauge
of the decomposition a finding's value came from. Every test runs the real command on real
files; the runtime tests run the fixed programs under random, equally valid gauges."""
from __future__ import annotations

import ast
import difflib
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from tests.conftest import FIXTURES

from .helpers import FORUM, assert_no_traceback, run


def _copy_forum(tmp_path: Path) -> Path:
    dst = tmp_path / "forum.py"
    shutil.copy(FORUM, dst)
    return dst


def test_fix_alone_applies_nothing_and_points_to_unsafe_fixes(tmp_path: Path) -> None:
    f = _copy_forum(tmp_path)
    before = f.read_text()
    proc = run("--isolated", "--no-cache", "--fix", f)
    assert_no_traceback(proc)
    assert proc.returncode == 1  # the findings are still there
    assert f.read_text() == before
    assert "No safe fixes; 2 findings can be fixed with `--unsafe-fixes`" in proc.stderr


def test_unsafe_fix_inserts_one_canonicalisation_per_decomposition(tmp_path: Path) -> None:
    f = _copy_forum(tmp_path)
    before = f.read_text()
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Fixed 2 findings (2 decompositions canonicalised in 1 file)." in proc.stderr
    assert "All checks passed" in proc.stderr
    assert f"{f}:22: Fixed: Canonicalise the gauge of `vecA` after `torch.linalg.eig`" \
        in proc.stderr
    after = f.read_text()
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
             if line.startswith("+ ")]
    assert added == [
        "+ vecA = vecA * torch.sgn(vecA.gather(-2, vecA.abs().argmax(-2, keepdim=True)))"
        ".conj()",
        "+ vecBr = vecBr * torch.sgn(vecBr.gather(-2, vecBr.abs().argmax(-2, keepdim=True)))"
        ".conj()"]
    assert not [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
                if line.startswith("- ")]
    # a second run changes nothing
    again = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", f)
    assert again.returncode == 0
    assert f.read_text() == after
    assert "Fixed" not in again.stderr


def test_diff_is_a_valid_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    f = _copy_forum(tmp_path)
    before = f.read_text()
    proc = run("--isolated", "--no-cache", "--diff", "--unsafe-fixes", "forum.py",
               cwd=tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert f.read_text() == before
    assert proc.stdout.startswith("--- a/forum.py\n+++ b/forum.py\n@@ ")
    assert "Would fix 2 findings in 1 file." in proc.stderr
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("the `patch` program is not installed")
    subprocess.run([patch, "-p1", "--quiet"], input=proc.stdout, text=True, cwd=tmp_path,
                   check=True)
    fixed = f.read_text()
    f.write_text(before)
    assert run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", f).returncode == 0
    assert f.read_text() == fixed  # the diff is exactly what --fix writes
    # nothing left to change: an empty diff, exit 0
    proc = run("--isolated", "--no-cache", "--diff", "--unsafe-fixes", "forum.py",
               cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""


def test_diff_without_unsafe_fixes_shows_nothing(tmp_path: Path) -> None:
    _copy_forum(tmp_path)
    proc = run("--isolated", "--no-cache", "--diff", "forum.py", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "--unsafe-fixes" in proc.stderr


def test_stdin_fix_prints_the_fixed_source() -> None:
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--stdin-filename",
               "forum.py", "-", stdin=FORUM.read_bytes())
    assert_no_traceback(proc)
    assert proc.returncode == 0
    assert "vecA = vecA * torch.sgn(" in proc.stdout
    ast.parse(proc.stdout)
    assert len(proc.stdout.splitlines()) == len(FORUM.read_text().splitlines()) + 2


def test_show_fixes_says_why_a_decomposition_gets_no_fix(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    src = ("import torch\n\n\ndef f(A):\n    res = torch.linalg.eig(A)\n"
           "    return res.eigenvectors.real\n\n\n"
           "def g(A):\n    return [torch.linalg.eigh(a)[1].sum() for a in A]\n\n\n"
           "def h(A):\n    U, S, Vh = torch.linalg.svd(A)\n    return U.sum() + Vh.sum()\n")
    f.write_text(src)
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert f.read_text() == src
    err = proc.stderr
    assert f"{f}:5: No fix (1 finding): the vectors are bound inside a result object (`res`)" \
        in err
    assert f"{f}:10: No fix (1 finding): the decomposition is not bound by a plain " \
        "assignment" in err
    assert f"{f}:14: No fix (" in err and "full_matrices=False" in err


def test_missing_import_is_added_after_docstring_and_future(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('"""Doc."""\nfrom __future__ import annotations\n\n'
                 "from torch.linalg import eigh\nfrom numpy.linalg import svd\n\n\n"
                 "def f(A):\n    L, V = eigh(A)\n    return V.sum(-1)\n\n\n"
                 "def g(a):\n    u, s, vh = svd(a, full_matrices=False)\n"
                 "    return u.sum(), vh.sum()\n")
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", f)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = f.read_text()
    lines = text.splitlines()
    assert lines[:4] == ['"""Doc."""', "from __future__ import annotations", "import torch",
                         "import numpy as np"]
    ast.parse(text)


def test_an_alias_that_names_something_else_blocks_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    src = ("from numpy.linalg import eigh\n\nnp = 3\n\n\n"
           "def f(A):\n    w, v = eigh(A)\n    return v.sum(-1)\n")
    f.write_text(src)
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert proc.returncode == 1
    assert f.read_text() == src
    assert "`np` names something else in this file" in proc.stderr


def test_every_fixture_fixed_leaves_findings_only_at_unfixable_decompositions(
        tmp_path: Path) -> None:
    import json

    for f in sorted((FIXTURES / "rules").glob("*.py")):
        shutil.copy(f, tmp_path / f.name)
    files = sorted(tmp_path.glob("*.py"))
    before = json.loads(run("--isolated", "--no-cache", "--output-format", "json",
                            *files).stdout)
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes",
               "--output-format", "json", *files)
    assert_no_traceback(proc)
    after = json.loads(proc.stdout)
    assert len(after) < len(before) / 4
    # what is left: listed (on the fixed files) as decompositions that get no fix, none with one
    shown = run("--isolated", "--no-cache", "--unsafe-fixes", "--show-fixes", *files)
    assert ": Fix: " not in shown.stderr
    skipped = {(Path(line.split(":")[0]).name, int(line.split(":")[1]))
               for line in shown.stderr.splitlines() if ": No fix (" in line}
    for fnd in after:
        if fnd["code"].startswith("EIG9"):
            continue
        key = (Path(fnd["file"]).name, fnd["trace"][0]["line"])
        assert key in skipped, (fnd["file"], fnd["line"], fnd["message"][:120])
    for f in files:
        ast.parse(f.read_text())  # every fixed file still parses
    texts = {f: f.read_text() for f in files}
    run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", *files)
    assert {f: f.read_text() for f in files} == texts  # idempotent


# --------------------------------------------------------------------------- at run time

PROGRAM = '''\
import numpy as np
import scipy.linalg as sla
import torch


def features():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 5))
    w, v = np.linalg.eig(a)
    s = a + a.T
    lam, q = sla.eigh(s)
    u, sv, vh = np.linalg.svd(rng.standard_normal((6, 4)), full_matrices=False)
    t = torch.from_numpy(rng.standard_normal((4, 3)))
    U, S, V = torch.svd(t)
    H = torch.from_numpy(rng.standard_normal((4, 4)) + 1j * rng.standard_normal((4, 4)))
    L, W = torch.linalg.eigh(H + H.mH)
    return {
        "eig": v.real.sum(-1),
        "eigh": (q > 0).sum(0),
        "svd_u": u.sum(-1),
        "svd_vh": vh.sum(0),
        "svd_rec": (u * sv) @ vh,
        "torch_u": U.sum(-1).numpy(),
        "torch_v": V.sum(-1).numpy(),
        "torch_rec": (U @ torch.diag(S) @ V.T).numpy(),
        "hermitian": torch.view_as_real(W[0]).numpy(),
    }
'''


def _outputs(path: Path, seeds: List[int]) -> List[Dict[str, Any]]:
    from eiglint.runtime.gauge import GaugeSpec, regauge

    outs = [runpy.run_path(str(path))["features"]()]
    for seed in seeds:
        with regauge(GaugeSpec("random", seed=seed)):
            outs.append(runpy.run_path(str(path))["features"]())
    return outs


def test_fixed_numpy_scipy_torch_program_is_gauge_invariant(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    import numpy as np

    f = tmp_path / "prog.py"
    f.write_text(PROGRAM)
    outs = _outputs(f, [1, 2, 3])
    assert any(not np.allclose(o["eigh"], outs[0]["eigh"]) for o in outs[1:])  # it was broken
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.count(": Fixed: ") == 5  # every decomposition
    fixed = _outputs(f, [1, 2, 3, 4, 5])
    for key in fixed[0]:
        for o in fixed[1:]:
            assert np.allclose(o[key], fixed[0][key]), key
    for key in ("svd_rec", "torch_rec"):  # U S Vh is unchanged by the fix
        assert np.allclose(fixed[0][key], outs[0][key]), key


def test_fixed_seed_example_backward_runs_and_loss_is_gauge_invariant(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from eiglint.runtime.gauge import GaugeSpec, regauge

    f = _copy_forum(tmp_path)

    def losses() -> List[float]:
        got = []
        for seed in (0, 1, 2, 3):
            spec = GaugeSpec("random", seed=seed) if seed else GaugeSpec()
            with regauge(spec):
                ns = runpy.run_path(str(f))
            got.append(float(ns["lossBadA"]))
        return got

    broken = losses()
    assert max(broken) - min(broken) > 1e-3  # the unfixed loss follows the gauge
    assert run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", f).returncode == 0
    fixed = losses()
    assert max(fixed) - min(fixed) < 1e-6
    proc = subprocess.run([sys.executable, str(f)], capture_output=True, text=True,
                          timeout=120, check=True)
    assert "RuntimeError" not in proc.stdout  # backward of the once ill-defined loss runs
    assert "linalg_eig_backward" not in proc.stdout + proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1] != "None"  # tB.grad was computed


ALIASED = '''\
import numpy as np
import scipy.sparse.linalg as spla

decompose = np.linalg.eigh
SOLVERS = {"dense": np.linalg.eigh, "sparse": spla.eigsh}


def embedding(L, directed):
    solver = np.linalg.eig if directed else np.linalg.eigh
    vals, vecs = solver(L)
    return vecs.sum(-1)


def table(L, how):
    w, v = SOLVERS[how](L)
    return v.sum(-1)


def given(xp, L):
    w, v = xp.linalg.eigh(L)
    return xp.sum(v[0])


w, V = decompose(np.eye(3))
s = V.sum(-1)
t = np.linalg.eigh(np.eye(3))[1].sum(-1)
'''


def test_a_solver_named_by_assignment_gets_the_fix_of_what_it_holds(tmp_path: Path) -> None:
    """An alias by assignment, a run-time choice between solvers of one kind and a table of
    them get the canonicalisation they all share; an array-API namespace passed in does not
    (its library is not known), and a decomposition inside an expression says so."""
    f = tmp_path / "aliased.py"
    f.write_text(ALIASED)
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert_no_traceback(proc)
    fixed = {int(line.split(":")[1]) for line in proc.stderr.splitlines() if ": Fixed: " in line}
    assert fixed == {10, 15, 24}, proc.stderr
    assert f"{f}:20: No fix (1 finding): the call is not a catalogued decomposition" \
        in proc.stderr
    assert f"{f}:26: No fix (1 finding): the decomposition is called inside an expression" \
        in proc.stderr
    text = f.read_text()
    assert "    vecs = vecs * (np.abs(_pivot) / _pivot)\n" in text
    assert "V = V * (np.abs(_pivot) / _pivot)\n" in text
    after = run("--isolated", "--no-cache", "--output-format", "json", f)
    import json

    assert sorted(x["line"] for x in json.loads(after.stdout)) == [
        text.splitlines().index("    return xp.sum(v[0])") + 1, len(text.splitlines())]


def test_show_fixes_says_each_no_fix_once_across_rounds(tmp_path: Path) -> None:
    # the fix of `g` makes a second lint-and-fix round; `f`'s skipped decomposition is planned
    # again there and must not be reported twice
    f = tmp_path / "m.py"
    f.write_text("import torch\n\n\ndef f(a):\n    res = torch.linalg.eigh(a)\n"
                 "    return res.eigenvectors.sum()\n\n\n"
                 "def g(a):\n    w, v = torch.linalg.eigh(a)\n    return v.sum()\n")
    proc = run("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", f)
    assert_no_traceback(proc)
    assert proc.stderr.count(f"{f}:5: No fix (1 finding)") == 1, proc.stderr
    assert proc.stderr.count(f"{f}:10: Fixed:") == 1, proc.stderr

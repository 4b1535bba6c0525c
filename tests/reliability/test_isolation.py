"""Per-file failure isolation: a native crash, a hang, a recursion or memory blow-up or an
internal error in one file becomes one diagnostic for that file; every other file is linted."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

from eiglint import api, parallel, pipeline
from eiglint.settings import DEFAULT_SETTINGS
from eiglint.types import Finding
from tests.cli.helpers import FORUM, assert_no_traceback, env, forum_expected, parse_concise

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="the patched functions reach the workers through fork (Linux)")

EIG = "import torch\nL, V = torch.linalg.eig(A)\nloss = (V * V).real.sum()\n"
DEEP = "import torch\nL, V = torch.linalg.eig(A)\nx = " + "(" * 3000 + "1" + ")" * 3000 + "\n"


def _tree(tmp_path: Path, names: List[str]) -> List[str]:
    for n in names:
        (tmp_path / n).write_text(EIG)
    (tmp_path / "zz_forum.py").write_bytes(FORUM.read_bytes())
    return sorted(str(p) for p in tmp_path.glob("*.py"))


def _by_file(findings: List[Finding]) -> Dict[str, List[str]]:
    out: Dict[str, List[str]] = {}
    for f in findings:
        out.setdefault(os.path.basename(f.path), []).append(f.code)
    return out


def _patch_lint_data(monkeypatch: pytest.MonkeyPatch, name: str,
                     action: Callable[[], Any]) -> None:
    real = parallel.lint_data

    def lint_data(data: bytes, path: str, *args: Any, **kw: Any) -> List[Finding]:
        if os.path.basename(path) == name:
            action()
        return real(data, path, *args, **kw)

    monkeypatch.setattr(parallel, "lint_data", lint_data)


def test_native_parser_crash_is_one_diagnostic(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """libcst segfaults on 3000 nested parentheses; with the ast gate switched off for that
    file, the real crash happens in a worker and costs that file only."""
    files = _tree(tmp_path, ["a.py", "c.py"])
    (tmp_path / "b_deep.py").write_text(DEEP)
    files = sorted(files + [str(tmp_path / "b_deep.py")])
    real = pipeline.parse

    def no_gate(text: str, path: str) -> Any:
        if path.endswith("b_deep.py"):
            return ast.parse("import torch\ntorch.linalg.eig(A)\n"), None
        return real(text, path)

    monkeypatch.setattr(pipeline, "parse", no_gate)
    # without the pre-filter: the slice would come from the fake tree
    out = parallel.lint_files(files, replace(DEFAULT_SETTINGS, prefilter=False), jobs=2)
    codes = {os.path.basename(o.path): [f.code for f in o.findings] for o in out}
    assert codes["b_deep.py"] == ["EIG903"]
    (deep,) = [o for o in out if o.path.endswith("b_deep.py")]
    assert "crashed" in deep.findings[0].message and "SIGSEGV" in deep.findings[0].message
    assert codes["a.py"] == codes["c.py"] == ["EIG101"]
    assert [(f.line, f.col, f.code) for o in out if o.path.endswith("zz_forum.py")
            for f in o.findings] == forum_expected()


def test_worker_killed_by_a_signal_is_one_diagnostic(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    files = _tree(tmp_path, ["a.py", "b.py", "c.py", "d.py"])
    _patch_lint_data(monkeypatch, "b.py", lambda: os.kill(os.getpid(), 9))
    res = api.lint_paths([str(tmp_path)], jobs=2)
    got = _by_file(res.findings)
    assert got["b.py"] == ["EIG903"]
    assert got["a.py"] == got["c.py"] == got["d.py"] == ["EIG101"]
    assert len(files) == res.files == 5


def test_hang_is_cut_by_the_time_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["a.py", "b.py", "c.py"])
    _patch_lint_data(monkeypatch, "b.py", lambda: time.sleep(3600))
    t0 = time.monotonic()
    res = api.lint_paths([str(tmp_path)], jobs=2, timeout=2.0)
    assert time.monotonic() - t0 < 60
    got = _by_file(res.findings)
    assert got["b.py"] == ["EIG903"]
    (f,) = [f for f in res.findings if f.path.endswith("b.py")]
    assert "time budget of 2 s" in f.message
    assert got["a.py"] == got["c.py"] == ["EIG101"]


@pytest.mark.parametrize("exc, code, jobs", [
    (RecursionError, "EIG903", None), (MemoryError, "EIG903", None), (KeyError, "EIG999", None),
    (RecursionError, "EIG903", 2), (MemoryError, "EIG903", 2), (KeyError, "EIG999", 2),
    # a worker also survives BaseException (user code is never run, but plugins could exit)
    (SystemExit, "EIG999", 2)])
def test_exceptions_in_the_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    exc: type, code: str, jobs: Any) -> None:
    from eiglint import tracker

    _tree(tmp_path, ["a.py", "b.py"])
    real = tracker.analyze_text

    def analyze_text(text: str, path: str, *args: Any, **kw: Any) -> List[Finding]:
        if path.endswith("b.py"):
            raise exc("boom")
        return real(text, path, *args, **kw)

    monkeypatch.setattr(tracker, "analyze_text", analyze_text)
    res = api.lint_paths([str(tmp_path)], jobs=jobs)
    got = _by_file(res.findings)
    assert got["b.py"] == [code]
    assert got["a.py"] == ["EIG101"]


_CLI_WITH_BUG = """
import sys
from eiglint import tracker
def broken(text, path, *a, **k):
    raise ValueError("synthetic bug")
tracker.analyze_text = broken
from eiglint.cli import main
sys.argv = ["eiglint", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_internal_error_reported_without_traceback_unless_debug(tmp_path: Path,
                                                                jobs: str) -> None:
    (tmp_path / "a.py").write_text(EIG)
    base = [sys.executable, "-c", _CLI_WITH_BUG, "--no-cache", "-j", jobs, "a.py"]
    proc = subprocess.run(base, cwd=tmp_path, capture_output=True, text=True, env=env(),
                          timeout=120)
    assert_no_traceback(proc)  # type: ignore[arg-type]
    rows = parse_concise(proc.stdout)
    assert [r[3] for r in rows] == ["EIG999"]
    assert "please report it" in rows[0][4] and "--debug" in rows[0][4]
    assert proc.returncode == 1
    dbg = subprocess.run(base + ["--debug"], cwd=tmp_path, capture_output=True, text=True,
                         env=env(), timeout=120)
    assert "Traceback" in dbg.stderr and "synthetic bug" in dbg.stderr
    assert [r[3] for r in parse_concise(dbg.stdout)] == ["EIG999"]


def test_cli_time_budget_flag(tmp_path: Path) -> None:
    """--file-timeout reaches the workers (a hang injected through the command line)."""
    (tmp_path / "a.py").write_text(EIG)
    (tmp_path / "b.py").write_text(EIG)
    script = _CLI_WITH_BUG.replace(
        'raise ValueError("synthetic bug")',
        'import time\n    if path.endswith("b.py"): time.sleep(3600)\n'
        '    return real(text, path, *a, **k)').replace(
        "def broken", "real = tracker.analyze_text\ndef broken")
    proc = subprocess.run([sys.executable, "-c", script, "--no-cache", "-j", "2",
                           "--file-timeout", "2", "."], cwd=tmp_path, capture_output=True,
                          text=True, env=env(), timeout=120)
    assert_no_traceback(proc)  # type: ignore[arg-type]
    rows = {(r[0], r[3]) for r in parse_concise(proc.stdout)}
    assert rows == {("a.py", "EIG101"), ("b.py", "EIG903")}


def test_pool_outcomes_in_input_order_whatever_finishes_first(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    files = _tree(tmp_path, ["a.py", "b.py", "c.py"])
    _patch_lint_data(monkeypatch, "a.py", lambda: time.sleep(1.5))
    out = parallel.lint_files(files, DEFAULT_SETTINGS, jobs=3)
    assert [o.path for o in out] == files


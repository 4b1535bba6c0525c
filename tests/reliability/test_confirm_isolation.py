"""``eiglint confirm`` runs user code only in child processes and leaves the user's tree as it
was, whatever that code does: crash, hang (with helper processes), ``sys.exit``, ``os.chdir``,
fork, print megabytes. Checked through the real command line, with a private TMPDIR.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest

from tests.cli.helpers import ROOT

pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="process groups, fork and /proc")

HEAD = """import os, sys, time
import torch

def _note_pid(pid):
    path = os.environ.get("EIGLINT_ISOLATION_PIDS")
    if path:
        with open(path, "a") as fh:
            fh.write(f"{pid}\\n")

A = torch.randn(4, 4, dtype=torch.float64)
L, V = torch.linalg.eig(A)
loss = (V * V).real.sum()
"""

BEHAVIOUR: Dict[str, str] = {
    "crash": "import ctypes\nctypes.string_at(0)\n",  # SIGSEGV in the user's process
    "exit": "sys.exit(3)\n",
    "chdir": "os.chdir('/')\nopen('eiglint_isolation_probe.txt', 'w') if False else None\n",
    "fork": ("pid = os.fork()\nif pid == 0:\n    time.sleep(3600)\n    os._exit(0)\n"
             "_note_pid(pid)\n"),
    "hang": ("import subprocess\n"
             "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3600)'])\n"
             "_note_pid(p.pid)\n_note_pid(os.getpid())\ntime.sleep(3600)\n"),
    "megabytes": "sys.stdout.write('x' * 30_000_000)\nsys.stderr.write('y' * 30_000_000)\n",
}


def _digest(base: Path) -> Dict[str, str]:
    out = {}
    for d, dirs, files in os.walk(base):
        for n in dirs:
            out[os.path.relpath(os.path.join(d, n), base) + "/"] = "dir"
        for n in files:
            p = os.path.join(d, n)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, base)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def _dead(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1].split()[0] == "Z"  # a zombie has exited
    except OSError:
        return True


@pytest.mark.parametrize("name", sorted(BEHAVIOUR))
def test_confirm_isolation(tmp_path: Path, name: str) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / f"user_{name}.py").write_text(HEAD + BEHAVIOUR[name])
    (tree / "data.txt").write_text("keep me\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pids = tmp_path / "pids"
    before = _digest(tree)
    e = dict(os.environ, TMPDIR=str(tmp), EIGLINT_ISOLATION_PIDS=str(pids),
             PYTHONPATH=os.pathsep.join([str(ROOT)] + [
                 p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    timeout = 8 if name in ("hang", "fork") else 120
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "eiglint", "confirm", "--runs", "1",
                           "--timeout", str(timeout), f"user_{name}.py"], cwd=tree, env=e,
                          capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-3000:])
    assert "user_" in proc.stdout  # the finding is reported with its verdict
    assert len(proc.stdout) + len(proc.stderr) < 1_000_000  # captured, not replayed
    assert _digest(tree) == before  # no byte changed, no file or folder added
    assert list(tmp.iterdir()) == []  # every temporary file removed
    if name == "hang":
        assert elapsed < 120 and "timed out" in proc.stdout + proc.stderr
    if pids.exists():
        noted: List[int] = [int(x) for x in pids.read_text().split()]
        deadline = time.monotonic() + 10
        while not all(_dead(p) for p in noted) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(_dead(p) for p in noted), noted
    if name in ("hang", "fork"):
        assert pids.exists()  # the user code did start its helpers

"""Exit status of a real `eiglint` process interrupted by Ctrl-C (SIGINT): 130, not the 1 of
"findings" (the table is in the README and `eiglint --help`).

The run is held in the middle deterministically, not by timing: one of the linted files is a
named pipe, and eiglint (in its worker process) blocks reading it. The
test knows the read has started when it can open the pipe's write end without blocking, and
sends SIGINT then, keeping the write end open so the read never completes on its own.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import env, run

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _open_writer_when_read(fifo: Path, proc: subprocess.Popen[bytes], budget: float) -> int:
    deadline = time.monotonic() + budget
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody has opened it for reading yet
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "eiglint never started reading the pipe"
            time.sleep(0.05)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_the_middle_of_a_run_exits_130(tmp_path: Path, jobs: str) -> None:
    for k in range(3):
        (tmp_path / f"m{k}.py").write_text("import torch\nL, V = torch.linalg.eigh(A)\n")
    fifo = tmp_path / "z_pipe.py"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [sys.executable, "-m", "eiglint", "--no-cache", "-j", jobs, "."], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    writer = -1
    try:
        writer = _open_writer_when_read(fifo, proc, budget=120)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if writer >= 0:
            os.close(writer)
    stderr = err.decode()
    assert proc.returncode == 130, stderr
    assert "eiglint: interrupted" in stderr
    assert "Traceback" not in stderr and "Aborted!" not in stderr
    assert out == b""


def test_exit_status_table_in_help() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "130 interrupted (Ctrl-C)" in text
    assert "0 no findings; 1 findings; 2 usage, configuration or path error" in text

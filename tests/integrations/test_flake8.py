"""The flake8 plugin, run through real flake8: same findings as `eiglint`, flake8's `# noqa`
and selection, one file at a time."""
from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from tests.cli.helpers import FORUM, ROOT, env, run


def flake8(*args: str, cwd: Path = ROOT, stdin: bytes | None = None
           ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", *args], cwd=cwd,
                          input=stdin, capture_output=True, env=env(), check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(),
                                       proc.stderr.decode())


def test_entry_point_is_registered() -> None:
    eps = [ep for ep in entry_points(group="flake8.extension") if ep.name == "EIG"]
    assert [ep.value for ep in eps] == ["eiglint.flake8_plugin:Plugin"], \
        "install the package (pip install -e .) so flake8 finds the EIG plugin"
    assert "eiglint: " in flake8("--version").stdout


def test_forum_example_same_as_eiglint() -> None:
    ours = run("examples/forum_example.py", cwd=ROOT)
    theirs = flake8("--select=EIG", "examples/forum_example.py")
    assert theirs.returncode == 1, theirs.stderr
    assert theirs.stdout == ours.stdout
    assert len(theirs.stdout.splitlines()) == 2


def test_stdin_through_flake8() -> None:
    theirs = flake8("--select=EIG", "--stdin-display-name=examples/forum_example.py", "-",
                    stdin=FORUM.read_bytes())
    assert theirs.stdout == run("examples/forum_example.py", cwd=ROOT).stdout


def test_noqa_and_selection_are_flake8s(tmp_path: Path) -> None:
    text = FORUM.read_text().replace("lossBadA = (vecA * vecA).real[0, 0]",
                                     "lossBadA = (vecA * vecA).real[0, 0]  # noqa: EIG101")
    text = text.replace("lossBadB = (vecB * vecB).real[0, 0]",
                        "lossBadB = (vecB * vecB).real[0, 0]  # eiglint: ignore[EIG1]")
    (tmp_path / "m.py").write_text(text)
    assert flake8("--select=EIG", "m.py", cwd=tmp_path).stdout == ""
    shutil.copy(FORUM, tmp_path / "f.py")
    assert flake8("--select=EIG", "--extend-ignore=EIG1", "f.py", cwd=tmp_path).stdout == ""
    assert len(flake8("--select=EIG101", "f.py", cwd=tmp_path).stdout.splitlines()) == 2
    assert flake8("--select=EIG2", "f.py", cwd=tmp_path).stdout == ""


def test_a_broken_file_is_flake8s_e999(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import torch\ndef f(:\n")
    shutil.copy(FORUM, tmp_path / "good.py")
    proc = flake8("--select=EIG,E999", "bad.py", "good.py", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert [ln.split(" ")[1] for ln in lines] == ["E999", "EIG101", "EIG101"]
    assert "Traceback" not in proc.stderr


def test_plugin_reads_what_eiglint_was_taught(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.eiglint]\nextra-sources = ["mylib.linalg.eig"]\nignore = ["EIG101"]\n')
    (tmp_path / "m.py").write_text(
        "from mylib.linalg import eig\nL, V = eig(A)\nx = (V * V).real[0, 0]\n")
    proc = flake8("--select=EIG", "m.py", cwd=tmp_path)
    # extra-sources applies; selection stays flake8's (eiglint's ignore does not)
    assert [ln.split(" ")[1] for ln in proc.stdout.splitlines()] == ["EIG101"]

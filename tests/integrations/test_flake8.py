"""The flake8 plugin, run through real flake8: same findings as `eiglint`, flake8's `# noqa`
and selection, one file at a time."""
from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

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


BROKEN_CONFIGS = {
    "invalid-toml": ("[tool.eiglint\nselect = [\"EIG1\"]\n", "invalid TOML"),
    "unknown-key": ("[tool.eiglint]\nselct = [\"EIG1\"]\n", "unknown key 'selct'"),
    "bad-value": ("[tool.eiglint]\nextra-sources = \"mylib.eig\"\n",
                  "extra-sources: expected a list of strings"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_CONFIGS))
def test_broken_config_stops_flake8_as_it_stops_eiglint(tmp_path: Path, name: str) -> None:
    config, reason = BROKEN_CONFIGS[name]
    (tmp_path / "pyproject.toml").write_text(config)
    shutil.copy(FORUM, tmp_path / "m.py")
    ours = run("m.py", cwd=tmp_path)
    assert ours.returncode == 2 and reason in ours.stderr
    message = ours.stderr.strip().splitlines()[-1]  # "eiglint: error: <file>: <reason>"
    theirs = flake8("--select=EIG", "m.py", cwd=tmp_path)
    assert theirs.returncode != 0
    assert "There was a critical error during execution of Flake8:" in theirs.stdout
    assert message in theirs.stdout  # the same words as the CLI's
    assert "EIG101" not in theirs.stdout  # no file was checked with a fallback configuration
    assert "Traceback" not in theirs.stdout + theirs.stderr


def test_broken_config_of_a_subfolder_fails_its_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.eiglint]\nignore = [\"EIG2\"]\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.eiglint]\nbogus = 1\n")
    shutil.copy(FORUM, sub / "m.py")
    proc = flake8("--select=EIG", "-j", "1", ".", cwd=tmp_path)
    assert proc.returncode != 0
    assert "unknown key 'bogus'" in proc.stdout
    assert "EIG101" not in proc.stdout.replace('"EIG"', "")

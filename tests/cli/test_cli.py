"""The `eiglint` command end to end: exit codes, output contract, options, subcommands."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from eiglint import __version__, cli
from tests.cli.helpers import FORUM, ROOT, assert_no_traceback, forum_expected, parse_concise, run

CLEAN = "import torch\nw, V = torch.linalg.eigh(A)\nP = V @ V.mT\nprint(P)\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A folder with the forum example and one clean file."""
    shutil.copy(FORUM, tmp_path / "forum.py")
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def test_forum_example_two_findings_exit_1() -> None:
    proc = run("examples/forum_example.py", cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    got = [(ln, col, code) for path, ln, col, code, _ in parse_concise(proc.stdout)]
    assert got == forum_expected()
    assert all(path == "examples/forum_example.py" for path, *_ in parse_concise(proc.stdout))
    assert proc.stderr.strip() == "Found 2 findings in 1 of 1 file."


def test_examples_folder_like_the_readme() -> None:
    proc = run("examples/", cwd=ROOT)
    assert proc.returncode == 1
    assert [f[:4] for f in parse_concise(proc.stdout)] == [
        ("examples/forum_example.py", ln, col, code) for ln, col, code in forum_expected()]


def test_clean_exit_0_and_summary(project: Path) -> None:
    proc = run("clean.py", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr.strip() == "All checks passed (1 file)."


def test_default_path_is_the_current_folder(project: Path) -> None:
    proc = run(cwd=project)
    assert proc.returncode == 1
    assert {p for p, *_ in parse_concise(proc.stdout)} == {"forum.py"}
    assert proc.stderr.strip() == "Found 2 findings in 1 of 2 files."


def test_output_sorted_by_path_then_position(project: Path) -> None:
    shutil.copy(FORUM, project / "a_first.py")
    sub = project / "pkg"
    sub.mkdir()
    shutil.copy(FORUM, sub / "z.py")
    proc = run(".", cwd=project)
    rows = parse_concise(proc.stdout)
    assert [r[0] for r in rows] == ["a_first.py"] * 2 + ["forum.py"] * 2 + ["pkg/z.py"] * 2
    assert rows == sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def test_missing_path_exit_2_names_it(project: Path) -> None:
    proc = run("clean.py", "no/such/file.py", cwd=project)
    assert proc.returncode == 2
    assert "no/such/file.py" in proc.stderr
    assert proc.stdout == ""
    assert_no_traceback(proc)


def test_exit_zero_quiet_and_output_file(project: Path) -> None:
    proc = run("--exit-zero", "forum.py", cwd=project)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 2
    proc = run("-q", "forum.py", cwd=project)
    assert proc.returncode == 1 and proc.stderr == "" and len(proc.stdout.splitlines()) == 2
    proc = run("-o", "report.txt", "forum.py", cwd=project)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len((project / "report.txt").read_text().splitlines()) == 2


def test_select_and_ignore_by_prefix(project: Path) -> None:
    assert run("--ignore", "EIG1", "forum.py", cwd=project).returncode == 0
    assert run("--select", "EIG2", "forum.py", cwd=project).returncode == 0
    assert run("--select", "EIG2,EIG10", "forum.py", cwd=project).returncode == 1
    assert run("--select", "EIG2", "--extend-select", "EIG101", "forum.py",
               cwd=project).returncode == 1
    # a longer prefix wins over a shorter one (ruff's rule)
    assert run("--ignore", "EIG1", "--select", "EIG101", "forum.py", cwd=project).returncode == 1


def test_unknown_code_is_a_usage_error(project: Path) -> None:
    proc = run("--select", "E501", "forum.py", cwd=project)
    assert proc.returncode == 2
    assert "E501" in proc.stderr
    assert_no_traceback(proc)


def test_bad_option_exit_2(project: Path) -> None:
    proc = run("--no-such-option", cwd=project)
    assert proc.returncode == 2
    assert_no_traceback(proc)
    proc = run("--output-format", "xml", "forum.py", cwd=project)
    assert proc.returncode == 2 and "xml" in proc.stderr


def test_statistics(project: Path) -> None:
    proc = run("--statistics", ".", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout == "    2  EIG101  phase-dependent-real-imag\n"


def test_version() -> None:
    for args in (["--version"], ["check", "--version"]):
        proc = run(*args)
        assert proc.returncode == 0
        assert proc.stdout.strip() == f"eiglint {__version__}"


def test_color(project: Path) -> None:
    plain = run("--color", "never", "forum.py", cwd=project).stdout
    colored = run("--color", "always", "forum.py", cwd=project).stdout
    assert "\x1b[" not in plain and "\x1b[" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain
    # auto: not a terminal here, so no colour
    assert "\x1b[" not in run("forum.py", cwd=project).stdout


def test_subcommand_and_path_share_the_first_argument(project: Path) -> None:
    (project / "rule").mkdir()
    shutil.copy(FORUM, project / "rule" / "x.py")
    assert run("rule", "EIG101", cwd=project).stdout.startswith("## EIG101")
    # a path that is not a subcommand name is linted; `check` disambiguates the rest
    assert run("rule/x.py", cwd=project).returncode == 1
    assert run("check", "rule", cwd=project).returncode == 1


def test_help_shows_the_lint_options() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert "Usage: eiglint [OPTIONS] [PATHS]..." in proc.stdout
    for option in ("--output-format", "--select", "--stdin-filename", "--show-suppressed"):
        assert option in proc.stdout


def test_internal_error_without_and_with_debug(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "lint_paths", boom)
    runner = CliRunner()
    result = runner.invoke(cli.main, [str(project / "clean.py")])
    assert result.exit_code == 2
    assert "internal error (RuntimeError: kaboom)" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli.main, ["--debug", str(project / "clean.py")])
    assert result.exit_code == 2
    assert "Traceback" in result.output and "kaboom" in result.output


def test_no_default_path_lints_nothing(project: Path) -> None:
    proc = run("--no-default-path", cwd=project)
    assert proc.returncode == 0
    assert proc.stderr.strip() == "No Python files or notebooks found."


def test_python_dash_m_and_console_script_agree(project: Path) -> None:
    exe = shutil.which("eiglint")
    if exe is None:
        pytest.fail("the `eiglint` console script is not installed (pip install -e .)")
    import subprocess

    direct = subprocess.run([exe, "forum.py"], check=False, cwd=project, capture_output=True,
                            text=True)
    assert direct.returncode == 1
    assert direct.stdout == run("forum.py", cwd=project).stdout


def test_confirm_is_registered() -> None:
    proc = run("confirm", "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: eiglint confirm")


def test_optional_subcommands_missing_or_broken(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "eiglint_broken_ext.py").write_text("import eiglint_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "LAZY_COMMANDS", {
        "ghost": ("eiglint_not_installed_ext", "ghost"),
        "broken": ("eiglint_broken_ext", "broken"),
    })
    runner = CliRunner()
    # a package that is not installed: no such command, so the word is a path
    result = runner.invoke(cli.main, ["ghost"])
    assert result.exit_code == 2 and "path does not exist: ghost" in result.output
    # a package that is there but broken: linting still works, the command reports why
    assert runner.invoke(cli.main, [str(tmp_path / "eiglint_broken_ext.py")]).exit_code == 0
    result = runner.invoke(cli.main, ["broken", "x"])
    assert result.exit_code == 2
    assert "`eiglint broken` is unavailable: ModuleNotFoundError" in result.output
    assert "eiglint_no_such_dependency" in result.output and "Traceback" not in result.output
    assert "Traceback" in runner.invoke(cli.main, ["broken", "--debug"]).output


def test_closed_stdout_and_unwritable_output_file(project: Path) -> None:
    import subprocess
    import sys

    from tests.cli.helpers import env

    proc = subprocess.Popen([sys.executable, "-m", "eiglint", "forum.py"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `eiglint | head -0`: the reader is gone before the report
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and "internal error" not in err
    bad = run("-o", project / "no" / "such" / "dir.txt", "forum.py", cwd=project)
    assert bad.returncode == 2 and "cannot write" in bad.stderr
    assert_no_traceback(bad)

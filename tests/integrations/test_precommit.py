"""The pre-commit hook, run by the real `pre-commit` against a temporary git repository that
points at a snapshot of this checkout (its working tree, committed into a scratch repo, so the
hook under test is the code under test). The hook's environment is built once per session."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import FORUM, ROOT, forum_expected, forum_notebook, run

GIT = ["git", "-c", "user.name=eiglint-tests", "-c", "user.email=tests@eiglint.invalid",
       "-c", "commit.gpgsign=false"]


def sh(*args: str, cwd: Path, env: dict[str, str] | None = None
       ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=env,
                          check=False, timeout=900)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's working tree; returns (path, commit)."""
    snap = tmp_path_factory.mktemp("eiglint-snapshot")
    listed = sh("git", "ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():
            dst = snap / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        proc = sh(*GIT, *cmd, cwd=snap)
        assert proc.returncode == 0, proc.stderr
    rev = sh("git", "rev-parse", "HEAD", cwd=snap).stdout.strip()
    return snap, rev


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture()
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str]) -> Iterator[Path]:
    repo_path, rev = hook_repo
    proc = sh(*GIT, "init", "-q", cwd=tmp_path)
    assert proc.returncode == 0
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n-   repo: {repo_path}\n    rev: {rev}\n    hooks:\n    -   id: eiglint\n")
    yield tmp_path


def pre_commit(repo: Path, home: Path, *args: str, path: str | None = None
               ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    if path is not None:
        env["PATH"] = path
    env.pop("NO_COLOR", None)
    sh(*GIT, "add", "-A", cwd=repo)
    return sh(sys.executable, "-m", "pre_commit", "run", "--color", "never", *args,
              cwd=repo, env=env)


def test_fails_on_the_forum_example_with_eiglints_findings(user_repo: Path,
                                                           precommit_home: Path) -> None:
    shutil.copy(FORUM, user_repo / "bad.py")
    (user_repo / "clean.py").write_text("x = 1\n")
    proc = pre_commit(user_repo, precommit_home, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "eiglint" in proc.stdout and "Failed" in proc.stdout
    ours = run("bad.py", cwd=user_repo).stdout.splitlines()
    assert len(ours) == 2
    hook_lines = [ln for ln in proc.stdout.splitlines() if ": EIG" in ln]
    assert hook_lines == ours


def test_passes_on_a_clean_file(user_repo: Path, precommit_home: Path) -> None:
    shutil.copy(FORUM, user_repo / "bad.py")
    (user_repo / "clean.py").write_text("import torch\nw, V = torch.linalg.eigh(A)\n"
                                        "P = V @ V.mT\nprint(P)\n")
    proc = pre_commit(user_repo, precommit_home, "--files", "clean.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_no_matching_file_exits_0(user_repo: Path, precommit_home: Path) -> None:
    (user_repo / "notes.txt").write_text("nothing to lint\n")
    proc = pre_commit(user_repo, precommit_home, "--files", "notes.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Skipped" in proc.stdout


def test_hook_run_with_zero_files_lints_nothing(user_repo: Path, precommit_home: Path,
                                                hook_repo: tuple[Path, str]) -> None:
    """Even when pre-commit runs the hook with no file at all (always_run), it does not fall
    back to linting the whole folder."""
    repo_path, rev = hook_repo
    (user_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n-   repo: {repo_path}\n    rev: {rev}\n    hooks:\n    -   id: eiglint\n"
        "        always_run: true\n")
    shutil.copy(FORUM, user_repo / "bad.py")
    (user_repo / "notes.txt").write_text("x\n")
    proc = pre_commit(user_repo, precommit_home, "--files", "notes.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout and "EIG101" not in proc.stdout


def test_notebooks_and_exclusions(user_repo: Path, precommit_home: Path) -> None:
    _, where = forum_notebook(user_repo / "forum.ipynb")
    gen = user_repo / "generated"
    gen.mkdir()
    shutil.copy(FORUM, gen / "g.py")
    (user_repo / "pyproject.toml").write_text('[tool.eiglint]\nextend-exclude = ["generated"]\n')
    proc = pre_commit(user_repo, precommit_home, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hook_lines = [ln for ln in proc.stdout.splitlines() if ": EIG" in ln]
    # pre-commit names generated/g.py, but the hook passes --force-exclude
    assert [ln.split(": EIG")[0] for ln in hook_lines] == [
        f"forum.ipynb:cell {where[ln][0]}:{where[ln][1]}:{col}" for ln, col, _ in forum_expected()]
    assert hook_lines == run("forum.ipynb", cwd=user_repo).stdout.splitlines()


def test_a_commit_touching_only_a_test_file_sees_the_package(user_repo: Path,
                                                              precommit_home: Path) -> None:
    """pre-commit passes only the changed test file; the package at the repository's root is
    still followed (issue 16), so the hook reports what `eiglint .` reports."""
    from tests.integrations.test_project_root import make_repo, whole_tree

    make_repo(user_repo, ".git")
    expected = whole_tree(user_repo)
    proc = pre_commit(user_repo, precommit_home, "--files", "tests/test_x.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hook_lines = [ln for ln in proc.stdout.splitlines() if ": EIG" in ln]
    assert hook_lines == [f"{p}:{ln}:{c}: {code} {msg}" for p, ln, c, code, msg in expected]


def documented_configs() -> list[tuple[str, str]]:
    """(file, text) of every `.pre-commit-config.yaml` snippet of the README and the docs."""
    import re

    out = []
    for doc in (ROOT / "README.md", ROOT / "docs" / "integrations.md"):
        for block in re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.S):
            if block.startswith("repos:"):
                out.append((doc.name, block))
    return out


def test_the_docs_show_both_snippets() -> None:
    kinds = [("local" if "repo: local" in text else "clone", name)
             for name, text in documented_configs()]
    assert sorted(kinds) == [("clone", "README.md"), ("clone", "integrations.md"),
                             ("local", "README.md"), ("local", "integrations.md")]


@pytest.mark.parametrize("index", range(4))
def test_documented_snippet_works_as_written(index: int, tmp_path: Path, precommit_home: Path,
                                             hook_repo: tuple[Path, str]) -> None:
    """The snippet as the docs print it, with only its placeholders filled in (the clone's
    path and `git rev-parse HEAD` of it); the local hook finds eiglint on PATH, as in a
    project's virtual environment."""
    repo_path, _ = hook_repo
    _, text = documented_configs()[index]
    assert sh(*GIT, "init", "-q", cwd=tmp_path).returncode == 0
    head = sh("git", "-C", str(repo_path), "rev-parse", "HEAD", cwd=tmp_path).stdout.strip()
    config = text.replace("/path/to/eiglint", str(repo_path)).replace("<commit>", head)
    assert "<" not in config and "path/to" not in config
    (tmp_path / ".pre-commit-config.yaml").write_text(config)
    shutil.copy(FORUM, tmp_path / "bad.py")
    (tmp_path / "clean.py").write_text("x = 1\n")
    env_path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    proc = pre_commit(tmp_path, precommit_home, "--all-files", path=env_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "eiglint" in proc.stdout and "Failed" in proc.stdout
    hook_lines = [ln for ln in proc.stdout.splitlines() if ": EIG" in ln]
    assert hook_lines == run("bad.py", cwd=tmp_path).stdout.splitlines()
    assert len(hook_lines) == 2

"""Which files a run lints: .gitignore (inside a git work tree), exclude globs, explicit files,
virtualenvs, hidden folders, notebooks, and symlink loops that must not hang the walk."""
from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from eiglint.api import PathError, discover
from eiglint.discovery import GitIgnore
from eiglint.globs import path_matches
from eiglint.settings import Settings
from tests.cli.helpers import run


def touch(root: Path, *names: str) -> None:
    for name in names:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text('{"cells": []}' if name.endswith(".ipynb") else "x = 1\n")


def rel(files: list, root: Path) -> list:
    return [os.path.relpath(f, root).replace(os.sep, "/") for f in files]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path, "a.py", "build/gen.py", "src/keep.py", "src/gen_x.py", "src/sub/gen_y.py",
          "src/sub/important_gen.py", "logs/x.py", "nb.ipynb", "notes.txt", ".hidden/h.py",
          "venv_like/lib.py", "src/deep/tmp/t.py")
    (tmp_path / "venv_like" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("# comment\nbuild/\n/logs\ngen_*.py\n!important_*.py\n")
    (tmp_path / "src" / ".gitignore").write_text("tmp/\n")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("src/sub/gen_y.py\n")
    return tmp_path


def test_gitignore_respected_by_default(repo: Path) -> None:
    files = rel(discover([str(repo)]), repo)
    assert files == ["a.py", "nb.ipynb", "src/keep.py", "src/sub/important_gen.py"]


def test_negation_reincludes(repo: Path) -> None:
    (repo / ".gitignore").write_text("gen_*.py\n*_gen.py\n!important_*.py\n")
    (repo / ".git" / "info" / "exclude").write_text("")
    files = rel(discover([str(repo / "src")]), repo)
    assert "src/sub/important_gen.py" in files and "src/gen_x.py" not in files


def test_no_respect_gitignore(repo: Path) -> None:
    settings = replace(Settings(), respect_gitignore=False)
    files = rel(discover([str(repo)], settings=settings), repo)
    # build/ stays out: it is in the default exclude list, not only in .gitignore
    assert sorted(files) == ["a.py", "logs/x.py", "nb.ipynb", "src/deep/tmp/t.py",
                             "src/gen_x.py", "src/keep.py", "src/sub/gen_y.py",
                             "src/sub/important_gen.py"]


def test_gitignore_only_inside_a_work_tree(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "ignored.py")
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    assert rel(discover([str(tmp_path)]), tmp_path) == ["a.py", "ignored.py"]


def test_ignore_files_above_the_walked_folder(repo: Path) -> None:
    files = rel(discover([str(repo / "src" / "sub")]), repo)
    assert files == ["src/sub/important_gen.py"]


def test_explicit_files_are_always_linted(repo: Path) -> None:
    target = str(repo / "build" / "gen.py")
    assert discover([target]) == [os.path.normpath(target)]
    forced = replace(Settings(), force_exclude=True)
    assert discover([target], settings=forced) == []


def test_walk_order_and_duplicates(repo: Path) -> None:
    a = str(repo / "a.py")
    files = discover([a, str(repo), a])
    assert files[0] == os.path.normpath(a) and files.count(os.path.normpath(a)) == 1


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/m.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "pkg" / "self").symlink_to(tmp_path / "pkg", target_is_directory=True)
    proc = run(".", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0
    assert proc.stderr.strip() == "All checks passed (1 file)."


def test_missing_path_raises_path_error(tmp_path: Path) -> None:
    with pytest.raises(PathError) as info:
        discover([str(tmp_path / "nope")])
    assert info.value.args[0] == str(tmp_path / "nope")


def test_cli_respects_gitignore_and_flag(repo: Path) -> None:
    assert run(".", cwd=repo).stderr.strip() == "All checks passed (4 files)."
    assert run("--no-respect-gitignore", ".", cwd=repo).stderr.strip() == \
        "All checks passed (8 files)."
    # a file inside an ignored folder, named explicitly: linted, unless --force-exclude
    assert run("logs/x.py", cwd=repo).stderr.strip() == "All checks passed (1 file)."
    assert run("--force-exclude", "logs/x.py", cwd=repo).stderr.strip() == \
        "No Python files or notebooks found."


@pytest.mark.parametrize("pattern, path, expected", [
    ("build", "build/x.py", True),
    ("build", "src/build/x.py", True),
    ("build", "src/builder/x.py", False),
    ("*_pb2.py", "a/b/c_pb2.py", True),
    ("tests/fixtures", "tests/fixtures/a/b.py", True),
    ("tests/fixtures", "src/tests/fixtures/a.py", False),
    ("src/**/gen_*.py", "src/gen_a.py", True),
    ("src/**/gen_*.py", "src/a/b/gen_a.py", True),
    ("src/**/gen_*.py", "lib/src/gen_a.py", False),
    ("legacy/*.py", "legacy/a.py", True),
    ("legacy/*.py", "legacy/sub/a.py", False),
    ("legacy/**", "legacy/sub/a.py", True),
    ("./docs/", "docs/conf.py", True),
    ("[ab].py", "b.py", True),
    ("[!ab].py", "b.py", False),
    ("?.py", "ab.py", False),
])
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


def test_gitignore_matcher_directly(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.log\n/top.py\ndir_only/\nspaced\\ \n\\#lit.py\n")
    gi = GitIgnore()
    assert gi.ignored(str(tmp_path / "a" / "x.log"), False)
    assert gi.ignored(str(tmp_path / "top.py"), False)
    assert not gi.ignored(str(tmp_path / "a" / "top.py"), False)
    assert gi.ignored(str(tmp_path / "dir_only"), True)
    assert not gi.ignored(str(tmp_path / "dir_only"), False)
    assert gi.ignored(str(tmp_path / "spaced "), False)
    assert gi.ignored(str(tmp_path / "#lit.py"), False)


def test_walk_applies_every_exclude_pattern_like_path_matches(tmp_path: Path) -> None:
    """The walk tests the patterns without "/" as one combined regex on each name; it must
    exclude exactly what :func:`path_matches` says for each path, whatever the order of the
    patterns (each one matches a whole name, not a prefix)."""
    names = ["build/x.py", "src/build/y.py", "src/builder/zz.py", "build_tools/tool.py",
             "api_pb2.py", "pkg/api_pb2_grpc.py", "legacy/a.py", "legacy/sub/b.py",
             "a.py", "c.py", "pkg/ab.py", "docs/conf.py", "src/docs/keep.py"]
    touch(tmp_path, *names)
    patterns = ("build", "*_pb2.py", "legacy/*.py", "[!ab].py", "./docs/")
    for order in (patterns, tuple(reversed(patterns))):
        settings = replace(Settings(), exclude=order, project_root=str(tmp_path),
                           respect_gitignore=False)
        got = rel(discover([str(tmp_path)], settings=settings), tmp_path)
        want = [n for n in names if not any(path_matches(p, n) for p in order)]
        assert sorted(got) == sorted(want)
    # "./docs/" is the name pattern "docs"; "[!ab].py" is one character other than a or b
    assert sorted(want) == ["a.py", "build_tools/tool.py", "legacy/sub/b.py", "pkg/ab.py",
                            "pkg/api_pb2_grpc.py", "src/builder/zz.py"]

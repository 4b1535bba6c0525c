"""The project is found from the linted file upward (pyproject.toml, setup.cfg, setup.py,
.git), as ruff and mypy do: a test file linted alone (a folder of tests, one file, standard
input, the flake8 plugin, pre-commit) still follows the package at the project's root and gives
the findings of a whole-tree run (issue 16)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eiglint.project import Project, project_root
from tests.cli.helpers import env, parse_concise, run

SPECTRAL = "import torch\n\n\ndef embed(a):\n    w, v = torch.linalg.eigh(a)\n    return v\n"
TEST_X = ("import torch\n\nfrom mypkg.spectral import embed\n\n\ndef test_embed():\n"
          "    v = embed(torch.eye(3))\n    assert v.sum() > 0\n    assert v[0, 0] > 0\n")


def make_repo(root: Path, marker: str = "pyproject.toml") -> Path:
    """``mypkg/`` at the root of a project marked by ``marker``; ``tests/test_x.py`` (no
    ``__init__.py``) imports it and uses the eigenvectors two ways that depend on the sign."""
    (root / "mypkg").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "mypkg" / "__init__.py").write_text("")
    (root / "mypkg" / "spectral.py").write_text(SPECTRAL)
    (root / "tests" / "test_x.py").write_text(TEST_X)
    if marker == ".git":
        (root / ".git").mkdir(exist_ok=True)  # or a real repository already
    else:
        (root / marker).write_text("")
    return root


def whole_tree(repo: Path) -> list[tuple[str, int, int, str, str]]:
    out = parse_concise(run("--no-cache", ".", cwd=repo).stdout)
    assert [(f[0], f[1], f[3]) for f in out] == [("tests/test_x.py", 8, "EIG205"),
                                                 ("tests/test_x.py", 9, "EIG203")]
    return out


@pytest.mark.parametrize("marker", ["pyproject.toml", "setup.cfg", "setup.py", ".git"])
def test_root_found_upward_from_the_file(tmp_path: Path, marker: str) -> None:
    repo = make_repo(tmp_path / "repo", marker)
    assert project_root(str(repo / "tests" / "test_x.py")) == str(repo)
    project = Project([str(repo / "tests" / "test_x.py")])
    assert project.find("mypkg.spectral") == str(repo / "mypkg" / "spectral.py")


def test_src_layout_is_followed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "src" / "mypkg").mkdir(parents=True)
    (repo / "src" / "mypkg" / "__init__.py").write_text("")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_x.py").write_text(TEST_X)
    (repo / "setup.cfg").write_text("")
    project = Project([str(repo / "tests" / "test_x.py")])
    assert project.find("mypkg") == str(repo / "src" / "mypkg" / "__init__.py")


def test_cli_folder_file_and_stdin_see_the_package(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    expected = whole_tree(repo)
    assert parse_concise(run("--no-cache", "tests/", cwd=repo).stdout) == expected
    assert parse_concise(run("--no-cache", "tests/test_x.py", cwd=repo).stdout) == expected
    assert parse_concise(run("--no-cache", "--stdin-filename", "tests/test_x.py", "-", cwd=repo,
                             stdin=TEST_X.encode()).stdout) == expected
    # from inside tests/ too (the source of the vectors is then named by its full path)
    inside = parse_concise(run("--no-cache", "test_x.py", cwd=repo / "tests").stdout)
    assert [f[1:4] for f in inside] == [f[1:4] for f in expected]
    assert str(repo / "mypkg" / "spectral.py") in inside[0][4]


def test_flake8_plugin_sees_the_package(tmp_path: Path) -> None:
    pytest.importorskip("flake8")
    repo = make_repo(tmp_path / "repo")
    expected = whole_tree(repo)
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=EIG",
                           "tests/"], cwd=repo, capture_output=True, text=True, env=env(),
                          check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == run("--no-cache", "tests/", cwd=repo).stdout
    assert len(parse_concise(proc.stdout)) == len(expected)

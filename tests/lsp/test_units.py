"""The language server's pure parts, in process: noqa edits, position units, hover texts and
the workspace index (none of these needs pygls)."""
from __future__ import annotations

from pathlib import Path

import pytest

from eiglint import suppress
from eiglint.api import lint_source
from eiglint.hover import describe_at
from eiglint.lsp import workspace as W
from eiglint.lsp.edits import Insertion, from_client_units, noqa_insertion, to_client_units
from eiglint.types import Finding

from .client import ROOT

FORUM = ROOT / "examples" / "forum_example.py"


def _insert(text: str, ins: Insertion) -> str:
    lines = text.splitlines(keepends=True)
    line = lines[ins.line]
    lines[ins.line] = line[: ins.col] + ins.text + line[ins.col:]
    return "".join(lines)


# --------------------------------------------------------------------------- noqa edits


@pytest.mark.parametrize("source, line, expected", [
    ("x = (v * v).real\n", 1, "x = (v * v).real  # noqa: EIG101\n"),
    ("x = (v * v).real   \n", 1, "x = (v * v).real  # noqa: EIG101   \n"),
    ("x = (v * v).real  # the loss\n", 1, "x = (v * v).real  # the loss  # noqa: EIG101\n"),
    ("x = (v * v).real  # noqa: EIG205\n", 1, "x = (v * v).real  # noqa: EIG205, EIG101\n"),
    ("x = (v * v).real  # NOQA:E501 -- long\n", 1,
     "x = (v * v).real  # NOQA:E501, EIG101 -- long\n"),
    # a backslash continuation: the comment goes on the statement's last line
    ("x = (v * v).real + \\\n    1\n", 1, "x = (v * v).real + \\\n    1  # noqa: EIG101\n"),
    # a line ending inside a triple-quoted string: likewise
    ("f((v * v).real, '''a\nb''')\n", 1, "f((v * v).real, '''a\nb''')  # noqa: EIG101\n"),
    # inside brackets a comment on the line itself is fine
    ("y = f(\n    (v * v).real,\n)\n", 2, "y = f(\n    (v * v).real,  # noqa: EIG101\n)\n"),
])
def test_noqa_insertion(source: str, line: int, expected: str) -> None:
    ins = noqa_insertion(source, line, "EIG101")
    assert ins is not None
    assert _insert(source, ins) == expected
    finding = Finding(path="x.py", line=line, col=1, code="EIG101", message="m")
    assert suppress.split([finding], source) == ([finding], [])
    assert suppress.split([finding], expected) == ([], [finding])


@pytest.mark.parametrize("source", [
    "x = (v * v).real  # noqa\n",
    "x = (v * v).real  # noqa: EIG1\n",
    "x = (v * v).real  # eiglint: ignore[EIG101]\n",
])
def test_noqa_insertion_on_a_silenced_line_is_none(source: str) -> None:
    assert noqa_insertion(source, 1, "EIG101") is None
    assert noqa_insertion(source, 5, "EIG101") is None  # beyond the text


def test_the_noqa_quick_fix_silences_the_forum_findings() -> None:
    text = FORUM.read_text()
    findings = lint_source(text, str(FORUM))
    assert [f.line for f in findings] == [44, 45]
    for f in reversed(findings):
        ins = noqa_insertion(text, f.line, f.code)
        assert ins is not None
        text = _insert(text, ins)
    assert lint_source(text, str(FORUM)) == []


# --------------------------------------------------------------------------- position units


@pytest.mark.parametrize("encoding, units", [("utf-16", 5), ("utf-8", 8), ("utf-32", 4)])
def test_position_units(encoding: str, units: int) -> None:
    line = "a\U0001d4b3é = (v * v).real"  # a, a non-BMP letter, é, space
    assert to_client_units(line, 4, encoding) == units
    assert from_client_units(line, units, encoding) == 4
    assert to_client_units(line, 0, encoding) == 0
    assert from_client_units(line, to_client_units(line, len(line), encoding),
                             encoding) == len(line)


# --------------------------------------------------------------------------- hover


def _col(text: str, line: int, word: str) -> int:
    return text.splitlines()[line - 1].index(word) + 1


def test_describe_at_the_forum_example() -> None:
    text = FORUM.read_text()
    path = str(FORUM)
    assert describe_at(text, path, 22, _col(text, 22, "vecA")) == (
        "`vecA`: eigenvectors of `tA` from `torch.linalg.eig` (line 22): phase on its columns")
    assert describe_at(text, path, 22, _col(text, 22, "valA")) == "`valA`: invariant"
    # uses as well as bindings; vecB comes from the rotated matrix's decomposition
    assert "of `tBr` from `torch.linalg.eig` (line 26)" in (
        describe_at(text, path, 45, _col(text, 45, "vecB")) or "")
    bad = describe_at(text, path, 44, 2) or ""
    assert bad.startswith("`lossBadA`: phase-dependent: the real part")
    assert describe_at(text, path, 13, 8) is None  # `torch`, a module
    assert describe_at(text, path, 1, 3) is None  # the docstring
    assert describe_at("x = (", path, 1, 1) is None  # does not parse


def test_describe_at_sign_conjugates_selections_and_calls() -> None:
    text = (
        "import torch\n"
        "def top(a):\n"
        "    return torch.linalg.eigh(a)[1][:, -2:]\n"
        "w, u = torch.linalg.eigh(torch.randn(4, 4, dtype=torch.float64) @ m + m.T @ m)\n"
        "uc = torch.linalg.eig(m)[1].conj()\n"
        "t = top(m)\n"
        "col = u[:, 0]\n"
        "pair = torch.linalg.svd(m)\n"
    )
    path = "<mem>"
    assert describe_at(text, path, 4, 4) == (  # long arguments are shortened
        "`u`: eigenvectors of `torch.randn(4, 4, dtype=torch.float64...` from "
        "`torch.linalg.eigh` (line 4): sign on its columns")
    assert describe_at(text, path, 5, 1) == (
        "`uc`: eigenvectors of `m` from `torch.linalg.eig` (line 5): conjugate phase on its "
        "columns")
    t = describe_at(text, path, 6, 1) or ""
    assert "from `torch.linalg.eigh` (line 3)" in t and "its columns (reordered or selected)" in t
    assert describe_at(text, path, 7, 1) == (
        "`col`: eigenvectors of `torch.randn(4, 4, dtype=torch.float64...` from "
        "`torch.linalg.eigh` (line 4): sign of the one column it was taken from")
    assert describe_at(text, path, 8, 1) == (
        "`pair`: namedtuple of 3: U: singular vectors of `m` from `torch.linalg.svd` (line 8): "
        "sign on its columns; S: invariant; Vh: singular vectors of `m` from `torch.linalg.svd` "
        "(line 8): sign on its rows")


def test_describe_at_lists_the_values_of_a_helper_called_in_different_ways() -> None:
    text = (
        "import torch\n"
        "def f(x):\n"
        "    y = x * 2\n"
        "    return y\n"
        "a = f(torch.linalg.eig(m)[1])\n"
        "b = f(torch.ones(3))\n"
    )
    got = describe_at(text, "<mem>", 3, 5) or ""
    assert got.startswith("`y` (several values, by call or iteration):")
    assert "- invariant" in got.splitlines()
    assert any("phase on its columns" in line for line in got.splitlines())


# --------------------------------------------------------------------------- workspace


def _tree(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text(
        "import torch\n\ndef vecs(a):\n    return torch.linalg.eig(a)[1]\n")
    (tmp_path / "pkg" / "mid.py").write_text("from .core import vecs\n\nV = vecs(M)\n")
    (tmp_path / "app.py").write_text("from pkg.mid import V\n\nloss = (V * V).real\n")
    (tmp_path / "other.py").write_text("import numpy as np\n")


def test_workspace_dependents_are_transitive_and_follow_buffers(tmp_path: Path) -> None:
    _tree(tmp_path)
    index = W.WorkspaceIndex()
    index.add_entries(W.scan_folders([str(tmp_path)]))
    assert {Path(p).name for p in index.files} == {
        "__init__.py", "core.py", "mid.py", "app.py", "other.py"}
    core = str(tmp_path / "pkg" / "core.py")
    mid = str(tmp_path / "pkg" / "mid.py")
    app = str(tmp_path / "app.py")
    assert index.dependents(core) == [W.norm(mid), W.norm(app)]
    assert index.dependents(app) == []

    settings, error = index.settings_for(app)
    assert error is None
    app_text = Path(app).read_text()
    assert [f.code for f in W.lint(index.snapshot(), W.norm(app), app_text, settings)] == [
        "EIG101"]
    # the same text as on disk is no change; an edit in the buffer is, and app sees it
    assert index.open(core, Path(core).read_text()) is False
    assert index.open(core, "import torch\n\ndef vecs(a):\n    return torch.linalg.eigvals(a)\n")
    assert W.lint(index.snapshot(), W.norm(app), app_text, settings) == []
    assert Path(core).read_text().endswith("eig(a)[1]\n")
    # an edit that drops the import: mid no longer depends on core
    index.open(mid, "V = 1\n")
    assert index.dependents(core) == []
    index.close(mid)
    index.close(core)
    assert index.dependents(core) == [W.norm(mid), W.norm(app)]
    assert [f.code for f in W.lint(index.snapshot(), W.norm(app), app_text, settings)] == [
        "EIG101"]


def test_workspace_settings_and_exclusions(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.eiglint]\nexclude = ["app.py"]\n')
    index = W.WorkspaceIndex()
    index.add_entries(W.scan_folders([str(tmp_path)]))
    app = W.norm(str(tmp_path / "app.py"))
    assert app not in index.files  # not indexed
    settings, error = index.settings_for(app)
    assert error is None
    assert W.lint(index.snapshot(), app, Path(app).read_text(), settings) == []

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pyproject.toml").write_text('[tool.eiglint]\nselect = 3\n')
    settings, error = index.settings_for(str(bad / "x.py"))
    assert error is not None and "configuration" in error

"""Values that cross modules, classes and containers (the fixture package states its
expectations inline)."""
from __future__ import annotations

from pathlib import Path

from eiglint.api import lint_file, lint_paths
from tests.conftest import FIXTURES, expected_findings

PKG = FIXTURES / "project" / "pkg"


def _expected() -> set:
    out = set()
    for p in sorted(PKG.glob("*.py")):
        out |= {(p.name, line, code) for line, code in expected_findings(p.read_text())}
    return out


def test_package_findings_match_annotations() -> None:
    got = {(Path(f.path).name, f.line, f.code) for f in lint_paths([str(PKG)]).findings}
    expected = _expected()
    assert got == expected, f"missing={sorted(expected - got)} unexpected={sorted(got - expected)}"


def test_single_file_sees_its_package() -> None:
    """pre-commit may hand over one file: the modules it imports are read from disk."""
    got = {(f.line, f.code) for f in lint_file(str(PKG / "train.py"))}
    assert got == expected_findings((PKG / "train.py").read_text())


def test_helper_break_is_reported_at_the_call_naming_the_helper() -> None:
    findings = [f for f in lint_file(str(PKG / "train.py")) if f.code == "EIG205"]
    assert len(findings) == 1
    assert "u.total(pe)" in findings[0].message
    assert "v.sum(-1)" in findings[0].message and "util.py" in findings[0].message


def _installed_layout(tmp_path: Path) -> Path:
    """site-packages-like: the linted package next to an unrelated distribution whose helper
    would break the gauge."""
    site = tmp_path / "site"
    (site / "mine").mkdir(parents=True)
    (site / "other").mkdir()
    (site / "mine" / "__init__.py").write_text("")
    (site / "mine" / "model.py").write_text(
        "import torch\n"
        "from other import total\n\n"
        "def pe(A):\n"
        "    _, V = torch.linalg.eigh(A)\n"
        "    return total(V)\n")
    (site / "other" / "__init__.py").write_text(
        "def total(v):\n"
        "    return v.sum(-1)\n")
    return site


def test_neighbouring_distributions_are_not_part_of_the_project(tmp_path: Path) -> None:
    """Linting one package of a site-packages directory must not analyse its neighbours (they
    are other projects, and following them cost minutes on the torch tree): a value passed to
    them is an escape into unknown code."""
    site = _installed_layout(tmp_path)
    got = {(f.line, f.code) for f in lint_paths([str(site / "mine")]).findings}
    assert got == {(6, "EIG207")}


def test_neighbouring_package_is_followed_when_it_is_linted_too(tmp_path: Path) -> None:
    site = _installed_layout(tmp_path)
    got = {(Path(f.path).name, f.line, f.code) for f in lint_paths([str(site)]).findings}
    assert got == {("model.py", 6, "EIG205")}

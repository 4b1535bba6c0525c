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

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


def test_module_names_of_nested_packages_and_plain_folders(tmp_path: Path) -> None:
    """The dotted name comes from the chain of ``__init__.py`` folders; a run remembers the
    answer per folder, and the remembered answer is the same as the fresh one."""
    from eiglint.project import Project, package_root

    inner = tmp_path / "top" / "sub" / "inner"
    inner.mkdir(parents=True)
    for d in (tmp_path / "top", tmp_path / "top" / "sub", inner):
        (d / "__init__.py").write_text("")
    (inner / "mod.py").write_text("")
    loose = tmp_path / "scripts"
    loose.mkdir()
    (loose / "run.py").write_text("")
    project = Project()
    cases = {
        inner / "mod.py": (str(tmp_path), "top.sub.inner.mod"),
        inner / "__init__.py": (str(tmp_path), "top.sub.inner"),
        tmp_path / "top" / "__init__.py": (str(tmp_path), "top"),
        loose / "run.py": (str(loose), "run"),
        loose / "__init__.py": (str(loose), "__main__"),  # not a package: no such file
    }
    for _ in range(2):  # the second round answers from what the first remembered
        for path, want in cases.items():
            assert package_root(str(path)) == want
            assert project.module_of(str(path)) == want
    (loose / "__init__.py").write_text("")  # a new run sees the new package
    assert Project().module_of(str(loose / "run.py")) == (str(tmp_path), "scripts.run")

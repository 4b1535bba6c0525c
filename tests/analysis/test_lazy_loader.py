"""Names a package hands out through a lazy loader (`lazy_loader.attach` / `attach_stub`, as
in MNE, scikit-image, NetworkX) are the project's own functions: they are analysed, not
treated as unknown code (the fixture package states its expectations inline)."""
from __future__ import annotations

from pathlib import Path

from eiglint.api import lint_file, lint_paths
from eiglint.imports import lazy_exports
from tests.conftest import FIXTURES, expected_findings

PKG = FIXTURES / "project" / "lazypkg"


def test_lazy_package_findings_match_annotations() -> None:
    got = {(Path(f.path).name, f.line, f.code) for f in lint_paths([str(PKG)]).findings}
    expected = {("use.py", line, code)
                for line, code in expected_findings((PKG / "use.py").read_text())}
    assert got == expected, f"missing={sorted(expected - got)} unexpected={sorted(got - expected)}"
    # `sum_squared(u)` pairs each entry with itself: analysed, not an escape into unknown code
    assert not any(f.code == "EIG207" for f in lint_paths([str(PKG)]).findings)


def test_single_file_follows_the_lazy_loaders() -> None:
    got = {(f.line, f.code) for f in lint_file(str(PKG / "use.py"))}
    assert got == expected_findings((PKG / "use.py").read_text())


def test_helper_reached_through_the_stub_is_named_in_the_message() -> None:
    found = [f for f in lint_file(str(PKG / "use.py")) if f.line == 17]
    assert len(found) == 1 and "numerics.py" in found[0].message and "_svd.py" in found[0].message


def test_attach_stub_reads_the_relative_imports_of_the_stub() -> None:
    init = ("import lazy_loader as lazy\n"
            "__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)\n")
    stub = ("from . import sub, other as renamed\n"
            "from .numerics import total, norm as vnorm\n"
            "from .deep.inner import helper\n"
            "from ..outside import ignored\n"
            "import numpy as np\n")
    assert lazy_exports(init, "pkg", lambda: stub) == {
        "sub": "pkg.sub", "renamed": "pkg.other", "total": "pkg.numerics.total",
        "vnorm": "pkg.numerics.norm", "helper": "pkg.deep.inner.helper"}
    assert lazy_exports(init, "pkg", lambda: None) == {}  # no stub next to the module


def test_attach_with_literal_arguments_by_keyword_and_by_position() -> None:
    by_kw = ("import lazy_loader\n"
             "__getattr__, __dir__, __all__ = lazy_loader.attach(\n"
             "    __name__, submodules={'io'}, submod_attrs={'_svd': ['safe_svd']})\n")
    assert lazy_exports(by_kw, "a.b", lambda: None) == {
        "io": "a.b.io", "safe_svd": "a.b._svd.safe_svd"}
    by_pos = ("from lazy_loader import attach\n"
              "__getattr__, __dir__, __all__ = attach(__name__, ['io'], {'m': ('f', 'g')})\n")
    assert lazy_exports(by_pos, "p", lambda: None) == {
        "io": "p.io", "f": "p.m.f", "g": "p.m.g"}


def test_no_lazy_loader_or_arguments_that_are_not_literal() -> None:
    assert lazy_exports("from .x import f\n", "p", lambda: "from .y import g\n") == {}
    computed = ("import lazy_loader as lazy\n"
                "SUBS = ['io']\n"
                "__getattr__, __dir__, __all__ = lazy.attach(__name__, SUBS)\n")
    assert lazy_exports(computed, "p", lambda: None) == {}
    assert lazy_exports("attach(\n", "p", lambda: None) == {}  # a syntax error
    # a function named attach that is not called at module level hands nothing out
    assert lazy_exports("def f():\n    return attach(__name__, ['io'])\n", "p",
                        lambda: None) == {}

"""Finding messages name the gauge that the code really has."""
from __future__ import annotations

from eiglint.api import lint_source

_NP_EIG = """import numpy as np
A = np.random.default_rng(0).standard_normal((4, 4))
w, V = np.linalg.eig(A)
m = V[0] > 0
s = V.sum(1)
"""


def test_numpy_eig_of_a_real_matrix_is_worded_as_sign_or_phase() -> None:
    # real vectors for a real spectrum, complex ones otherwise: the sign rules report both
    findings = lint_source(_NP_EIG, "x.py")
    assert [f.code for f in findings] == ["EIG203", "EIG205"]
    for f in findings:
        assert "sign or phase" in f.message or "sign (or phase)" in f.message, f.message
        assert "use `eigh`" in f.message


def test_eigh_of_a_real_matrix_is_worded_as_sign() -> None:
    findings = lint_source(_NP_EIG.replace("linalg.eig(", "linalg.eigh("), "x.py")
    assert [f.code for f in findings] == ["EIG203", "EIG205"]
    for f in findings:
        assert "phase" not in f.message, f.message


def test_every_category_has_its_rules_and_wording() -> None:
    """The categories the domain can produce are exactly those the rule families word and
    report (a category added to ``domain.Category`` without a rule family fails here)."""
    from typing import get_args

    from eiglint.domain import Category
    from eiglint.rules import CATEGORY, WORDING

    assert set(get_args(Category)) == set(CATEGORY) == set(WORDING)
    for wording in WORDING.values():
        assert wording.template.startswith("`{expr}`") and wording.phase_hint
        assert wording.hint("sign", True) == (wording.spectrum_hint or wording.sign_hint)

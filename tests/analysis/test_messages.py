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

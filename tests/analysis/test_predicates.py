"""Checks that only raise (or return a flag) are not escapes: a gauge changes no entry's
finiteness. (scikit-learn is not a test dependency, so this is linted, not run.)"""
from __future__ import annotations

from pathlib import Path

from eiglint.api import lint_paths

SOURCE = '''\
import numpy as np
from scipy.sparse.linalg import eigsh
from sklearn.utils import assert_all_finite
from sklearn.utils.validation import assert_all_finite as check_finite


def spectral_rows(A, k):
    _, u = eigsh(A, k=k)
    assert_all_finite(u)
    check_finite(u, allow_nan=False)
    return np.maximum(u, 0)
'''


def test_finiteness_checks_are_not_escapes(tmp_path: Path) -> None:
    path = tmp_path / "rows.py"
    path.write_text(SOURCE)
    got = [(f.line, f.code) for f in lint_paths([str(path)]).findings]
    assert got == [(11, "EIG203")]


def test_an_unknown_check_is_still_an_escape(tmp_path: Path) -> None:
    path = tmp_path / "rows.py"
    path.write_text(SOURCE.replace("from sklearn.utils import assert_all_finite",
                                   "from somewhere import assert_all_finite"))
    got = sorted((f.line, f.code) for f in lint_paths([str(path)]).findings)
    assert got == [(9, "EIG207"), (11, "EIG203")]

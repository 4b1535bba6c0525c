"""scikit-learn's helpers as its own modules spell them: checks that only raise are not
escapes (a gauge changes no entry's finiteness), `safe_sparse_dot` is a product, and k-means
imported from its private module clusters by distances like the public one. (scikit-learn is
not a test dependency, so these are linted, not run.)"""
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


CLUSTERS = '''\
import numpy as np
from scipy.sparse.linalg import svds
from sklearn.cluster._kmeans import KMeans, MiniBatchKMeans
from sklearn.utils.extmath import safe_sparse_dot


def k_means(data, n, mini):
    if mini:
        model = MiniBatchKMeans(n)
    else:
        model = KMeans(n)
    model.fit(data)
    return model.labels_


def cocluster(X, n):
    u, _, vt = svds(X, k=3)
    projected = safe_sparse_dot(X, vt.T)
    labels = k_means(projected, n, True)
    bad = np.maximum(safe_sparse_dot(X, vt.T), 0)
    unpaired = safe_sparse_dot(np.ones((2, 3)), vt, dense_output=True)
    return labels, bad, unpaired
'''


def test_products_and_clustering_of_scikit_learns_own_modules(tmp_path: Path) -> None:
    path = tmp_path / "cocluster.py"
    path.write_text(CLUSTERS)
    got = sorted((f.line, f.code) for f in lint_paths([str(path)]).findings)
    # the projection keeps the coordinates' signs (k-means is invariant to them), a sign-
    # dependent function of it is not, and contracting the eigen-index with data mixes
    assert got == [(20, "EIG203"), (21, "EIG205")]

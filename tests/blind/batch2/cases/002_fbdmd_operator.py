# modelled on: PyDMD/PyDMD pydmd/fbdmd.py
import numpy as np
from scipy.linalg import sqrtm


class FbDMD:
    def __init__(self, svd_rank=3):
        self.svd_rank = svd_rank

    def _compute_svd(self, M):
        U, s, Vh = np.linalg.svd(M, full_matrices=False)
        r = self.svd_rank
        return U[:, :r], s[:r], Vh[:r].conj().T

    def fit(self, X):
        Y = X[:, 1:]
        X = X[:, :-1]
        U, s, V = self._compute_svd(Y)
        bAtilde = U.T.conj() @ X @ V @ np.diag(1.0 / s)
        U, s, V = self._compute_svd(X)
        fAtilde = U.T.conj() @ Y @ V @ np.diag(1.0 / s)
        self.Atilde = sqrtm(fAtilde @ np.linalg.inv(bAtilde))
        self.eigs = np.linalg.eigvals(self.Atilde)
        return self


def run():
    rng = np.random.default_rng(11)
    A = np.array([[0.9, 0.2, 0.0], [-0.2, 0.9, 0.1], [0.0, 0.0, 0.7]])
    lift = rng.standard_normal((7, 3))
    z = rng.standard_normal(3)
    snaps = []
    for _ in range(10):
        snaps.append(lift @ z + 1e-3 * rng.standard_normal(7))
        z = A @ z
    X = np.array(snaps).T
    model = FbDMD(svd_rank=3).fit(X)
    eigs = np.sort_complex(model.eigs)
    return {"eigs": eigs, "spectral_radius": np.abs(eigs).max()}

# modelled on: DiffusionMapsAcademics/pyDiffMap src/pydiffmap/diffusion_map.py
import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spsl


class DiffusionMap:
    def __init__(self, n_evecs=2, epsilon=0.5, alpha=0.5):
        self.n_evecs = n_evecs
        self.epsilon = epsilon
        self.alpha = alpha

    def _compute_kernel(self, X):
        d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
        return sps.csr_matrix(np.exp(-d2 / (4 * self.epsilon)))

    def _make_right_norm_vec(self, kernel_matrix):
        q = np.asarray(kernel_matrix.sum(axis=1)).ravel()
        return q ** (-self.alpha)

    def _build_generator(self, kernel_matrix, right_norm_vec):
        m = kernel_matrix.shape[0]
        Kr = kernel_matrix @ sps.diags(right_norm_vec)
        row = np.asarray(Kr.sum(axis=1)).ravel()
        P = sps.diags(1.0 / row) @ Kr
        return (P - sps.eye(m)) / self.epsilon

    def fit(self, X):
        K = self._compute_kernel(X)
        L = self._build_generator(K, self._make_right_norm_vec(K))
        v0 = np.ones(X.shape[0])
        evals, evecs = spsl.eigs(L, k=self.n_evecs + 1, which="LR", v0=v0)
        ix = evals.real.argsort()[::-1][1:]
        self.evals = np.real(evals[ix])
        self.evecs = np.real(evecs[:, ix])
        self.dmap = np.dot(self.evecs, np.diag(self.evals))
        return self


def run():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 3 * np.pi / 2, 12))
    X = np.column_stack([np.cos(t), np.sin(t)]) + 0.02 * rng.standard_normal((12, 2))
    dm = DiffusionMap(n_evecs=2, epsilon=0.3).fit(X)
    return {"dmap": dm.dmap, "evals": dm.evals}

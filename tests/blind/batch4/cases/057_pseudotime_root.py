# modelled on: DiffusionMapsAcademics/pyDiffMap src/pydiffmap/diffusion_map.py
import numpy as np


class DiffusionMap:
    def __init__(self, n_evecs=2, epsilon=0.5, alpha=0.5, t=1):
        self.n_evecs = n_evecs
        self.epsilon = epsilon
        self.alpha = alpha
        self.t = t

    def _make_kernel(self, X):
        d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
        return np.exp(-d2 / (4 * self.epsilon))

    def fit(self, X):
        K = self._make_kernel(X)
        q = K.sum(1)
        K_alpha = K / np.outer(q ** self.alpha, q ** self.alpha)
        d = K_alpha.sum(1)
        S = K_alpha / np.sqrt(np.outer(d, d))
        evals, evecs = np.linalg.eigh(S)
        ix = np.argsort(evals)[::-1][1:self.n_evecs + 1]
        self.evals = evals[ix]
        self.evecs = evecs[:, ix] / np.sqrt(d)[:, None]
        self.dmap = self.evecs * self.evals ** self.t
        return self


def pseudotime(dmap):
    root = int(np.argmax(dmap[:, 0]))
    dist = np.linalg.norm(dmap - dmap[root], axis=1)
    return root, dist / dist.max()


def run():
    rng = np.random.default_rng(0)
    s = np.sort(rng.uniform(0, 1, 12))
    X = np.column_stack([s, np.sin(3 * s), 0.05 * rng.normal(size=12)])
    dm = DiffusionMap(n_evecs=2, epsilon=0.1).fit(X)
    root, pt = pseudotime(dm.dmap)
    return {"root": root, "pseudotime": pt, "eigenvalues": dm.evals}

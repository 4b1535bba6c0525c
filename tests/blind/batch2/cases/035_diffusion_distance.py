# modelled on: DiffusionMapsAcademics/pyDiffMap src/pydiffmap/diffusion_map.py
import numpy as np
from scipy.sparse.linalg import lobpcg


class DiffusionMap:
    def __init__(self, n_evecs=3, epsilon=0.8, t=2):
        self.n_evecs = n_evecs
        self.epsilon = epsilon
        self.t = t

    def fit(self, X):
        d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
        K = np.exp(-d2 / (4 * self.epsilon))
        q = K.sum(1)
        S = K / np.sqrt(np.outer(q, q))
        X0 = np.eye(len(X))[:, : self.n_evecs + 1] + 0.1
        evals, evecs = lobpcg(S, X0, largest=True, tol=1e-12, maxiter=500)
        order = np.argsort(evals)[::-1]
        self.evals = evals[order]
        self.dmap = (evecs[:, order] / np.sqrt(q)[:, None] * np.sqrt(q.sum())) * self.evals ** self.t
        return self

    def distances(self):
        Y = self.dmap[:, 1:]
        diff = Y[:, None, :] - Y[None, :, :]
        return np.sqrt((diff ** 2).sum(-1))


def run():
    rng = np.random.default_rng(9)
    X = np.concatenate([rng.normal(0, 0.3, (5, 2)), rng.normal(2, 0.3, (5, 2))])
    dm = DiffusionMap().fit(X)
    D = dm.distances()
    nearest = np.argsort(D + 1e9 * np.eye(len(X)), axis=1)[:, 0]
    return {"dist": D, "nearest": nearest, "evals": dm.evals}

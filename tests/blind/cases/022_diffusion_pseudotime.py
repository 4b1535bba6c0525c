# modelled on: wesbarnett/diffusion-map README.md
import numpy as np
from scipy.sparse.linalg import eigsh


def diffusion_map(X, eps=1.0, n_evecs=3, t=1):
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    K = np.exp(-d2 / eps)
    q = K.sum(1)
    Ks = K / np.sqrt(np.outer(q, q))  # symmetric conjugate of the Markov matrix
    vals, vecs = eigsh(Ks, k=n_evecs, which="LA", v0=np.ones(len(X)))
    idx = vals.argsort()[::-1]
    vals, vecs = vals[idx], vecs[:, idx]
    psi = vecs / vecs[:, [0]]  # right eigenvectors of the Markov matrix
    return psi[:, 1:] * vals[1:] ** t, vals


def pseudotime(coords):
    dc1 = coords[:, 0]
    return np.argsort(dc1), (dc1 - dc1.min()) / (dc1.max() - dc1.min())


def run():
    rng = np.random.default_rng(0)
    s = np.sort(rng.uniform(0, 3, 11))
    X = np.column_stack([np.cos(s), np.sin(s), 0.1 * s]) + 0.02 * rng.standard_normal((11, 3))
    coords, vals = diffusion_map(X)
    order, ptime = pseudotime(coords)
    return {"order": order, "ptime": ptime, "vals": vals}

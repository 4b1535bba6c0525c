# modelled on: wildart/ManifoldLearning.jl src/diffmaps.jl
import numpy as np
from numpy import linalg as LA


def diffusion_map(X, n_components=2, eps=1.0, t=1):
    d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
    K = np.exp(-d2 / eps)
    p = K.sum(1)
    Ms = K / np.sqrt(np.outer(p, p))
    w, v = LA.eigh(Ms)
    idx = w.argsort()[::-1]
    w, v = w[idx], v[:, idx]
    psi = v / np.sqrt(p)[:, None]
    psi = psi / psi[:, [0]]
    return w[1:n_components + 1] ** t * psi[:, 1:n_components + 1], w


def run():
    rng = np.random.default_rng(5)
    s = np.sort(rng.uniform(0, 3, 10))
    X = np.column_stack([np.cos(s), np.sin(s), 0.1 * s])
    Y, w = diffusion_map(X)
    return {"coords": Y, "spectrum": w}

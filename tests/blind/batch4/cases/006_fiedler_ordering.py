# modelled on: networkx/networkx networkx/linalg/algebraicconnectivity.py
import numpy as np
from scipy.linalg import eigh


def _laplacian(w):
    return np.diag(w.sum(1)) - w


def _fiedler(w):
    vals, vecs = eigh(_laplacian(w), subset_by_index=[0, 1])
    v = vecs[:, 1].copy()
    v *= np.sign(v[np.argmax(np.abs(v))])
    return vals[1], v


def spectral_ordering(w):
    _, v = _fiedler(w)
    order = sorted(range(len(v)), key=lambda i: (v[i], i))
    return np.array(order), v


def run():
    rng = np.random.default_rng(0)
    n = 10
    pos = np.sort(rng.uniform(0, 10, n))
    w = np.exp(-np.abs(pos[:, None] - pos[None, :]))
    np.fill_diagonal(w, 0.0)
    perm = rng.permutation(n)
    w = w[np.ix_(perm, perm)]
    connectivity, v = _fiedler(w)
    order, _ = spectral_ordering(w)
    return {"order": order, "fiedler": v, "connectivity": connectivity, "positive": v > 0}

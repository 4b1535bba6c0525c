# modelled on: gpeyre/matlab-toolboxes toolbox_signal/perform_classical_mds.m (eigs + column sign handling)
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def shuffled_path_laplacian(perm, weights):
    n = len(perm)
    rows, cols, vals = [], [], []
    for i in range(n - 1):
        a, b = perm[i], perm[i + 1]
        rows += [a, b]
        cols += [b, a]
        vals += [weights[i], weights[i]]
    W = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    return (sp.diags(np.asarray(W.sum(1)).ravel()) - W).tocsc()


def spectral_order(L):
    n = L.shape[0]
    vals, vecs = eigsh(L, k=2, sigma=-1e-3, which="LM", v0=np.ones(n))
    order = np.argsort(vals)
    f = vecs[:, order[1]]
    # make the largest-magnitude entry positive so the ordering is reproducible
    f = f * np.sign(f[np.argmax(np.abs(f))])
    return np.argsort(f), vals[order[1]]


def run():
    rng = np.random.default_rng(0)
    perm = rng.permutation(10)
    weights = rng.uniform(0.5, 2.0, size=9)
    order, lam = spectral_order(shuffled_path_laplacian(perm, weights))
    return {"order": order, "lambda2": lam}

# modelled on: networkx/networkx networkx/linalg/algebraicconnectivity.py
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def laplacian_matrix(W):
    W = sp.csr_matrix(W)
    deg = np.asarray(W.sum(axis=1)).ravel()
    return sp.diags(deg) - W


def fiedler_vector(W, tol=1e-10):
    L = laplacian_matrix(W)
    n = L.shape[0]
    v0 = np.cos(np.arange(n) + 0.5)
    sigma, X = eigsh(L, k=2, sigma=-1e-2, which="LM", tol=tol, v0=v0)
    order = np.argsort(sigma)
    return sigma[order][1], X[:, order[1]]


def spectral_bisection(W):
    ac, fiedler = fiedler_vector(W)
    membership = (fiedler > 0).astype(np.int64)
    return membership, ac


def cut_weight(W, membership):
    mask = membership[:, None] != membership[None, :]
    return W[mask].sum() / 2


def run():
    rng = np.random.default_rng(0)
    n = 12
    W = rng.uniform(0.0, 0.1, (n, n))
    W[:6, :6] += rng.uniform(0.5, 1.0, (6, 6))
    W[6:, 6:] += rng.uniform(0.5, 1.0, (6, 6))
    W = np.triu(W, 1)
    W = W + W.T
    membership, ac = spectral_bisection(W)
    return {"membership": membership, "cut": cut_weight(W, membership), "algebraic_connectivity": ac}

# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_fastica.py (whitening with u *= sign(u[0]))
import numpy as np
from scipy import linalg


def whiten(X, n_components):
    # X: (n_features, n_samples), centred
    u, d = linalg.svd(X, full_matrices=False, check_finite=False)[:2]
    # Give consistent eigenvectors for both svd solvers
    u *= np.sign(u[0])
    K = (u / d).T[:n_components]
    return K @ X * np.sqrt(X.shape[1]), K


def sym_decorrelation(W):
    s, u = linalg.eigh(W @ W.T)
    s = np.clip(s, a_min=np.finfo(W.dtype).tiny, a_max=None)
    return (u * (1.0 / np.sqrt(s))) @ u.T @ W


def ica_par(X1, w_init, max_iter=200, tol=1e-10):
    W = sym_decorrelation(w_init)
    for _ in range(max_iter):
        gwtx = np.tanh(W @ X1)
        g_wtx = (1 - gwtx ** 2).mean(axis=1)
        W1 = sym_decorrelation(gwtx @ X1.T / X1.shape[1] - g_wtx[:, None] * W)
        lim = max(abs(abs(np.einsum("ij,ij->i", W1, W)) - 1))
        W = W1
        if lim < tol:
            break
    return W


def run():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 8, 200)
    S = np.vstack([np.sign(np.sin(3 * t)), np.sin(2 * t), rng.laplace(size=200)])
    X = rng.standard_normal((3, 3)) @ S
    X = X - X.mean(axis=1, keepdims=True)
    X1, K = whiten(X, 3)
    W = ica_par(X1, rng.standard_normal((3, 3)))
    sources = W @ X1
    return {"sources": sources, "unmixing": W @ K}

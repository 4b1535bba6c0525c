# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_nmf.py
import numpy as np
from math import sqrt


def norm(x):
    return sqrt(np.dot(x.ravel(), x.ravel()))


def _initialize_nmf(X, n_components, eps=1e-6):
    U, S, V = np.linalg.svd(X, full_matrices=False)
    W = np.zeros((X.shape[0], n_components))
    H = np.zeros((n_components, X.shape[1]))
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0, :] = np.sqrt(S[0]) * np.abs(V[0, :])
    for j in range(1, n_components):
        x, y = U[:, j], V[j, :]
        x_p, y_p = np.maximum(x, 0), np.maximum(y, 0)
        x_n, y_n = np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        x_p_nrm, y_p_nrm = norm(x_p), norm(y_p)
        x_n_nrm, y_n_nrm = norm(x_n), norm(y_n)
        m_p, m_n = x_p_nrm * y_p_nrm, x_n_nrm * y_n_nrm
        if m_p > m_n:
            u, v, sigma = x_p / x_p_nrm, y_p / y_p_nrm, m_p
        else:
            u, v, sigma = x_n / x_n_nrm, y_n / y_n_nrm, m_n
        lbd = np.sqrt(S[j] * sigma)
        W[:, j] = lbd * u
        H[j, :] = lbd * v
    W[W < eps] = 0
    H[H < eps] = 0
    return W, H


def _multiplicative_update(X, W, H, n_iter=30, eps=1e-10):
    for _ in range(n_iter):
        H *= (W.T @ X) / (W.T @ W @ H + eps)
        W *= (X @ H.T) / (W @ H @ H.T + eps)
    return W, H


def run():
    rng = np.random.default_rng(0)
    W_true = rng.gamma(2.0, 1.0, size=(10, 3))
    H_true = rng.gamma(2.0, 1.0, size=(3, 8))
    X = W_true @ H_true + 0.1 * rng.random((10, 8))
    W0, H0 = _initialize_nmf(X, 3)
    W, H = _multiplicative_update(X, W0.copy(), H0.copy())
    return {"W_init": W0, "H_init": H0, "W": W, "H": H, "error": np.linalg.norm(X - W @ H)}

# modelled on: tttocklll/FastICA README.md
import numpy as np


def whiten(X, n_components):
    # X: (n_features, n_samples), centred
    d, u = np.linalg.eigh(X @ X.T / X.shape[1])
    order = np.argsort(d)[::-1][:n_components]
    d, u = d[order], u[:, order]
    K = (u / np.sqrt(d)).T
    return K @ X, K


def fastica(X1, w_init, max_iter=200, tol=1e-10):
    W = w_init.copy()
    for _ in range(max_iter):
        gwtx = np.tanh(W @ X1)
        g_wtx = (1 - gwtx ** 2).mean(axis=1)
        W1 = gwtx @ X1.T / X1.shape[1] - g_wtx[:, None] * W
        s, u = np.linalg.eigh(W1 @ W1.T)  # symmetric decorrelation
        W1 = u @ np.diag(1.0 / np.sqrt(s)) @ u.T @ W1
        lim = np.max(np.abs(np.abs(np.einsum("ij,ij->i", W1, W)) - 1))
        W = W1
        if lim < tol:
            break
    return W


def run():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 8, 200)
    S = np.vstack([np.sign(np.sin(3 * t)), np.sin(2 * t), rng.laplace(size=200)])
    A = rng.standard_normal((3, 3))
    X = A @ S
    X = X - X.mean(axis=1, keepdims=True)
    X1, K = whiten(X, 3)
    w_init = rng.standard_normal((3, 3))
    W = fastica(X1, w_init)
    sources = W @ X1
    mixing = np.linalg.pinv(W @ K)
    return {"sources": sources, "mixing": mixing}

# modelled on: lisatostrams/EEG-artefact-rejection SOBI/whitening.py
import numpy as np


def whiten(X, fudge=1e-18):
    Xc = X - X.mean(1, keepdims=True)
    cov = Xc @ Xc.T / Xc.shape[1]
    d, V = np.linalg.eigh(cov)
    order = np.argsort(d)[::-1]
    d, V = d[order], V[:, order]
    K = np.diag(1.0 / np.sqrt(d + fudge)) @ V.T
    return K @ Xc, K, d


def sym_decorrelation(W):
    s, u = np.linalg.eigh(W @ W.T)
    return u @ np.diag(1.0 / np.sqrt(s)) @ u.T @ W


def fastica(Z, w_init, max_iter=200, tol=1e-10):
    W = sym_decorrelation(w_init)
    n = Z.shape[1]
    for _ in range(max_iter):
        gwx = np.tanh(W @ Z)
        g_wx = 1 - gwx ** 2
        W1 = sym_decorrelation(gwx @ Z.T / n - g_wx.mean(1)[:, None] * W)
        lim = np.max(np.abs(np.abs(np.einsum("ij,ij->i", W1, W)) - 1))
        W = W1
        if lim < tol:
            break
    return W


def eeg_mixture(n=2000, seed=43):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 250.0
    blink = (np.sin(2 * np.pi * 0.3 * t) > 0.95).astype(float) * 3.0
    alpha = np.sin(2 * np.pi * 10 * t)
    line = np.sign(np.sin(2 * np.pi * 3 * t))
    S = np.vstack([blink, alpha, line])
    A = rng.standard_normal((4, 3))
    return A @ S + 0.05 * rng.standard_normal((4, n))


def run():
    X = eeg_mixture()
    Z, K, d = whiten(X)
    rng = np.random.default_rng(0)
    w_init = rng.standard_normal((3, 3))
    W = fastica(Z[:3], w_init)
    sources = W @ Z[:3]
    return {
        "pca_variances": d,
        "sources": sources[:, :200],
    }

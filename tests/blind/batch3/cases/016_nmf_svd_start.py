# modelled on: scikit-learn/scikit-learn sklearn/decomposition/nmf.py
import numpy as np
from scipy.sparse.linalg import svds


def svd_start(X, n_components, eps=1e-6):
    v0 = np.ones(min(X.shape)) / np.sqrt(min(X.shape))
    U, S, Vt = svds(X, k=n_components, v0=v0)
    order = np.argsort(S)[::-1]
    U, S, Vt = U[:, order], S[order], Vt[order]
    root = np.sqrt(S)
    W = U * root
    H = root[:, None] * Vt
    W[:, 0], H[0] = np.abs(W[:, 0]), np.abs(H[0])
    W = np.where(W > eps, W, 0.0)
    H = np.where(H > eps, H, 0.0)
    return W, H


class NMF:
    def __init__(self, n_components=3, max_iter=40):
        self.n_components = n_components
        self.max_iter = max_iter

    def fit_transform(self, X):
        W, H = svd_start(X, self.n_components)
        for _ in range(self.max_iter):
            H *= (W.T @ X) / (W.T @ W @ H + 1e-10)
            W *= (X @ H.T) / (W @ H @ H.T + 1e-10)
        self.components_ = H
        self.reconstruction_err_ = np.linalg.norm(X - W @ H)
        return W


def run():
    rng = np.random.default_rng(0)
    X = rng.gamma(2.0, 1.0, size=(9, 3)) @ rng.gamma(2.0, 1.0, size=(3, 7)) + 0.1 * rng.random((9, 7))
    model = NMF(n_components=3)
    W = model.fit_transform(X)
    return {"W": W, "H": model.components_, "error": model.reconstruction_err_}

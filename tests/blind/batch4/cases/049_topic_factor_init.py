# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_nmf.py
import numpy as np


def svd_seed(X, n_components):
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    W = np.zeros((X.shape[0], n_components))
    H = np.zeros((n_components, X.shape[1]))
    for j in range(n_components):
        scale = np.sqrt(S[j])
        W[:, j] = scale * np.maximum(U[:, j], 0.0)
        H[j, :] = scale * np.maximum(Vt[j, :], 0.0)
    W[W == 0] = W.mean() / 100
    H[H == 0] = H.mean() / 100
    return W, H


class NMF:
    def __init__(self, n_components, max_iter=80):
        self.n_components = n_components
        self.max_iter = max_iter

    def fit_transform(self, X):
        W, H = svd_seed(X, self.n_components)
        for _ in range(self.max_iter):
            H *= (W.T @ X) / (W.T @ W @ H + 1e-12)
            W *= (X @ H.T) / (W @ H @ H.T + 1e-12)
        self.components_ = H
        self.reconstruction_err_ = np.linalg.norm(X - W @ H)
        return W


def run():
    rng = np.random.default_rng(0)
    topics = rng.dirichlet(np.ones(9) * 0.5, size=3)
    weights = rng.dirichlet(np.ones(3), size=11)
    X = rng.poisson(40 * weights @ topics).astype(float)
    model = NMF(n_components=3)
    W = model.fit_transform(X)
    return {"doc_topic": W, "topic_word": model.components_, "error": model.reconstruction_err_}

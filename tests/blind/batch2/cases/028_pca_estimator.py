# modelled on: scikit-learn/scikit-learn sklearn/utils/extmath.py
import numpy as np


def svd_flip(u, v):
    max_abs_cols = np.argmax(np.abs(u), axis=0)
    signs = np.sign(u[max_abs_cols, range(u.shape[1])])
    signs[signs == 0] = 1
    u *= signs
    v *= signs[:, np.newaxis]
    return u, v


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit_transform(self, X):
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
        U, Vt = svd_flip(U, Vt)
        self.components_ = Vt[: self.n_components]
        self.singular_values_ = S[: self.n_components]
        return U[:, : self.n_components] * S[: self.n_components]

    def transform(self, X):
        return (X - self.mean_) @ self.components_.T


def run():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((15, 5)) @ rng.standard_normal((5, 5))
    pca = PCA(3)
    scores = pca.fit_transform(X)
    new = pca.transform(X[:4] + 0.1)
    return {"scores": scores, "new": new, "components": pca.components_}

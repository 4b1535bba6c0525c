# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_pca.py
import numpy as np
from scipy import linalg


def svd_flip(u, v, u_based_decision=True):
    if u_based_decision:
        max_abs_cols = np.argmax(np.abs(u), axis=0)
        signs = np.sign(u[max_abs_cols, range(u.shape[1])])
        u *= signs
        v *= signs[:, np.newaxis]
    else:
        max_abs_rows = np.argmax(np.abs(v), axis=1)
        signs = np.sign(v[range(v.shape[0]), max_abs_rows])
        u *= signs
        v *= signs[:, np.newaxis]
    return u, v


class PCA:
    def __init__(self, n_components=2, whiten=False):
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X):
        self.mean_ = X.mean(axis=0)
        U, S, Vt = linalg.svd(X - self.mean_, full_matrices=False)
        U, Vt = svd_flip(U, Vt)
        self.components_ = Vt[: self.n_components]
        self.explained_variance_ = (S ** 2) / (X.shape[0] - 1)
        self.singular_values_ = S[: self.n_components]
        return self

    def transform(self, X):
        X_new = (X - self.mean_) @ self.components_.T
        if self.whiten:
            X_new /= np.sqrt(self.explained_variance_[: self.n_components])
        return X_new


def run():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5)) @ rng.normal(size=(5, 5))
    pca = PCA(n_components=3, whiten=True).fit(X)
    Z = pca.transform(X)
    X_test = rng.normal(size=(4, 5))
    return {"scores": Z, "components": pca.components_, "test_scores": pca.transform(X_test),
            "explained_variance": pca.explained_variance_}

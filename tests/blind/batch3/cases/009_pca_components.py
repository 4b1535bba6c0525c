# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_pca.py
import numpy as np
from scipy import linalg


def svd_flip(u, v, u_based_decision=True):
    if u_based_decision:
        max_abs_cols = np.argmax(np.abs(u), axis=0)
        signs = np.sign(u[max_abs_cols, range(u.shape[1])])
    else:
        max_abs_rows = np.argmax(np.abs(v), axis=1)
        signs = np.sign(v[range(v.shape[0]), max_abs_rows])
    u *= signs[np.newaxis, :]
    v *= signs[:, np.newaxis]
    return u, v


class PCA:
    def __init__(self, n_components=3, whiten=False):
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X):
        n_samples = X.shape[0]
        self.mean_ = X.mean(axis=0)
        U, S, Vt = linalg.svd(X - self.mean_, full_matrices=False)
        U, Vt = svd_flip(U, Vt, u_based_decision=False)
        self.components_ = Vt[: self.n_components]
        self.explained_variance_ = (S ** 2 / (n_samples - 1))[: self.n_components]
        self.explained_variance_ratio_ = self.explained_variance_ / (S ** 2 / (n_samples - 1)).sum()
        return self

    def transform(self, X):
        X_new = (X - self.mean_) @ self.components_.T
        if self.whiten:
            X_new /= np.sqrt(self.explained_variance_)
        return X_new

    def inverse_transform(self, X_new):
        if self.whiten:
            X_new = X_new * np.sqrt(self.explained_variance_)
        return X_new @ self.components_ + self.mean_


def run():
    rng = np.random.default_rng(0)
    latent = rng.standard_normal((18, 3)) * np.array([3.0, 1.5, 0.7])
    X = latent @ rng.standard_normal((3, 7)) + 0.05 * rng.standard_normal((18, 7))
    pca = PCA(n_components=3, whiten=True).fit(X[:12])
    Z = pca.transform(X[12:])
    return {
        "scores": Z,
        "components": pca.components_,
        "reconstruction": pca.inverse_transform(Z),
        "ratio": pca.explained_variance_ratio_,
    }

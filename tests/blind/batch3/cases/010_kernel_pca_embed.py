# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_kernel_pca.py
import numpy as np
from scipy.sparse.linalg import eigsh


def rbf_kernel(X, Y, gamma):
    d2 = (X ** 2).sum(1)[:, None] + (Y ** 2).sum(1)[None, :] - 2 * X @ Y.T
    return np.exp(-gamma * d2)


class KernelCenterer:
    def fit(self, K):
        n = K.shape[0]
        self.K_fit_rows_ = K.sum(axis=0) / n
        self.K_fit_all_ = self.K_fit_rows_.sum() / n
        return self

    def transform(self, K):
        K_pred_cols = (K.sum(axis=1) / self.K_fit_rows_.shape[0])[:, None]
        return K - self.K_fit_rows_ - K_pred_cols + self.K_fit_all_


class KernelPCA:
    def __init__(self, n_components=2, gamma=0.5):
        self.n_components = n_components
        self.gamma = gamma

    def fit(self, X):
        self.X_fit_ = X
        K = rbf_kernel(X, X, self.gamma)
        self._centerer = KernelCenterer().fit(K)
        K = self._centerer.transform(K)
        v0 = np.full(K.shape[0], 1.0 / np.sqrt(K.shape[0]))
        self.eigenvalues_, self.eigenvectors_ = eigsh(K, self.n_components, which="LA", v0=v0)
        indices = self.eigenvalues_.argsort()[::-1]
        self.eigenvalues_ = self.eigenvalues_[indices]
        self.eigenvectors_ = self.eigenvectors_[:, indices]
        return self

    def transform(self, X):
        K = self._centerer.transform(rbf_kernel(X, self.X_fit_, self.gamma))
        non_zeros = np.flatnonzero(self.eigenvalues_)
        scaled_alphas = np.zeros_like(self.eigenvectors_)
        scaled_alphas[:, non_zeros] = self.eigenvectors_[:, non_zeros] / np.sqrt(self.eigenvalues_[non_zeros])
        return K @ scaled_alphas


def run():
    rng = np.random.default_rng(0)
    angles = rng.uniform(0, 2 * np.pi, 12)
    radii = np.repeat([0.5, 1.5], 6)
    X = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)]) + 0.05 * rng.standard_normal((12, 2))
    kpca = KernelPCA(n_components=2, gamma=0.8).fit(X[:9])
    X_new = kpca.transform(X[9:])
    d_new = np.linalg.norm(X_new[:, None] - X_new[None], axis=-1)
    return {"embedding": X_new, "pairwise": d_new, "eigenvalues": kpca.eigenvalues_}

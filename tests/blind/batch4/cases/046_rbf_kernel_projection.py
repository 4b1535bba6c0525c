# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_kernel_pca.py
import numpy as np
from scipy import linalg
from scipy.sparse.linalg import eigsh


def rbf_kernel(X, Y, gamma):
    d2 = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
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
    def __init__(self, n_components=2, gamma=0.5, eigen_solver="auto"):
        self.n_components = n_components
        self.gamma = gamma
        self.eigen_solver = eigen_solver

    def fit(self, X):
        self.X_fit_ = X
        K = rbf_kernel(X, X, self.gamma)
        self._centerer = KernelCenterer().fit(K)
        Kc = self._centerer.transform(K)
        solver = self.eigen_solver
        if solver == "auto":
            solver = "arpack" if Kc.shape[0] > 10 else "dense"
        if solver == "arpack":
            v0 = np.full(Kc.shape[0], 1.0 / np.sqrt(Kc.shape[0]))
            self.eigenvalues_, self.eigenvectors_ = eigsh(Kc, self.n_components, which="LA", v0=v0)
        else:
            n = Kc.shape[0]
            self.eigenvalues_, self.eigenvectors_ = linalg.eigh(Kc, subset_by_index=(n - self.n_components, n - 1))
        indices = self.eigenvalues_.argsort()[::-1]
        self.eigenvalues_ = self.eigenvalues_[indices]
        self.eigenvectors_ = self.eigenvectors_[:, indices]
        return self

    def transform(self, X):
        K = self._centerer.transform(rbf_kernel(X, self.X_fit_, self.gamma))
        scaled_alphas = self.eigenvectors_ / np.sqrt(self.eigenvalues_)
        return K @ scaled_alphas


def run():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    kpca = KernelPCA(n_components=2).fit(X)
    X_new = rng.normal(size=(3, 3))
    Z = kpca.transform(X_new)
    gram = Z @ Z.T
    return {"projection": Z, "gram": gram, "eigenvalues": kpca.eigenvalues_}

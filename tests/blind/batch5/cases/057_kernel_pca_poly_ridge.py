# modelled on: wanglei18/machine_learning Codes/dimension_reduction/pca/lib/kernel_pca.py
from itertools import combinations_with_replacement

import numpy as np


def rbf(A, B, gamma=0.5):
    d = (A ** 2).sum(1)[:, None] + (B ** 2).sum(1)[None, :] - 2 * A @ B.T
    return np.exp(-gamma * d)


class KernelPCA:
    def __init__(self, n_components, gamma=0.5):
        self.d = n_components
        self.gamma = gamma

    def fit_transform(self, X):
        m = X.shape[0]
        self.X = X
        K = rbf(X, X, self.gamma)
        J = np.ones((m, m)) / m
        self.K_fit = K
        Kc = K - J @ K - K @ J + J @ K @ J
        eigen_values, eigen_vectors = np.linalg.eigh(Kc)
        idx = np.argsort(eigen_values)[::-1][:self.d]
        self.lambdas = eigen_values[idx]
        self.alphas = eigen_vectors[:, idx]
        return self.alphas * np.sqrt(self.lambdas)

    def transform(self, Xn):
        Kn = rbf(Xn, self.X, self.gamma)
        m = self.X.shape[0]
        Kn_c = Kn - Kn.mean(1, keepdims=True) - self.K_fit.mean(0)[None, :] + self.K_fit.mean()
        return Kn_c @ (self.alphas / np.sqrt(self.lambdas))


def poly_features(Z):
    cols = [np.ones(Z.shape[0])]
    cols += [Z[:, i] for i in range(Z.shape[1])]
    cols += [Z[:, i] * Z[:, j] for i, j in combinations_with_replacement(range(Z.shape[1]), 2)]
    return np.column_stack(cols)


def ridge(F, y, alpha=1e-2):
    return np.linalg.solve(F.T @ F + alpha * np.eye(F.shape[1]), F.T @ y)


def moons(n=80, seed=37):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.vstack([upper, lower]) + 0.08 * rng.standard_normal((2 * n, 2))
    y = np.r_[np.ones(n), -np.ones(n)]
    return X, y


def run():
    X, y = moons()
    kpca = KernelPCA(3, gamma=2.0)
    Z = kpca.fit_transform(X)
    coef = ridge(poly_features(Z), y)
    Xt, yt = moons(40, seed=38)
    pred = poly_features(kpca.transform(Xt)) @ coef
    return {
        "train_fit": poly_features(Z) @ coef,
        "test_pred": pred,
        "test_acc": float(np.mean(np.sign(pred) == yt)),
        "lambdas": kpca.lambdas,
    }

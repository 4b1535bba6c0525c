# modelled on: vivekmyers/curds_whey utils.py
import numpy as np


def normalize(X):
    mu, sigma = X.mean(axis=0), X.std(axis=0)
    return (X - mu) / sigma


class CCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit_x(self, X, Y):
        Qx, Rx = np.linalg.qr(X)
        Qy, _ = np.linalg.qr(Y)
        U, S, Vh = np.linalg.svd(Qx.T @ Qy)
        c = self.n_components
        self.Tx = np.linalg.pinv(Rx) @ U[:, :c]
        self.corr = S[:c]
        return self

    def fit_y(self, X, Y):
        Qx, _ = np.linalg.qr(X)
        Qy, Ry = np.linalg.qr(Y)
        U, S, Vh = np.linalg.svd(Qy.T @ Qx)
        self.Ty = np.linalg.pinv(Ry) @ U[:, :self.n_components]
        return self

    def transform(self, X, Y):
        return X @ self.Tx, Y @ self.Ty


def variate_correlations(A, B):
    A = A - A.mean(0)
    B = B - B.mean(0)
    return (A * B).sum(0) / np.sqrt((A ** 2).sum(0) * (B ** 2).sum(0))


def views(n=200, seed=29):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 2))
    X = z @ rng.standard_normal((2, 5)) + 0.8 * rng.standard_normal((n, 5))
    Y = z @ rng.standard_normal((2, 4)) + 0.8 * rng.standard_normal((n, 4))
    return normalize(X), normalize(Y)


def run():
    X, Y = views()
    cca = CCA(2)
    cca.fit_x(X, Y)
    cca.fit_y(X, Y)
    A, B = cca.transform(X, Y)
    return {
        "canonical_corr": cca.corr,
        "variate_corr": variate_correlations(A, B),
        "x_variate_var": A.var(0),
    }

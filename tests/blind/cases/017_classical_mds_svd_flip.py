# modelled on: scikit-learn/scikit-learn sklearn/manifold/_classical_mds.py
import numpy as np
from scipy import linalg


def svd_flip(u, v):
    # columns of u, rows of v: largest absolute value in each column of u is positive
    max_abs_cols = np.argmax(np.abs(u), axis=0)
    signs = np.sign(u[max_abs_cols, range(u.shape[1])])
    u *= signs
    v *= signs[:, np.newaxis]
    return u, v


class ClassicalMDS:
    def __init__(self, n_components=2):
        self.n_components = n_components

    def fit_transform(self, D):
        n = D.shape[0]
        J = np.eye(n) - np.ones((n, n)) / n
        B = -0.5 * J @ (D ** 2) @ J
        w, U = linalg.eigh(B)
        w, U = w[::-1], U[:, ::-1]
        U, _ = svd_flip(U, np.zeros((U.shape[1], 1)))
        self.eigenvalues_ = w[: self.n_components]
        self.embedding_ = U[:, : self.n_components] * np.sqrt(self.eigenvalues_)
        return self.embedding_


def run():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((9, 3)) * np.array([3.0, 1.5, 0.2])
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    mds = ClassicalMDS(2)
    Y = mds.fit_transform(D)
    return {"embedding": Y, "eigenvalues": mds.eigenvalues_}

# modelled on: jumutc/SALSA.jl docs/source/nystrom.rst
import numpy as np


class NystromFeatures:
    def __init__(self, gamma=0.5):
        self.gamma = gamma

    def kernel(self, A, B):
        d2 = ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1)
        return np.exp(-self.gamma * d2)

    def fit(self, Xs):
        self.Xs = Xs
        lam, U = np.linalg.eigh(self.kernel(Xs, Xs))
        keep = lam > 1e-8
        self.eigvals, self.eigvecs = lam[keep], U[:, keep]
        return self

    def transform(self, X):
        return self.kernel(X, self.Xs) @ self.eigvecs / np.sqrt(self.eigvals)


def run():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    landmarks = X[:6]
    fmap = NystromFeatures().fit(landmarks)
    Phi = fmap.transform(X)
    w = np.linspace(-1, 1, Phi.shape[1])
    scores = Phi @ w
    K_approx = Phi @ Phi.T
    return {"scores": scores, "K_approx": K_approx}

# modelled on: scikit-learn/scikit-learn sklearn/discriminant_analysis.py
import numpy as np
from scipy import linalg


class FisherProjection:
    def __init__(self, n_components=1):
        self.n_components = n_components

    def fit(self, X, y):
        self.xbar_ = X.mean(0)
        means = np.stack([X[y == c].mean(0) for c in (0, 1)])
        Sw = sum(np.cov(X[y == c].T) for c in (0, 1)) + 1e-3 * np.eye(X.shape[1])
        Sb = np.outer(means[1] - means[0], means[1] - means[0])
        evals, evecs = linalg.eigh(Sb + 0.01 * Sw, Sw)
        self.scalings_ = evecs[:, ::-1][:, : self.n_components]
        return self

    def transform(self, X):
        return (X - self.xbar_) @ self.scalings_


def classify(model, X):
    z = model.transform(X)
    return (z[:, 0] > 0).astype(int), z


def accuracy(pred, y):
    return float(np.mean(pred == y))


def run():
    rng = np.random.default_rng(0)
    X0 = rng.normal(size=(10, 4))
    X1 = rng.normal(size=(10, 4)) + np.array([1.5, -1.0, 0.5, 0.0])
    X = np.vstack([X0, X1])
    y = np.repeat([0, 1], 10)
    model = FisherProjection(n_components=2).fit(X, y)
    pred, z = classify(model, X)
    return {"pred": pred, "projected": z, "accuracy": accuracy(pred, y)}

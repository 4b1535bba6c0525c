# modelled on: lisatostrams/EEG-artefact-rejection SOBI/whitening.py
import numpy as np


class PCAWhitener:
    def __init__(self, n_components, fudge=1e-8):
        self.n_components = n_components
        self.fudge = fudge

    def fit(self, X):
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        d, V = np.linalg.eigh(Xc.T @ Xc / len(X))
        idx = d.argsort()[::-1]
        d, V = d[idx], V[:, idx]
        self.components_ = V[:, : self.n_components]
        self.scale_ = 1.0 / np.sqrt(d[: self.n_components] + self.fudge)
        return self

    def transform(self, X):
        return (X - self.mean_) @ self.components_ * self.scale_


class LogisticHead:
    def __init__(self, w, b):
        self.w, self.b = w, b

    def predict_proba(self, Z):
        return 1.0 / (1.0 + np.exp(-(Z @ self.w + self.b)))


def run():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5)) @ rng.standard_normal((5, 5))
    whitener = PCAWhitener(3).fit(X)
    Z = whitener.transform(X)
    head = LogisticHead(np.array([1.0, -0.5, 0.25]), 0.1)
    proba = head.predict_proba(Z)
    return {"proba": proba, "scale": whitener.scale_, "z_var": (Z ** 2).mean(0)}

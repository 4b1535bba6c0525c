# modelled on: mne-tools/mne-python mne/decoding/csp.py
import numpy as np
from scipy import linalg


class CSP:
    def __init__(self, n_components=4):
        self.n_components = n_components

    def fit(self, X, y):
        covs = []
        for c in np.unique(y):
            trials = X[y == c]
            C = np.mean([t @ t.T / np.trace(t @ t.T) for t in trials], axis=0)
            covs.append(C)
        eigen_values, eigen_vectors = linalg.eigh(covs[0], covs[0] + covs[1])
        ix = np.argsort(np.abs(eigen_values - 0.5))[::-1]
        eigen_vectors = eigen_vectors[:, ix]
        self.filters_ = eigen_vectors.T
        return self

    def transform(self, X):
        pick = self.filters_[: self.n_components]
        X = np.asarray([pick @ epoch for epoch in X])
        X = (X ** 2).mean(axis=2)
        return np.log(X)


def run():
    rng = np.random.default_rng(1)
    n_ch, n_t = 6, 40
    mix = rng.standard_normal((n_ch, n_ch))
    X, y = [], []
    for trial in range(12):
        c = trial % 2
        src = rng.standard_normal((n_ch, n_t))
        src[c] *= 3.0
        X.append(mix @ src)
        y.append(c)
    X, y = np.array(X), np.array(y)
    csp = CSP(4).fit(X, y)
    return {"features": csp.transform(X)}

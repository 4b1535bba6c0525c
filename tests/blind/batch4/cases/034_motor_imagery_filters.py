# modelled on: mne-tools/mne-python mne/decoding/csp.py
import numpy as np
from scipy import linalg


class CSP:
    def __init__(self, n_components=4, log=True):
        self.n_components = n_components
        self.log = log

    def _covs(self, X, y):
        covs = []
        for c in np.unique(y):
            Xc = X[y == c]
            cov = sum(x @ x.T / np.trace(x @ x.T) for x in Xc) / len(Xc)
            covs.append(cov)
        return np.stack(covs)

    def fit(self, X, y):
        covs = self._covs(X, y)
        eigen_values, eigen_vectors = linalg.eigh(covs[0], covs.sum(0))
        ix = np.argsort(np.abs(eigen_values - 0.5))[::-1]
        eigen_vectors = eigen_vectors[:, ix]
        self.filters_ = eigen_vectors.T
        self.patterns_ = linalg.pinv(eigen_vectors)
        self.eigen_values_ = eigen_values[ix]
        return self

    def transform(self, X):
        pick = self.filters_[: self.n_components]
        X = np.asarray([pick @ epoch for epoch in X])
        X = (X ** 2).mean(axis=2)
        return np.log(X) if self.log else X


def run():
    rng = np.random.default_rng(0)
    n_ch, n_t = 6, 50
    mixing = rng.normal(size=(n_ch, n_ch))
    X, y = [], []
    for i in range(16):
        label = i % 2
        src = rng.normal(size=(n_ch, n_t))
        src[0] *= 3.0 if label == 0 else 0.5
        src[1] *= 0.5 if label == 0 else 3.0
        X.append(mixing @ src)
        y.append(label)
    X, y = np.array(X), np.array(y)
    csp = CSP(n_components=3).fit(X, y)
    feats = csp.transform(X)
    return {"features": feats, "eigen_values": csp.eigen_values_}

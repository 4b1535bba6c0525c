# modelled on: pyRiemann/pyRiemann pyriemann/spatialfilters.py
import numpy as np
from scipy.linalg import eigh


class SpatialFilterFeatures:
    def __init__(self, nfilter=2):
        self.nfilter = nfilter

    def fit(self, X, y):
        classes = np.unique(y)
        C = [np.mean([x @ x.T / x.shape[1] for x in X[y == c]], axis=0) for c in classes]
        evals, evecs = eigh(C[1], C[0] + C[1])
        order = np.argsort(evals)
        sel = np.concatenate([order[: self.nfilter], order[-self.nfilter:]])
        self.filters_ = evecs[:, sel].T
        return self

    def transform(self, X):
        Xf = np.einsum("fc,ect->eft", self.filters_, X)
        logvar = np.log(Xf.var(axis=-1))
        offset = Xf.mean(axis=-1)
        return np.concatenate([logvar, offset], axis=1), logvar


def lda_direction(F, y):
    mu0, mu1 = F[y == 0].mean(0), F[y == 1].mean(0)
    Sw = np.cov(F[y == 0].T) + np.cov(F[y == 1].T) + 1e-3 * np.eye(F.shape[1])
    return np.linalg.solve(Sw, mu1 - mu0)


def run():
    rng = np.random.default_rng(0)
    n_ch, n_t = 5, 40
    A = rng.normal(size=(n_ch, n_ch))
    X, y = [], []
    for i in range(14):
        s = rng.normal(size=(n_ch, n_t)) + 0.3
        s[0] *= 2.5 if i % 2 else 0.6
        X.append(A @ s)
        y.append(i % 2)
    X, y = np.array(X), np.array(y)
    est = SpatialFilterFeatures(nfilter=1).fit(X, y)
    feats, logvar = est.transform(X)
    w = lda_direction(feats, y)
    return {"features": feats, "logvar": logvar, "decision": feats @ w}

# modelled on: gallantlab/pyrcca rcca/rcca.py
import numpy as np


def _inv_sqrt(C, reg):
    w, V = np.linalg.eigh(C + reg * np.eye(C.shape[0]))
    return (V / np.sqrt(w)) @ V.T


class CCA:
    def __init__(self, numCC=2, reg=1e-3):
        self.numCC = numCC
        self.reg = reg

    def train(self, data):
        X, Y = [d - d.mean(0) for d in data]
        n = X.shape[0]
        Cxx, Cyy, Cxy = X.T @ X / n, Y.T @ Y / n, X.T @ Y / n
        Wx, Wy = _inv_sqrt(Cxx, self.reg), _inv_sqrt(Cyy, self.reg)
        U, s, Vh = np.linalg.svd(Wx @ Cxy @ Wy)
        self.ws = [Wx @ U[:, : self.numCC], Wy @ Vh[: self.numCC].T]
        self.cancorrs = s[: self.numCC]
        return self

    def compute_comps(self, data):
        return [(d - d.mean(0)) @ w for d, w in zip(data, self.ws)]

    def validate(self, data):
        comps = self.compute_comps(data)
        corrs = []
        for k in range(self.numCC):
            a, b = comps[0][:, k], comps[1][:, k]
            corrs.append(np.corrcoef(a, b)[0, 1])
        return np.array(corrs)


def run():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((40, 2))
    X = z @ rng.standard_normal((2, 5)) + 0.5 * rng.standard_normal((40, 5))
    Y = z @ rng.standard_normal((2, 4)) + 0.5 * rng.standard_normal((40, 4))
    cca = CCA(numCC=2).train([X[:30], Y[:30]])
    heldout = cca.validate([X[30:], Y[30:]])
    comps = cca.compute_comps([X, Y])
    agreement = np.mean(comps[0] * comps[1], axis=0)
    return {"cancorrs": cca.cancorrs, "heldout_corr": heldout, "agreement": agreement}

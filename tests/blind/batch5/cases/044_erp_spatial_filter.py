# modelled on: TTsohandsome/EEGlab CSPFilter.m
import numpy as np
from scipy.linalg import eigh


class SpatialFilter:
    def __init__(self, n_filters=2):
        self.n_filters = n_filters

    def fit(self, target, nontarget):
        Ca = np.mean([t @ t.T / t.shape[1] for t in target], axis=0)
        Cb = np.mean([t @ t.T / t.shape[1] for t in nontarget], axis=0)
        d, V = eigh(Ca, Ca + Cb)
        self.filters = V[:, ::-1][:, :self.n_filters].T
        self.eigenvalues = d[::-1][:self.n_filters]
        return self

    def project(self, trials):
        return np.einsum("fc,tcs->tfs", self.filters, trials)


def erp_amplitude(Z, window):
    return Z[:, :, window].mean(axis=2)


def detect(features, threshold=0.0):
    return features[:, 0] > threshold


def simulate(n=40, n_ch=6, n_s=100, seed=17):
    rng = np.random.default_rng(seed)
    t = np.arange(n_s)
    p300 = np.exp(-0.5 * ((t - 60) / 8.0) ** 2)
    topo = rng.standard_normal(n_ch)
    target = np.array([np.outer(topo, p300) * 2.0 + rng.standard_normal((n_ch, n_s)) for _ in range(n)])
    nontarget = np.array([rng.standard_normal((n_ch, n_s)) for _ in range(n)])
    return target, nontarget


def run():
    target, nontarget = simulate()
    sf = SpatialFilter().fit(target[:20], nontarget[:20])
    test = np.concatenate([target[20:], nontarget[20:]])
    Z = sf.project(test)
    amp = erp_amplitude(Z, slice(50, 70))
    hits = detect(amp)
    power = np.log(Z.var(axis=2))
    return {
        "eigenvalues": sf.eigenvalues,
        "log_power": power,
        "detection_rate": float(hits.mean()),
    }

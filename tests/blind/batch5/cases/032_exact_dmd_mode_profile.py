# modelled on: XingziXu/quantum-analog-clustering canonical/schr/code/exact_dmd.py
import numpy as np
from numpy import diag, dot
from numpy.linalg import eig, inv
from scipy.linalg import svd


class ExactDMD:
    def __init__(self, rank):
        self.rank = rank

    def fit(self, X, Y):
        U2, Sig2, Vh2 = svd(X, False)
        r = self.rank
        U = U2[:, :r]
        Sig = diag(Sig2)[:r, :r]
        V = Vh2.conj().T[:, :r]
        Atil = dot(dot(dot(U.conj().T, Y), V), inv(Sig))
        mu, W = eig(Atil)
        self.eigs = mu
        self.modes = dot(dot(dot(Y, V), inv(Sig)), W)
        self.amplitudes = np.linalg.lstsq(self.modes, X[:, 0], rcond=None)[0]
        return self

    def forecast(self, steps):
        t = np.arange(steps)
        dyn = self.amplitudes[:, None] * self.eigs[:, None] ** t[None, :]
        return dot(self.modes, dyn).real

    def dominant(self):
        return int(np.argmax(np.abs(self.amplitudes) * np.abs(self.eigs)))

    def mode_profile(self, k):
        return self.modes[:, k].real


def simulate(n=20, steps=30, seed=4):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, 6)))
    blocks = []
    for rho, w in [(0.99, 0.3), (0.95, 0.8), (0.9, 1.4)]:
        c, s = np.cos(w), np.sin(w)
        blocks.append(rho * np.array([[c, -s], [s, c]]))
    L = np.zeros((6, 6))
    for i, b in enumerate(blocks):
        L[2 * i:2 * i + 2, 2 * i:2 * i + 2] = b
    z = rng.standard_normal(6)
    snaps = []
    for _ in range(steps):
        snaps.append(Q @ z)
        z = L @ z
    return np.array(snaps).T


def run():
    D = simulate()
    X, Y = D[:, :-1], D[:, 1:]
    model = ExactDMD(6).fit(X, Y)
    k = model.dominant()
    profile = model.mode_profile(k)
    rates = np.sort(np.log(np.abs(model.eigs)))
    return {
        "forecast": model.forecast(40),
        "growth_rates": rates,
        "dominant_profile": profile,
    }

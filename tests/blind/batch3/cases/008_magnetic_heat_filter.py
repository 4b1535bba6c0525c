# modelled on: epfl-lts2/pygsp pygsp/graphs/fourier.py
import numpy as np


class DirectedGraph:
    def __init__(self, W, q=0.2):
        self.W = W
        self.q = q
        self.n_vertices = W.shape[0]
        self._U = None
        self._e = None

    @property
    def L(self):
        Ws = 0.5 * (self.W + self.W.T)
        phase = np.exp(2j * np.pi * self.q * (self.W - self.W.T))
        return np.diag(Ws.sum(1)) - Ws * phase

    def compute_fourier_basis(self):
        self._e, self._U = np.linalg.eigh(self.L)
        self.lmax = self._e[-1]

    @property
    def U(self):
        if self._U is None:
            self.compute_fourier_basis()
        return self._U

    @property
    def e(self):
        if self._e is None:
            self.compute_fourier_basis()
        return self._e

    def gft(self, s):
        return np.tensordot(self.U.conj(), s, ([0], [0]))

    def igft(self, s_hat):
        return np.tensordot(self.U, s_hat, ([1], [0]))


def heat_filter(G, s, tau=1.5):
    s_hat = G.gft(s)
    h = np.exp(-tau * G.e / G.lmax)
    return G.igft(h[:, None] * s_hat), np.abs(s_hat) ** 2


def run():
    rng = np.random.default_rng(0)
    n = 10
    W = np.triu(rng.uniform(0.3, 1.0, (n, n)) * (rng.random((n, n)) < 0.5), 1)
    W += np.diag(rng.uniform(0.3, 1.0, n - 1), 1)
    W = np.where(rng.random((n, n)) < 0.3, W.T, W)
    G = DirectedGraph(W, q=0.2)
    signals = rng.standard_normal((n, 2))
    smoothed, energy = heat_filter(G, signals)
    return {"smoothed_real": smoothed.real, "smoothed_imag": smoothed.imag, "spectral_energy": energy}

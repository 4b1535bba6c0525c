# modelled on: epfl-lts2/pygsp pygsp/graphs/fourier.py
import numpy as np


class DirectedGraph:
    def __init__(self, W, q=0.2):
        self.W = W
        self.q = q
        self._U = None

    def laplacian(self):
        Ws = 0.5 * (self.W + self.W.T)
        phase = np.exp(2j * np.pi * self.q * (self.W - self.W.T))
        return np.diag(Ws.sum(1)) - Ws * phase

    def compute_fourier_basis(self):
        self._e, self._U = np.linalg.eigh(self.laplacian())

    def gft(self, s):
        return self._U.T @ s

    def igft(self, s_hat):
        return self._U @ s_hat


def run():
    rng = np.random.default_rng(21)
    W = (rng.random((8, 8)) < 0.35).astype(float)
    np.fill_diagonal(W, 0.0)
    G = DirectedGraph(W)
    G.compute_fourier_basis()
    s = rng.standard_normal(8)
    s_hat = G.gft(s)
    h = np.exp(-0.5 * G._e)
    smoothed = G.igft(h * s_hat).real
    energy = np.abs(G._U.conj().T @ s) ** 2
    return {"smoothed": smoothed, "energy": energy, "freqs": G._e}

# modelled on: epfl-lts2/pygsp pygsp/filters/filter.py
import numpy as np


def path_graph_laplacian(n):
    W = np.zeros((n, n))
    idx = np.arange(n - 1)
    W[idx, idx + 1] = W[idx + 1, idx] = 1.0
    W[0, n - 1] = W[n - 1, 0] = 0.5
    return np.diag(W.sum(1)) - W


class Graph:
    def __init__(self, L):
        self.L = L
        self.e, self.U = np.linalg.eigh(L)

    def gft(self, s):
        return self.U.T @ s

    def igft(self, s_hat):
        return self.U @ s_hat


def heat_filter(G, s, tau):
    kernel = np.exp(-tau * G.e / G.e.max())
    return G.igft(kernel[:, None] * G.gft(s))


def run():
    rng = np.random.default_rng(3)
    G = Graph(path_graph_laplacian(10))
    s = rng.standard_normal((10, 2))
    out = {f"tau{t}": heat_filter(G, s, t) for t in (1, 5)}
    out["spectrum_energy"] = G.gft(s) ** 2
    return out

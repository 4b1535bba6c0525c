# modelled on: networkx/networkx networkx/linalg/algebraicconnectivity.py
import numpy as np


def laplacian_matrix(weights):
    return np.diag(weights.sum(axis=1)) - weights


def fiedler_vector(weights, normalized=False):
    lap = laplacian_matrix(weights)
    if normalized:
        d = 1.0 / np.sqrt(weights.sum(axis=1))
        lap = d[:, None] * lap * d[None, :]
    sigma, x = np.linalg.eigh(lap)
    return sigma[1], x[:, 1]


def spectral_bisection(weights):
    connectivity, fiedler = fiedler_vector(weights, normalized=True)
    side = fiedler >= 0
    cut = weights[side][:, ~side].sum()
    return {"side": side, "cut_weight": float(cut), "algebraic_connectivity": float(connectivity)}


def build_graph(rng, n=12):
    w = np.zeros((n, n))
    for block in (range(0, 6), range(6, 12)):
        for i in block:
            for j in block:
                if i < j:
                    w[i, j] = rng.uniform(0.5, 1.5)
    for i, j in [(2, 8), (5, 9), (0, 11)]:
        w[i, j] = rng.uniform(0.05, 0.2)
    return w + w.T


def run():
    rng = np.random.default_rng(0)
    weights = build_graph(rng)
    result = spectral_bisection(weights)
    return result

# modelled on: posaune0423/learn_network test.py (spectra of a DiGraph vs its undirected version)
import numpy as np


def laplacian(edges, n, directed):
    A = np.zeros((n, n))
    for u, v in edges:
        A[u, v] = 1.0
        if not directed:
            A[v, u] = 1.0
    return np.diag(A.sum(1)) - A


def spectral_embedding(L, directed, dim=2):
    solver = np.linalg.eig if directed else np.linalg.eigh
    vals, vecs = solver(L)
    order = np.argsort(vals.real)
    coords = np.real(vecs[:, order[1:dim + 1]])
    return coords, vals.real[order[1:dim + 1]]


def pairwise(coords):
    return np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))


def run():
    edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (1, 4), (5, 6), (6, 0)]
    out = {}
    for directed in (True, False):
        coords, vals = spectral_embedding(laplacian(edges, 7, directed), directed)
        tag = "dir" if directed else "und"
        out["dist_" + tag] = pairwise(coords)
        out["vals_" + tag] = vals
    return out

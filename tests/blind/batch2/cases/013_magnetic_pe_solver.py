# modelled on: matthew-hirn/magnet src/utils/hermitian.py
import numpy as np


def magnetic_laplacian(edges, n, q=0.25):
    A = np.zeros((n, n))
    for i, j in edges:
        A[i, j] = 1.0
    As = 0.5 * (A + A.T)
    theta = 2 * np.pi * q * (A - A.T)
    d = As.sum(1)
    d[d == 0] = 1.0
    Dm = np.diag(d ** -0.5)
    return np.eye(n) - Dm @ (As * np.exp(1j * theta)) @ Dm


def positional_encoding(edges, n, k, q=0.25):
    L = magnetic_laplacian(edges, n, q)
    hermitian = np.allclose(L, L.conj().T)
    solve = np.linalg.eigh if hermitian else np.linalg.eig
    vals, vecs = solve(L)
    idx = np.argsort(vals.real)[:k]
    vals, vecs = vals[idx].real, vecs[:, idx]
    pe = np.concatenate([vecs.real, vecs.imag], axis=1)
    return vals, pe


def run():
    edges = [(0, 1), (1, 2), (2, 3), (3, 0), (2, 4), (4, 5), (5, 6), (6, 4), (1, 6)]
    vals, pe = positional_encoding(edges, 7, k=3)
    return {"vals": vals, "pe": pe}

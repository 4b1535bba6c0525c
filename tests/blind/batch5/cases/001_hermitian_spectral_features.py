# modelled on: ErikLundin98/hermitian_laplacian_graph lib.py
import numpy as np


def directed_adjacency(n, p, seed):
    rng = np.random.default_rng(seed)
    A = (rng.random((n, n)) < p).astype(float)
    np.fill_diagonal(A, 0.0)
    return A


def hermitian_laplacian(A, q):
    A_s = (A + A.T) / 2
    D = np.diag(A_s.sum(axis=1))
    Gamma = np.exp(1j * np.pi * q * (A - A.T))
    return D - Gamma * A_s


class HermitianSpectralEmbedding:
    def __init__(self, q=0.25, k=4):
        self.q = q
        self.k = k

    def fit(self, A):
        L = hermitian_laplacian(A, self.q)
        self.eigenvalues_, self.U_ = np.linalg.eigh(L)
        return self

    def node_features(self):
        U_k = self.U_[:, 1:self.k + 1]
        return np.concatenate([np.real(U_k), np.imag(U_k)], axis=1)

    def heat_diag(self, s):
        g = np.exp(-s * self.eigenvalues_)
        return np.real(np.einsum("ik,k,ik->i", self.U_, g, self.U_.conj()))


def run():
    A = directed_adjacency(18, 0.25, 3)
    emb = HermitianSpectralEmbedding(q=0.25, k=4).fit(A)
    feats = emb.node_features()
    return {
        "eigenvalues": emb.eigenvalues_,
        "features": feats,
        "heat_diag": emb.heat_diag(0.7),
    }

# modelled on: Graph-COM/Walk_Profiles README.md (magnetic Laplacian eigenvector positional encodings)
import numpy as np
import torch


def magnetic_laplacian(A, q=0.25):
    A_s = ((A + A.T) > 0).astype(float)
    theta = 2 * np.pi * q * (A - A.T)
    D = np.diag(A_s.sum(1))
    return D - A_s * np.exp(1j * theta)


class MagLapPE(torch.nn.Module):
    def __init__(self, k, dim):
        super().__init__()
        self.k = k
        self.W = torch.nn.Parameter(torch.randn(k, dim, dtype=torch.complex128) / k)

    def forward(self, L):
        lam, V = torch.linalg.eigh(torch.from_numpy(L))
        pe = V[:, : self.k] @ self.W
        return pe.abs(), lam[: self.k]


def run():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    A = (rng.random((8, 8)) < 0.3).astype(float)
    np.fill_diagonal(A, 0)
    A[np.arange(8), (np.arange(8) + 1) % 8] = 1.0
    pe, lam = MagLapPE(3, 4)(magnetic_laplacian(A))
    return {"pe": pe, "lam": lam}

# modelled on: epfl-lts2/pygsp pygsp/graphs/fourier.py
import torch
import torch.nn as nn


def magnetic_laplacian(A, q=0.2):
    As = 0.5 * (A + A.T)
    phase = torch.exp(1j * 2 * torch.pi * q * (A - A.T))
    deg = As.sum(1)
    dinv = deg.rsqrt()
    return torch.eye(A.shape[0], dtype=torch.complex128) - (dinv[:, None] * As * dinv[None, :]) * phase


class SpectralEncoder(nn.Module):
    def __init__(self, k, hidden):
        super().__init__()
        self.k = k
        self.mlp = nn.Sequential(nn.Linear(2 * k, hidden), nn.ReLU(), nn.Linear(hidden, 1)).double()

    def basis(self, A):
        evals, evecs = torch.linalg.eigh(magnetic_laplacian(A))
        return evals[: self.k], evecs[:, : self.k]

    def forward(self, A, x):
        evals, U = self.basis(A)
        coeffs = (U.mH @ x.to(U.dtype)).T
        feats = torch.cat([coeffs.real, coeffs.imag], dim=-1)
        return self.mlp(feats).squeeze(-1), evals


def run():
    torch.manual_seed(0)
    n, k = 8, 3
    A = (torch.rand(n, n, dtype=torch.float64) < 0.35).double() * torch.rand(n, n, dtype=torch.float64)
    A.fill_diagonal_(0.0)
    A += 0.2 * torch.roll(torch.eye(n, dtype=torch.float64), 1, dims=1)
    x = torch.randn(n, 4, dtype=torch.float64)
    enc = SpectralEncoder(k, 8)
    with torch.no_grad():
        out, evals = enc(A, x)
    return {"scores": out, "evals": evals}

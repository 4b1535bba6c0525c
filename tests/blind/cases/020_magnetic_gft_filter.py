# modelled on: ErikLundin98/hermitian_laplacian_graph README.md
import math

import torch


def magnetic_laplacian(A, q=0.25):
    A_sym = ((A + A.T) > 0).to(torch.float64)
    theta = 2 * math.pi * q * (A - A.T)
    D = torch.diag(A_sym.sum(1))
    return D.to(torch.complex128) - A_sym * torch.exp(1j * theta)


def heat_kernel(lam, s):
    return torch.exp(-s * lam)


def graph_filter(L, signal, s=0.5):
    lam, U = torch.linalg.eigh(L)
    x_hat = U.mH @ signal  # graph Fourier transform
    y = U @ (heat_kernel(lam, s).to(torch.complex128)[:, None] * x_hat)
    return y, (x_hat.abs() ** 2).squeeze(-1), lam


def run():
    torch.manual_seed(0)
    n = 9
    A = (torch.rand(n, n, dtype=torch.float64) < 0.3).to(torch.float64)
    A.fill_diagonal_(0.0)
    for i in range(n):
        A[i, (i + 1) % n] = 1.0
    L = magnetic_laplacian(A)
    signal = torch.randn(n, 1, dtype=torch.float64).to(torch.complex128)
    y, energy, lam = graph_filter(L, signal)
    return {"filtered": y, "energy": energy, "spectrum": lam}

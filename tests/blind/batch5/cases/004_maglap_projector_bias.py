# modelled on: SherylHYX/pytorch_geometric_signed_directed torch_geometric_signed_directed/utils/directed/get_magnetic_Laplacian.py
import math

import torch


def dense_magnetic_laplacian(A, q):
    A_sym = 0.5 * (A + A.T)
    deg = A_sym.sum(1)
    phase = torch.exp(1j * 2 * math.pi * q * (A - A.T))
    return torch.diag(deg).to(torch.complex128) - A_sym * phase


class MagneticSpectralBias:
    def __init__(self, q=0.2, k=4):
        self.q = q
        self.k = k

    def fit(self, A):
        L = dense_magnetic_laplacian(A, self.q)
        self.lam, self.V = torch.linalg.eigh(L)
        return self

    def projector(self):
        Vk = self.V[:, : self.k]
        return Vk @ Vk.mH

    def node_energy(self):
        return (self.V[:, : self.k].abs() ** 2 * self.lam[: self.k]).sum(-1)

    def attention(self, x):
        P = self.projector()
        bias = P.abs() + P.real
        scores = x @ x.T / math.sqrt(x.shape[1]) + bias
        return torch.softmax(scores, dim=-1)


def run():
    g = torch.Generator().manual_seed(2)
    A = (torch.rand(12, 12, generator=g) < 0.3).double()
    A.fill_diagonal_(0.0)
    x = torch.randn(12, 5, generator=g, dtype=torch.float64)
    model = MagneticSpectralBias(q=0.2, k=4).fit(A)
    return {
        "attention": model.attention(x),
        "node_energy": model.node_energy(),
        "lam": model.lam,
    }

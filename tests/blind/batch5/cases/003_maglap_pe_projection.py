# modelled on: SherylHYX/pytorch_geometric_signed_directed torch_geometric_signed_directed/utils/directed/get_magnetic_Laplacian.py
import math

import torch
import torch.nn as nn


def random_edges(num_nodes, num_edges, seed):
    g = torch.Generator().manual_seed(seed)
    row = torch.randint(0, num_nodes, (num_edges,), generator=g)
    col = torch.randint(0, num_nodes, (num_edges,), generator=g)
    keep = row != col
    return torch.stack([row[keep], col[keep]])


def magnetic_laplacian(edge_index, num_nodes, q=0.25):
    row, col = edge_index
    A = torch.zeros(num_nodes, num_nodes, dtype=torch.float64)
    A[row, col] = 1.0
    A_sym = 0.5 * (A + A.T)
    theta = 2 * math.pi * q * (A - A.T)
    deg = A_sym.sum(1)
    dinv = deg.clamp_min(1e-12).pow(-0.5)
    H = (dinv[:, None] * A_sym * dinv[None, :]) * torch.exp(1j * theta)
    return torch.eye(num_nodes, dtype=torch.complex128) - H


def maglap_spectrum(L, k):
    evals, evecs = torch.linalg.eigh(L)
    return evals[:k], evecs[:, :k]


class MagLapEncoder(nn.Module):
    def __init__(self, k, hidden):
        super().__init__()
        self.k = k
        self.proj = nn.Linear(2 * k, hidden, dtype=torch.float64)

    def forward(self, L):
        evals, evecs = maglap_spectrum(L, self.k)
        feats = torch.view_as_real(evecs).flatten(1)
        return torch.tanh(self.proj(feats)), evals


def run():
    torch.manual_seed(0)
    edge_index = random_edges(14, 40, 5)
    L = magnetic_laplacian(edge_index, 14)
    enc = MagLapEncoder(k=3, hidden=8)
    with torch.no_grad():
        pe, evals = enc(L)
    return {"pe": pe, "evals": evals}

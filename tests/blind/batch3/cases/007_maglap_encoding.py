# modelled on: SherylHYX/pytorch_geometric_signed_directed torch_geometric_signed_directed/utils/directed/get_magnetic_Laplacian.py
import math
import torch
import torch.nn as nn


def get_magnetic_laplacian(edge_index, num_nodes, q=0.25):
    A = torch.zeros(num_nodes, num_nodes, dtype=torch.float64)
    A[edge_index[0], edge_index[1]] = 1.0
    A_sym = 0.5 * (A + A.T)
    theta = 2 * math.pi * q * (A - A.T)
    H = A_sym * torch.exp(1j * theta)
    deg = A_sym.sum(dim=1).clamp_min(1.0)
    d_inv_sqrt = deg.rsqrt().to(H.dtype)
    eye = torch.eye(num_nodes, dtype=H.dtype)
    return eye - d_inv_sqrt[:, None] * H * d_inv_sqrt[None, :]


def lowest_eigenpairs(L, k):
    evals, evecs = torch.linalg.eigh(L)
    return evals[:k], evecs[:, :k]


class MagLapEncoder(nn.Module):
    def __init__(self, k, dim_pe):
        super().__init__()
        self.proj = nn.Linear(2 * k + k, dim_pe).double()
        self.act = nn.GELU()

    def forward(self, evals, evecs):
        n = evecs.shape[0]
        feats = torch.cat([evecs.real, evecs.imag], dim=-1)
        spec = evals.unsqueeze(0).expand(n, -1)
        return self.act(self.proj(torch.cat([feats, spec], dim=-1)))


def random_dag_edges(gen, n, p=0.35):
    src, dst = [], []
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or torch.rand(1, generator=gen).item() < p:
                src.append(i)
                dst.append(j)
    return torch.tensor([src, dst])


def run():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    n, k = 9, 3
    edge_index = random_dag_edges(gen, n)
    L = get_magnetic_laplacian(edge_index, n, q=0.25)
    evals, evecs = lowest_eigenpairs(L, k)
    encoder = MagLapEncoder(k, dim_pe=6)
    with torch.no_grad():
        pe = encoder(evals, evecs)
    return {"pe": pe, "eigenvalues": evals}

# modelled on: cptq/SignNet-BasisNet Alchemy/sign_net/sign_net.py
import math
import torch
import torch.nn as nn


def magnetic_laplacians(adj, q=0.25):
    sym = 0.5 * (adj + adj.transpose(-1, -2))
    theta = 2 * math.pi * q * (adj - adj.transpose(-1, -2))
    H = sym * torch.exp(1j * theta)
    deg = sym.sum(-1)
    return torch.diag_embed(deg).to(H.dtype) - H


class PhiNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden))

    def forward(self, v):
        return self.mlp(torch.stack([v.real, v.imag], dim=-1))


class SignNetPE(nn.Module):
    def __init__(self, k, hidden=8, out_dim=4):
        super().__init__()
        self.k = k
        self.phi = PhiNet(hidden).double()
        self.rho = nn.Linear(k * hidden, out_dim).double()

    def forward(self, evecs):
        v = evecs[..., : self.k]
        h = self.phi(v) + self.phi(-v)
        return self.rho(h.flatten(-2))


def run():
    torch.manual_seed(0)
    B, n, k = 3, 7, 3
    adj = (torch.rand(B, n, n, dtype=torch.float64) < 0.35).double()
    adj = adj * (1 - torch.eye(n, dtype=torch.float64))
    adj = adj + torch.diag_embed(torch.ones(B, n - 1, dtype=torch.float64), 1)
    L = magnetic_laplacians(adj)
    evals, evecs = torch.linalg.eigh(L)
    model = SignNetPE(k)
    with torch.no_grad():
        pe = model(evecs)
    return {"pe": pe, "evals": evals}

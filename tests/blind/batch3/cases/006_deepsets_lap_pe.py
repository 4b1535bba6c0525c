# modelled on: cptq/SignNet-BasisNet GraphPrediction/layers/deepsigns.py
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, in_dim, hidden, out_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, out_dim))

    def forward(self, x):
        return self.net(x)


class SignInvariantPE(nn.Module):
    def __init__(self, k, hidden=16, out_dim=4):
        super().__init__()
        self.k = k
        self.phi = MLP(1, hidden, hidden)
        self.rho = MLP(k * hidden, hidden, out_dim)

    def forward(self, eigvecs):
        x = eigvecs.unsqueeze(-1)
        x = self.phi(x) + self.phi(-x)
        x = x.reshape(x.shape[0], -1)
        return self.rho(x)


def normalized_laplacian(W):
    deg = W.sum(-1)
    d = deg.rsqrt()
    return torch.eye(W.shape[0], dtype=W.dtype) - d[:, None] * W * d[None, :]


def laplacian_pe(W, k):
    L = normalized_laplacian(W)
    evals, evecs = torch.linalg.eigh(L)
    return evals[1:k + 1], evecs[:, 1:k + 1]


def run():
    torch.manual_seed(0)
    n, k = 10, 4
    W = torch.rand(n, n, dtype=torch.float64)
    W = torch.triu(W * (W > 0.4), 1)
    W = W + W.T + 0.1
    W.fill_diagonal_(0.0)
    evals, evecs = laplacian_pe(W, k)
    model = SignInvariantPE(k).double()
    with torch.no_grad():
        pe = model(evecs)
    return {"pe": pe, "eigenvalues": evals}

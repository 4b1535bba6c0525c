# modelled on: cptq/SignNet-BasisNet Alchemy/sign_net/sign_net.py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def normalized_laplacian(adj):
    deg = adj.sum(1)
    d = torch.diag(deg.pow(-0.5))
    return torch.eye(adj.size(0), dtype=adj.dtype) - d @ adj @ d


class PhiNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.l1 = nn.Linear(1, hidden).double()
        self.l2 = nn.Linear(hidden, hidden).double()

    def forward(self, v):
        return self.l2(F.gelu(self.l1(v.unsqueeze(-1))))


class SignInvPe(nn.Module):
    def __init__(self, k, hidden, out_dim):
        super().__init__()
        self.phi = PhiNet(hidden)
        self.rho = nn.Sequential(nn.Linear(k * hidden, out_dim), nn.Tanh()).double()

    def forward(self, eigvecs):
        x = self.phi(eigvecs) + self.phi(-eigvecs)
        x = x.reshape(eigvecs.shape[0], -1)
        return self.rho(x)


def run():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n, k = 9, 2
    w = np.triu(rng.uniform(0.1, 1.0, (n, n)), 1)
    adj = torch.from_numpy(w + w.T)
    lap = normalized_laplacian(adj)
    evals, evecs = torch.lobpcg(lap, k=k + 1, largest=False, niter=200, tol=1e-10)
    pe_in = evecs[:, 1:k + 1]
    model = SignInvPe(k, 6, 5)
    with torch.no_grad():
        pe = model(pe_in)
    return {"pe": pe, "spectrum": evals, "pooled": pe.mean(0)}

# modelled on: cptq/SignNet-BasisNet GraphPrediction/nets/ZINC_graph_regression/sign_inv_net.py
import torch
import torch.nn as nn


class PhiMLP(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, hidden), nn.ReLU(), nn.Linear(hidden, hidden))

    def forward(self, v):
        return self.net(v.unsqueeze(-1))


class SignNet(nn.Module):
    def __init__(self, k, hidden, out):
        super().__init__()
        self.phi = PhiMLP(hidden)
        self.rho = nn.Linear(k * hidden, out)

    def forward(self, eigvecs):
        h = self.phi(eigvecs) + self.phi(-eigvecs)
        return self.rho(h.flatten(start_dim=-2))


def laplacian_eigvecs(A, k):
    L = torch.diag(A.sum(1)) - A
    vals, vecs = torch.linalg.eigh(L)
    return vecs[:, 1:k + 1]


def run():
    torch.manual_seed(0)
    A = torch.zeros(7, 7, dtype=torch.float64)
    for i, j in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 3), (2, 6)]:
        A[i, j] = A[j, i] = 1.0
    V = laplacian_eigvecs(A, 3)
    model = SignNet(3, 8, 4).double()
    with torch.no_grad():
        pe = model(V)
    return {"pe": pe}

# modelled on: cptq/SignNet-BasisNet README.md (SignNet: rho(phi(v) + phi(-v)))
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Linear(d_hidden, d_out))

    def forward(self, x):
        return self.net(x)


class SignNet(nn.Module):
    def __init__(self, k, hidden, out_dim):
        super().__init__()
        self.phi = MLP(1, hidden, hidden)
        self.rho = MLP(k * hidden, hidden, out_dim)

    def forward(self, eigvecs):
        x = eigvecs.unsqueeze(-1)  # [n, k, 1]
        x = self.phi(x) + self.phi(-x)
        return self.rho(x.reshape(x.shape[0], -1))


def normalized_laplacian(adj):
    dinv = adj.sum(-1).clamp(min=1).pow(-0.5)
    return torch.eye(adj.shape[0], dtype=adj.dtype) - dinv[:, None] * adj * dinv[None, :]


def run():
    torch.manual_seed(0)
    n, k = 10, 4
    adj = (torch.rand(n, n, dtype=torch.float64) < 0.35).double().triu(1)
    adj = adj + adj.T
    evals, evecs = torch.linalg.eigh(normalized_laplacian(adj))
    model = SignNet(k, 16, 3).double()
    pe = model(evecs[:, :k])
    return {"pe": pe, "evals": evals[:k]}

# modelled on: mdeff/cnn_graph lib/models.py
import torch
import torch.nn as nn


def graph_laplacian(W, normalized=True):
    d = W.sum(dim=1)
    if not normalized:
        return torch.diag(d) - W
    d = d.rsqrt()
    return torch.eye(W.shape[0], dtype=W.dtype) - d[:, None] * W * d[None, :]


class FourierGraphConv(nn.Module):
    def __init__(self, U, Fin, Fout):
        super().__init__()
        self.register_buffer("U", U)
        M = U.shape[0]
        self.weight = nn.Parameter(torch.randn(M, Fout, Fin, dtype=U.dtype) * 0.3)

    def forward(self, x):
        x_hat = torch.einsum("nm,bmf->bnf", self.U.T, x)
        y_hat = torch.einsum("ngf,bnf->bng", self.weight, x_hat)
        y_hat = torch.relu(y_hat)
        return torch.einsum("mn,bng->bmg", self.U, y_hat)


class SpectralCNN(nn.Module):
    def __init__(self, L, Fin=2, hidden=4, n_classes=3):
        super().__init__()
        _, U = torch.linalg.eigh(L)
        self.conv = FourierGraphConv(U, Fin, hidden)
        self.fc = nn.Linear(hidden, n_classes).double()

    def forward(self, x):
        h = self.conv(x)
        return self.fc(h.mean(dim=1))


def run():
    torch.manual_seed(0)
    n = 10
    W = torch.rand(n, n, dtype=torch.float64)
    W = torch.triu(W * (W > 0.5), 1) + torch.diag(torch.full((n - 1,), 0.5, dtype=torch.float64), 1)
    W = W + W.T
    model = SpectralCNN(graph_laplacian(W))
    x = torch.randn(3, n, 2, dtype=torch.float64)
    with torch.no_grad():
        logits = model(x)
    return {"logits": logits}

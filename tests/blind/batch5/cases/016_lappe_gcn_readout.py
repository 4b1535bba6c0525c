# modelled on: xbresson/CS6208_2023 codes/labs_lecture05/utils.py
import torch
import torch.nn as nn


def random_graph(n, p, seed):
    g = torch.Generator().manual_seed(seed)
    upper = (torch.rand(n, n, generator=g) < p).double().triu(1)
    adj = upper + upper.T
    ring = torch.roll(torch.eye(n, dtype=torch.float64), 1, 0)
    return ((adj + ring + ring.T) > 0).double()


def compute_LapEig(adj, pos_enc_dim):
    n = adj.shape[0]
    Dn = adj.sum(1).clamp_min(1.0).pow(-0.5).diag()
    Lap = torch.eye(n, dtype=adj.dtype) - Dn @ adj @ Dn
    EigVal, EigVec = torch.linalg.eigh(Lap)
    idx = EigVal.argsort()
    EigVal, EigVec = EigVal[idx], EigVec[:, idx]
    return EigVal, EigVec[:, 1:pos_enc_dim + 1]


class GCNWithPE(nn.Module):
    def __init__(self, in_dim, pe_dim, hidden, n_classes):
        super().__init__()
        self.embed_h = nn.Linear(in_dim + pe_dim, hidden, dtype=torch.float64)
        self.conv = nn.Linear(hidden, hidden, dtype=torch.float64)
        self.readout = nn.Linear(hidden, n_classes, dtype=torch.float64)

    def forward(self, x, adj, pe):
        h = torch.cat([x, pe], dim=-1)
        h = torch.relu(self.embed_h(h))
        a_hat = adj + torch.eye(adj.shape[0], dtype=adj.dtype)
        d = a_hat.sum(1).pow(-0.5)
        a_hat = d[:, None] * a_hat * d[None, :]
        h = torch.relu(self.conv(a_hat @ h))
        return self.readout(h.mean(0))


def run():
    torch.manual_seed(0)
    adj = random_graph(20, 0.15, 1)
    x = torch.randn(20, 4, dtype=torch.float64)
    eigval, pe = compute_LapEig(adj, 3)
    model = GCNWithPE(4, 3, 16, 3)
    with torch.no_grad():
        logits = model(x, adj, pe)
    return {"logits": logits, "eigval": eigval}

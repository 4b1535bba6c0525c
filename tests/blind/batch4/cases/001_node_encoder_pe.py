# modelled on: pyg-team/pytorch_geometric torch_geometric/transforms/add_positional_encoding.py
import numpy as np
import torch
from torch import nn


def random_weighted_graph(n, p, rng):
    w = rng.uniform(0.2, 1.0, size=(n, n))
    mask = rng.random((n, n)) < p
    a = np.triu(w * mask, 1)
    a[np.arange(n - 1), np.arange(1, n)] += 0.5
    a = a + a.T
    return torch.from_numpy(a)


class AddLaplacianEigenvectorPE:
    def __init__(self, k, attr_name="laplacian_eigenvector_pe"):
        self.k = k
        self.attr_name = attr_name

    def __call__(self, data):
        adj = data["adj"]
        deg = adj.sum(-1)
        dinv = deg.clamp_min(1e-12).rsqrt()
        lap = torch.eye(adj.shape[0], dtype=adj.dtype) - dinv[:, None] * adj * dinv[None, :]
        eig_vals, eig_vecs = torch.linalg.eigh(lap)
        data["eigvals"] = eig_vals[1:self.k + 1]
        data[self.attr_name] = eig_vecs[:, 1:self.k + 1]
        return data


class NodeEncoder(nn.Module):
    def __init__(self, in_dim, pe_dim, hidden):
        super().__init__()
        self.lin = nn.Linear(in_dim + pe_dim, hidden).double()

    def forward(self, x, pe):
        h = torch.cat([x, pe], dim=-1)
        return torch.relu(self.lin(h))


def run():
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    n = 10
    data = {"adj": random_weighted_graph(n, 0.4, rng), "x": torch.from_numpy(rng.normal(size=(n, 3)))}
    data = AddLaplacianEigenvectorPE(k=4)(data)
    enc = NodeEncoder(3, 4, 8)
    with torch.no_grad():
        h = enc(data["x"], data["laplacian_eigenvector_pe"])
    return {"node_embedding": h, "graph_readout": h.sum(0), "eigvals": data["eigvals"]}

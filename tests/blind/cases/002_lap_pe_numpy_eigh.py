# modelled on: invictus717/MetaTransformer Graph/metatransformer/data/algos.py
import numpy as np
import torch


def eig(sym_mat):
    # (sorted) eigenvectors with numpy
    EigVal, EigVec = np.linalg.eigh(sym_mat)

    # for eigval, take abs because numpy sometimes computes the first eigenvalue approaching 0 from the negative
    eigvec = torch.from_numpy(EigVec).float()  # [N, N (channels)]
    eigval = torch.from_numpy(np.sort(np.abs(np.real(EigVal)))).float()  # [N (channels),]
    return eigvec, eigval


def lap_eig(dense_adj, number_of_nodes, in_degree):
    A = dense_adj
    N = np.diag(in_degree.clip(1) ** -0.5)
    L = np.eye(number_of_nodes) - N @ A @ N
    eigvec, eigval = eig(L)
    return eigvec, eigval


class LapNodeEncoder(torch.nn.Module):
    def __init__(self, k, hidden):
        super().__init__()
        self.k = k
        self.lin = torch.nn.Linear(2 * k, hidden)

    def forward(self, eigvec, eigval):
        pe = eigvec[:, : self.k]
        lam = eigval[: self.k].expand_as(pe)
        return self.lin(torch.cat([pe, lam], dim=-1))


def run():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n = 9
    upper = np.triu((rng.random((n, n)) < 0.4).astype(float), 1)
    adj = upper + upper.T
    eigvec, eigval = lap_eig(adj, n, adj.sum(1))
    encoder = LapNodeEncoder(3, 6)
    node_feat = encoder(eigvec, eigval)
    return {"node_feat": node_feat, "eigval": eigval}

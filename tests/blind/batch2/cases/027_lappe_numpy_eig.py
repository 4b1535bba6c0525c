# modelled on: NabaviLab/Multimodal-GNN-for-Cancer-Subtype-Clasification position_encoder.py
import numpy as np
import scipy.sparse as sp
import torch


def positional_encoding(edges, num_nodes, pos_enc_dim):
    row, col = zip(*edges)
    A = sp.coo_matrix((np.ones(len(row)), (row, col)), shape=(num_nodes, num_nodes)).astype(float)
    A = A + A.T
    deg = np.asarray(A.sum(1)).flatten().clip(1)
    N = sp.diags(deg ** -0.5, dtype=float)
    L = sp.eye(num_nodes) - N * A * N
    EigVal, EigVec = np.linalg.eig(L.toarray())
    idx = EigVal.argsort()
    EigVal, EigVec = EigVal[idx], np.real(EigVec[:, idx])
    return torch.from_numpy(EigVec[:, 1:pos_enc_dim + 1]).float(), EigVal


def run():
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (1, 4), (2, 6), (6, 7)]
    pe, vals = positional_encoding(edges, 8, 3)
    return {"pos_enc": pe, "eigvals": vals}

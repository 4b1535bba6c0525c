# modelled on: SherylHYX/pytorch_geometric_signed_directed torch_geometric_signed_directed/nn/directed/DIGRAC_node_clustering.py
import numpy as np
import scipy.linalg


def hermitian_adjacency(A):
    return 1j * (A - A.T)


def top_eigvecs(H, k):
    n = H.shape[0]
    w_lo, V_lo = scipy.linalg.eigh(H, subset_by_index=[0, k // 2 - 1])
    w_hi, V_hi = scipy.linalg.eigh(H, subset_by_index=[n - k // 2, n - 1])
    return np.concatenate([w_lo, w_hi]), np.concatenate([V_lo, V_hi], axis=1)


def embed(V):
    return np.concatenate([V.real, V.imag], axis=1)


def kmeans(Z, k, iters=25):
    C = Z[np.linspace(0, len(Z) - 1, k).astype(int)]
    for _ in range(iters):
        d = ((Z[:, None] - C[None]) ** 2).sum(-1)
        lab = d.argmin(1)
        C = np.stack([Z[lab == j].mean(0) if np.any(lab == j) else C[j] for j in range(k)])
    return lab, d.min(1).sum()


def run():
    rng = np.random.default_rng(0)
    groups = np.repeat([0, 1, 2], 4)
    flow = {(0, 1): 0.8, (1, 2): 0.8, (2, 0): 0.8}
    A = np.zeros((12, 12))
    for i in range(12):
        for j in range(12):
            p = flow.get((groups[i], groups[j]), 0.1)
            if i != j and rng.random() < p:
                A[i, j] = 1.0
    A = np.where(A * A.T > 0, 0.0, A)
    w, V = top_eigvecs(hermitian_adjacency(A), 2)
    labels, inertia = kmeans(embed(V), 3)
    P = V @ V.conj().T
    return {"labels": labels, "inertia": inertia, "projector": P, "eigenvalues": w}

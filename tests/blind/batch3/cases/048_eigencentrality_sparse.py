# modelled on: networkx/networkx networkx/algorithms/centrality/eigenvector.py
import numpy as np
import scipy as sp
import scipy.sparse
import scipy.sparse.linalg


def eigenvector_centrality_numpy(A, max_iter=100, tol=0):
    M = sp.sparse.csr_matrix(A, dtype=float)
    v0 = np.ones(M.shape[0])
    _, eigenvector = sp.sparse.linalg.eigs(M.T, k=1, which="LR", maxiter=max_iter, tol=tol, v0=v0)
    largest = eigenvector.flatten().real
    norm = sp.linalg.norm(largest)
    return largest / norm


def top_nodes(centrality, k=3):
    return np.argsort(-centrality)[:k]


def run():
    rng = np.random.default_rng(0)
    A = (rng.random((11, 11)) < 0.35).astype(float)
    A = np.triu(A, 1)
    A = A + A.T + np.diag(np.ones(10), 1) + np.diag(np.ones(10), -1)
    A = np.minimum(A, 1.0)
    c = eigenvector_centrality_numpy(A)
    return {"centrality": c, "top": top_nodes(c), "spread": c.max() - c.min()}

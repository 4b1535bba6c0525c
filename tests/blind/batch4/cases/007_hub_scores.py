# modelled on: networkx/networkx networkx/algorithms/centrality/eigenvector.py
import numpy as np
import scipy as sp
import scipy.sparse
import scipy.sparse.linalg


def to_sparse_adjacency(edges, n, weights):
    rows = [u for u, v in edges] + [v for u, v in edges]
    cols = [v for u, v in edges] + [u for u, v in edges]
    data = np.concatenate([weights, weights])
    return sp.sparse.csr_array((data, (rows, cols)), shape=(n, n))


def eigenvector_centrality_numpy(edges, n, weights, max_iter=50, tol=0):
    M = to_sparse_adjacency(edges, n, weights)
    _, eigenvector = sp.sparse.linalg.eigs(
        M.T.astype(float), k=1, which="LR", maxiter=max_iter, tol=tol, v0=np.ones(n)
    )
    largest = eigenvector.flatten().real
    norm = np.sign(largest.sum()) * sp.linalg.norm(largest)
    return dict(zip(range(n), largest / norm))


def top_k(centrality, k):
    ranked = sorted(centrality.items(), key=lambda kv: -kv[1])
    return [node for node, _ in ranked[:k]]


def run():
    rng = np.random.default_rng(0)
    n = 11
    edges = [(i, (i + 1) % n) for i in range(n)]
    edges += [(0, 5), (0, 7), (3, 9), (2, 6), (4, 10), (1, 8)]
    weights = rng.uniform(0.5, 2.0, len(edges))
    cent = eigenvector_centrality_numpy(edges, n, weights, max_iter=500)
    scores = np.array([cent[i] for i in range(n)])
    return {"centrality": scores, "top3": np.array(top_k(cent, 3))}

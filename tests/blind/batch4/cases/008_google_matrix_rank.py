# modelled on: networkx/networkx networkx/algorithms/link_analysis/pagerank_alg.py
import numpy as np


def google_matrix(adj, alpha=0.85, personalization=None):
    n = adj.shape[0]
    out = adj.sum(axis=1)
    dangling = out == 0
    M = np.where(dangling[:, None], 1.0 / n, adj / np.where(out == 0, 1, out)[:, None])
    if personalization is None:
        p = np.full(n, 1.0 / n)
    else:
        p = personalization / personalization.sum()
    return alpha * M + (1 - alpha) * p[None, :]


def pagerank_numpy(adj, alpha=0.85, personalization=None):
    M = google_matrix(adj, alpha, personalization)
    eigenvalues, eigenvectors = np.linalg.eig(M.T)
    ind = np.argmax(eigenvalues)
    largest = np.array(eigenvectors[:, ind]).flatten().real
    norm = largest.sum()
    return largest / norm, eigenvectors.dtype


def random_digraph(rng, n, p):
    adj = (rng.random((n, n)) < p).astype(float)
    np.fill_diagonal(adj, 0.0)
    adj *= rng.uniform(0.5, 1.5, size=adj.shape)
    return adj


def run():
    rng = np.random.default_rng(0)
    adj = random_digraph(rng, 9, 0.3)
    pers = rng.uniform(0.1, 1.0, 9)
    scores, dtype = pagerank_numpy(adj, alpha=0.85, personalization=pers)
    ranking = np.argsort(-scores, kind="stable")
    return {"pagerank": scores, "ranking": ranking, "is_complex": np.issubdtype(dtype, np.complexfloating)}

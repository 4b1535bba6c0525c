# modelled on: networkx/networkx networkx/algorithms/link_analysis/pagerank_alg.py
import numpy as np


def google_matrix(A, alpha=0.85):
    n = A.shape[0]
    out = A.sum(1, keepdims=True)
    out[out == 0] = 1.0
    M = A / out
    return alpha * M + (1 - alpha) / n


def pagerank_eig(A, alpha=0.85):
    G = google_matrix(A, alpha)
    ev, vecs = np.linalg.eig(G.T)
    ind = np.argmax(ev.real)
    largest = np.array(vecs[:, ind]).flatten().real
    norm = np.linalg.norm(largest)
    return largest / norm


def run():
    rng = np.random.default_rng(17)
    A = (rng.random((7, 7)) < 0.4).astype(float)
    np.fill_diagonal(A, 0)
    r = pagerank_eig(A)
    ranking = np.argsort(-r)
    return {"scores": r, "ranking": ranking}

# modelled on: networkx/networkx networkx/algorithms/link_analysis/pagerank_alg.py
import numpy as np
import numpy.linalg as nla


def google_matrix(A, alpha=0.85, personalization=None, dangling=None):
    N = A.shape[0]
    p = np.repeat(1.0 / N, N) if personalization is None else personalization / personalization.sum()
    dangling_weights = p if dangling is None else dangling / dangling.sum()
    A = A.astype(float).copy()
    dangling_nodes = np.where(A.sum(axis=1) == 0)[0]
    A[dangling_nodes] = dangling_weights
    A /= A.sum(axis=1)[:, np.newaxis]
    return alpha * A + (1 - alpha) * p


def pagerank_numpy(A, alpha=0.85):
    M = google_matrix(A, alpha)
    eigenvalues, eigenvectors = nla.eig(M.T)
    ind = np.argmax(eigenvalues)
    largest = np.array(eigenvectors[:, ind]).flatten().real
    norm = largest.sum()
    return largest / norm


def run():
    rng = np.random.default_rng(0)
    A = (rng.random((10, 10)) < 0.3).astype(float)
    np.fill_diagonal(A, 0.0)
    A[7] = 0.0
    pr = pagerank_numpy(A)
    pr_low = pagerank_numpy(A, alpha=0.5)
    return {"pagerank": pr, "pagerank_low_alpha": pr_low, "ranking": np.argsort(-pr)}

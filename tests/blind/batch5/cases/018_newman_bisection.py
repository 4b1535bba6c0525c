# modelled on: zhiyzuo/python-modularity-maximization modularity_maximization/_divide.py
import numpy as np
from scipy.sparse.linalg import eigsh


def planted_partition(n, p_in, p_out, seed):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    P = np.where(labels[:, None] == labels[None, :], p_in, p_out)
    A = (rng.random((n, n)) < P).astype(float)
    A = np.triu(A, 1)
    return A + A.T


def get_mod_matrix(A):
    k = A.sum(1)
    m = k.sum() / 2
    return A - np.outer(k, k) / (2 * m), m


def largest_eig(B):
    beta, u = eigsh(B, k=1, which="LA", v0=np.linspace(1.0, 2.0, B.shape[0]))
    return beta[0], u[:, 0]


def _get_delta_Q(B, s, m):
    return float(s @ B @ s) / (4 * m)


def divide(A):
    B, m = get_mod_matrix(A)
    nodes = tuple(range(A.shape[0]))
    beta_1, u_1 = largest_eig(B)
    if beta_1 <= 0:
        return None, None, 0.0, beta_1
    s = np.array([1 if u > 0 else -1 for u in u_1])
    g1_nodes = np.array([nodes[i] for i in range(len(nodes)) if s[i] > 0])
    return g1_nodes, s, _get_delta_Q(B, s, m), beta_1


def run():
    A = planted_partition(24, 0.5, 0.08, 13)
    g1, s, dq, beta = divide(A)
    return {"group_one": g1, "membership": s, "delta_q": dq, "beta": beta}

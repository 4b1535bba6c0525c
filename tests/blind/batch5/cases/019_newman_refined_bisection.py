# modelled on: zhiyzuo/python-modularity-maximization modularity_maximization/_divide.py
import numpy as np


def planted_partition(n, p_in, p_out, seed):
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) * 7) % 3
    P = np.where(labels[:, None] == labels[None, :], p_in, p_out)
    A = (rng.random((n, n)) < P).astype(float)
    A = np.triu(A, 1)
    return A + A.T


def modularity_matrix(A):
    k = A.sum(1)
    m = k.sum() / 2
    return A - np.outer(k, k) / (2 * m), m


def delta_q(B, s, m):
    return float(s @ B @ s) / (4 * m)


def leading_vector(B):
    vals, vecs = np.linalg.eigh(B)
    u = vecs[:, -1]
    if u[0] < 0:
        u = -u
    return vals[-1], u


def improve_modularity(B, s, m):
    s = s.copy()
    while True:
        base = delta_q(B, s, m)
        gains = []
        for k in range(len(s)):
            s[k] = -s[k]
            gains.append(delta_q(B, s, m) - base)
            s[k] = -s[k]
        k_best = int(np.argmax(gains))
        if gains[k_best] <= 1e-12:
            return s
        s[k_best] = -s[k_best]


def bisect(A, refine=True):
    B, m = modularity_matrix(A)
    beta, u = leading_vector(B)
    s = np.where(u > 0, 1, -1)
    if refine:
        s = improve_modularity(B, s, m)
    return s, delta_q(B, s, m), beta


def run():
    A = planted_partition(27, 0.45, 0.1, 5)
    s, dq, beta = bisect(A)
    return {"membership": s, "delta_q": dq, "beta": beta}

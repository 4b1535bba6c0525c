# modelled on: MaxLingwei/tensor_toolbox spectral_clustering.m
import numpy as np
import scipy.linalg as sla


def two_communities(rng, n1=5, n2=5, p_in=0.8, p_out=0.1):
    n = n1 + n2
    block = np.zeros((n, n))
    block[:n1, :n1] = p_in
    block[n1:, n1:] = p_in
    block[:n1, n1:] = block[n1:, :n1] = p_out
    upper = np.triu(rng.random((n, n)) < block, 1).astype(float)
    W = upper + upper.T
    W[0, n1] = W[n1, 0] = 1.0  # keep the graph connected
    return W


def fiedler_vector(W):
    d = W.sum(1)
    L = np.diag(d) - W
    vals, vecs = sla.eigh(L, np.diag(d))  # L v = lambda D v
    return vecs[:, 1], vals[1]


def bipartition(W):
    f, lam = fiedler_vector(W)
    side = f > 0
    return side.astype(np.int64), lam


def run():
    rng = np.random.default_rng(0)
    W = two_communities(rng)
    side, lam2 = bipartition(W)
    return {"side": side, "lambda2": lam2}

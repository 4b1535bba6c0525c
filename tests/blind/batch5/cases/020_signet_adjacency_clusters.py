# modelled on: alan-turing-institute/SigNet signet/cluster.py
import numpy as np
import scipy.sparse as ss
import scipy.sparse.linalg as spla


def ssbm(n, k, pin, etain, seed):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % k
    same = truth[:, None] == truth[None, :]
    edge = np.triu(rng.random((n, n)) < pin, 1)
    flip = rng.random((n, n)) < etain
    sign = np.where(same, 1.0, -1.0) * np.where(flip, -1.0, 1.0)
    S = np.triu(edge * sign, 1)
    S = S + S.T
    return ss.csc_matrix(np.maximum(S, 0)), ss.csc_matrix(np.maximum(-S, 0)), truth


def sqrtinvdiag(M):
    d = np.asarray(M.sum(axis=0)).ravel()
    return ss.diags(1.0 / np.sqrt(np.maximum(d, 1e-12)))


class Cluster:
    def __init__(self, data):
        self.p, self.n = data
        self.size = self.p.shape[0]

    def embedding(self, eigens=2):
        d = sqrtinvdiag(self.p)
        matrix = d @ self.p @ d
        d = sqrtinvdiag(self.n)
        matrix = matrix - d @ self.n @ d
        w, v = spla.eigsh(matrix, eigens, which="LA", v0=np.linspace(1, 2, self.size))
        return w, v * w


def sign_code_labels(v):
    bits = (v > 0).astype(int)
    return bits @ (2 ** np.arange(v.shape[1]))


def run():
    Ap, An, truth = ssbm(32, 4, 0.5, 0.05, 8)
    w, v = Cluster((Ap, An)).embedding(eigens=2)
    labels = sign_code_labels(v)
    sizes = np.sort(np.bincount(labels, minlength=4))
    return {"labels": labels, "cluster_sizes": sizes, "eigenvalues": w}

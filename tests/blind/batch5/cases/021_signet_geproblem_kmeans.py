# modelled on: alan-turing-institute/SigNet signet/cluster.py
import numpy as np
import scipy.sparse as ss
from scipy.sparse.linalg import eigsh, lobpcg


def ssbm(n, k, pin, etain, seed):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % k
    same = truth[:, None] == truth[None, :]
    edge = np.triu(rng.random((n, n)) < pin, 1)
    flip = rng.random((n, n)) < etain
    sign = np.where(same, 1.0, -1.0) * np.where(flip, -1.0, 1.0)
    S = edge * sign
    S = S + S.T
    return ss.csc_matrix(np.maximum(S, 0)), ss.csc_matrix(np.maximum(-S, 0))


def sqrtinvdiag(M):
    d = np.asarray(M.sum(axis=0)).ravel()
    return ss.diags(1.0 / np.sqrt(np.maximum(d, 1e-12)))


def kmeans(X, k, iters=50):
    centers = [X[0]]
    for _ in range(1, k):
        dist = np.min([((X - c) ** 2).sum(1) for c in centers], axis=0)
        centers.append(X[int(np.argmax(dist))])
    centers = np.array(centers)
    for _ in range(iters):
        d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
        labels = d2.argmin(1)
        centers = np.array([X[labels == j].mean(0) if np.any(labels == j) else centers[j] for j in range(k)])
    return labels


def geproblem_laplacian(p, n, k, nudge=0.5, seed=0):
    size = p.shape[0]
    eye = ss.eye(size, format="csc")
    d = sqrtinvdiag(n)
    matrix1 = eye + d @ n @ d
    d = sqrtinvdiag(p)
    matrix2 = eye - d @ p @ d
    start = np.linspace(1.0, 2.0, size)
    w, _ = eigsh(matrix2, k=1, which="SA", v0=start)
    matrix2 = matrix2 + eye * (nudge - w[0])
    v0 = np.random.default_rng(seed).normal(0, 1, (size, k))
    w, v = lobpcg(matrix2, v0, B=matrix1, maxiter=400, tol=1e-9, largest=False)
    v = v / w
    return kmeans(v, k), w


def run():
    Ap, An = ssbm(30, 3, 0.6, 0.05, 21)
    labels, w = geproblem_laplacian(Ap, An, 3)
    return {"labels": labels, "eigenvalues": np.sort(w)}

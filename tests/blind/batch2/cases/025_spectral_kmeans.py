# modelled on: BhanuTabeti/Fraud-Analytics-Circular-Trading Src/cluster.py
import numpy as np
import scipy.sparse as sparse
from scipy.sparse.linalg import eigsh


def affinity(points, sigma=0.8):
    d2 = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    W = np.exp(-d2 / (2 * sigma ** 2))
    np.fill_diagonal(W, 0.0)
    return W


def kmeans(X, k, iters=20):
    centers = X[[0, 4, 8]][:k].copy()
    for _ in range(iters):
        dists = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
        labels = dists.argmin(1)
        for j in range(k):
            members = X[labels == j]
            if len(members):
                centers[j] = members.mean(0)
    inertia = ((X - centers[labels]) ** 2).sum()
    return labels, inertia


def SpectralClustering(W, vectors=3):
    d = W.sum(1)
    Dh = sparse.diags(d ** -0.5)
    L = sparse.identity(W.shape[0]) - Dh @ sparse.csr_matrix(W) @ Dh
    vals, vecs = eigsh(L, k=vectors, which="SM", v0=np.ones(W.shape[0]))
    order = np.argsort(vals)
    emb = vecs[:, order]
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    return vals[order], emb


def run():
    rng = np.random.default_rng(0)
    blobs = [rng.normal(c, 0.25, size=(4, 2)) for c in ((0, 0), (3, 0), (0, 3))]
    pts = np.concatenate(blobs)
    vals, emb = SpectralClustering(affinity(pts))
    labels, inertia = kmeans(emb, 3)
    return {"eigvals": vals, "labels": labels, "inertia": inertia}

# modelled on: scikit-learn/scikit-learn sklearn/manifold/_spectral_embedding.py
import numpy as np
from scipy import sparse
from scipy.sparse import linalg as sla


def affinity_from_points(points, gamma):
    d2 = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    aff = np.exp(-gamma * d2)
    np.fill_diagonal(aff, 0.0)
    return sparse.csr_matrix(aff)


def laplacian_embedding(aff, n_components):
    deg = np.asarray(aff.sum(axis=1)).ravel()
    dinv = sparse.diags(1.0 / np.sqrt(deg))
    norm_adj = dinv @ aff @ dinv
    vals, vecs = sla.eigsh(norm_adj, k=n_components + 1, which="LA", v0=np.ones(aff.shape[0]))
    order = np.argsort(vals)[::-1]
    emb = vecs[:, order[1:]] / np.sqrt(deg)[:, None]
    return 1.0 - vals[order], emb


def kmeans(x, n_clusters, n_iter=25):
    seeds = [0, x.shape[0] // 2, x.shape[0] - 1][:n_clusters]
    centers = x[seeds]
    for _ in range(n_iter):
        d = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
        labels = d.argmin(1)
        centers = np.stack([x[labels == c].mean(0) if np.any(labels == c) else centers[c]
                            for c in range(n_clusters)])
    inertia = d.min(1).sum()
    return labels, inertia


def run():
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [3.0, 0.5], [1.0, 3.0]])
    pts = np.concatenate([c + 0.4 * rng.normal(size=(4, 2)) for c in centers])
    aff = affinity_from_points(pts, gamma=0.5)
    lam, emb = laplacian_embedding(aff, n_components=2)
    labels, inertia = kmeans(emb, 3)
    return {"labels": labels, "inertia": float(inertia), "laplacian_eigs": lam}

# modelled on: scikit-learn/scikit-learn sklearn/manifold/_spectral_embedding.py
import numpy as np
from scipy import sparse
from scipy.sparse.linalg import eigsh


def _deterministic_vector_sign_flip(u):
    max_abs_rows = np.argmax(np.abs(u), axis=1)
    signs = np.sign(u[range(u.shape[0]), max_abs_rows])
    u *= signs[:, np.newaxis]
    return u


def _set_diag(laplacian, value):
    laplacian = laplacian.tolil()
    laplacian.setdiag(value)
    return laplacian.tocsr()


def spectral_embedding(adjacency, n_components=3, drop_first=True):
    n_nodes = adjacency.shape[0]
    deg = np.asarray(adjacency.sum(axis=1)).ravel()
    d_inv_sqrt = sparse.diags(1.0 / np.sqrt(deg))
    laplacian = sparse.eye(n_nodes) - d_inv_sqrt @ adjacency @ d_inv_sqrt
    laplacian = _set_diag(laplacian, 1.0)
    laplacian *= -1
    v0 = np.linspace(0.5, 1.5, n_nodes)
    k = n_components + 1 if drop_first else n_components
    _, diffusion_map = eigsh(laplacian, k=k, sigma=1.0, which="LM", tol=0.0, v0=v0)
    embedding = diffusion_map.T[k::-1] * np.sqrt(deg)
    embedding = _deterministic_vector_sign_flip(embedding)
    if drop_first:
        return embedding[1:k].T
    return embedding[:k].T


def kmeans(X, n_clusters, n_iter=20):
    centers = X[[0, X.shape[0] // 2, X.shape[0] - 1]][:n_clusters]
    for _ in range(n_iter):
        d = ((X[:, None, :] - centers[None]) ** 2).sum(-1)
        labels = d.argmin(1)
        centers = np.stack([X[labels == c].mean(0) for c in range(n_clusters)])
    return labels, d.min(1).sum()


def run():
    rng = np.random.default_rng(0)
    sizes = [4, 4, 4]
    blocks = np.repeat(np.arange(3), sizes)
    W = rng.uniform(0.05, 0.15, size=(12, 12))
    W += (blocks[:, None] == blocks[None, :]) * rng.uniform(0.8, 1.2, size=(12, 12))
    W = np.triu(W, 1)
    W = W + W.T
    emb = spectral_embedding(sparse.csr_matrix(W), n_components=2)
    labels, inertia = kmeans(emb, 3)
    return {"embedding": emb, "labels": labels, "inertia": inertia}

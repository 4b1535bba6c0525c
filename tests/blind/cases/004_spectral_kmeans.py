# modelled on: Ido-c/Spectral_Clustering spectral_clustering.py
import numpy as np
from numpy import linalg as LA


def gaussian_affinity(X, sigma=1.0):
    sq = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    W = np.exp(-sq / (2 * sigma ** 2))
    np.fill_diagonal(W, 0.0)
    return W


def laplacian(A):
    D_inv_sqrt = np.diag(1.0 / np.sqrt(np.sum(A, axis=1)))
    return np.identity(A.shape[0]) - D_inv_sqrt @ A @ D_inv_sqrt


def kmeans(T, k, iters=20):
    # farthest-point initialisation starting from the first row
    centers = [T[0]]
    for _ in range(1, k):
        dist = np.min([((T - c) ** 2).sum(1) for c in centers], axis=0)
        centers.append(T[np.argmax(dist)])
    centers = np.array(centers)
    for _ in range(iters):
        labels = np.argmin(((T[:, None, :] - centers[None]) ** 2).sum(-1), axis=1)
        centers = np.array([T[labels == j].mean(0) for j in range(k)])
    return labels


def spectral_clustering(X, k):
    L = laplacian(gaussian_affinity(X))
    eigenvalues, eigenvectors = LA.eigh(L)
    idx = np.argsort(eigenvalues)[:k]
    U = eigenvectors[:, idx]
    # Form the matrix T from U by renormalizing each of U's rows to have unit length
    T = U / np.linalg.norm(U, axis=1, keepdims=True)
    return kmeans(T, k), eigenvalues[idx]


def run():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(c, 0.3, size=(4, 2)) for c in ([0, 0], [3, 0], [0, 3])])
    labels, vals = spectral_clustering(X, 3)
    return {"labels": labels, "eigvals": vals}

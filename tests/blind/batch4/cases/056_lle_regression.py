# modelled on: scikit-learn/scikit-learn sklearn/manifold/_locally_linear.py
import numpy as np
from scipy.linalg import eigh, solve


def barycenter_weights(X, Y, indices, reg=1e-3):
    n_samples, n_neighbors = indices.shape
    B = np.empty((n_samples, n_neighbors))
    v = np.ones(n_neighbors)
    for i, ind in enumerate(indices):
        A = Y[ind]
        C = A - X[i]
        G = C @ C.T
        trace = np.trace(G)
        R = reg * trace if trace > 0 else reg
        G.flat[:: n_neighbors + 1] += R
        w = solve(G, v, assume_a="pos")
        B[i, :] = w / np.sum(w)
    return B


def locally_linear_embedding(X, n_neighbors, n_components):
    d = np.linalg.norm(X[:, None] - X[None], axis=-1)
    ind = np.argsort(d, axis=1)[:, 1:n_neighbors + 1]
    W = np.zeros((X.shape[0], X.shape[0]))
    W[np.arange(X.shape[0])[:, None], ind] = barycenter_weights(X, X, ind)
    M = (np.eye(X.shape[0]) - W).T @ (np.eye(X.shape[0]) - W)
    eigen_values, eigen_vectors = eigh(M, subset_by_index=(1, n_components))
    return eigen_vectors, np.sum(eigen_values)


def regress_on_embedding(Y, target):
    design = np.column_stack([np.ones(len(target)), Y])
    coef, res, *_ = np.linalg.lstsq(design, target, rcond=None)
    return coef, res


def run():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 3, 12))
    X = np.column_stack([np.cos(t), np.sin(t), 0.3 * t]) + 0.01 * rng.normal(size=(12, 3))
    Y, err = locally_linear_embedding(X, n_neighbors=4, n_components=2)
    coef, res = regress_on_embedding(Y, t)
    return {"coef": coef, "residual": res, "reconstruction_error": err}

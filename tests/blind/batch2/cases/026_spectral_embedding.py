# modelled on: scikit-learn/scikit-learn sklearn/manifold/_spectral_embedding.py
import numpy as np
from scipy import linalg


def _deterministic_vector_sign_flip(u):
    max_abs_rows = np.argmax(np.abs(u), axis=1)
    signs = np.sign(u[range(u.shape[0]), max_abs_rows])
    u *= signs[:, np.newaxis]
    return u


def spectral_embedding(adjacency, n_components=2, drop_first=True):
    deg = adjacency.sum(1)
    lap = np.diag(deg) - adjacency
    dd = np.sqrt(deg)
    lap = lap / dd[:, None] / dd[None, :]
    if drop_first:
        n_components = n_components + 1
    _, diffusion_map = linalg.eigh(lap, subset_by_index=[0, n_components - 1])
    embedding = diffusion_map.T[n_components::-1]
    embedding = embedding / dd
    embedding = _deterministic_vector_sign_flip(embedding)
    if drop_first:
        return embedding[1:n_components].T
    return embedding[:n_components].T


def run():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((10, 3))
    d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
    A = np.exp(-d2)
    np.fill_diagonal(A, 0)
    emb = spectral_embedding(A, n_components=2)
    return {"embedding": emb}

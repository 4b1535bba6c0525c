# modelled on: scikit-learn/scikit-learn sklearn/manifold/_isomap.py
import numpy as np
from scipy.sparse.csgraph import shortest_path


def kneighbors_graph(X, n_neighbors):
    d = np.linalg.norm(X[:, None] - X[None], axis=-1)
    G = np.zeros_like(d)
    for i in range(X.shape[0]):
        nn = np.argsort(d[i])[1:n_neighbors + 1]
        G[i, nn] = d[i, nn]
    return np.maximum(G, G.T)


class Isomap:
    def __init__(self, n_neighbors=4, n_components=2):
        self.n_neighbors = n_neighbors
        self.n_components = n_components

    def fit_transform(self, X, reference=None):
        self.dist_matrix_ = shortest_path(kneighbors_graph(X, self.n_neighbors), directed=False)
        G = -0.5 * self.dist_matrix_ ** 2
        n = G.shape[0]
        J = np.eye(n) - np.ones((n, n)) / n
        K = J @ G @ J
        lambdas, alphas = np.linalg.eigh(K)
        idx = np.argsort(lambdas)[::-1][: self.n_components]
        lambdas, alphas = lambdas[idx], alphas[:, idx]
        if reference is not None:
            signs = np.sign(alphas.T @ reference)
            alphas = alphas * signs
        self.embedding_ = alphas * np.sqrt(lambdas)
        return self.embedding_


def run():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 3 * np.pi / 2, 12))
    X = np.column_stack([t * np.cos(t), rng.uniform(0, 2, 12), t * np.sin(t)])
    ref = np.linspace(-1.0, 1.0, 12) + 0.1
    emb = Isomap(n_neighbors=4, n_components=2).fit_transform(X, reference=ref)
    return {"embedding": emb, "spread": emb.std(0)}

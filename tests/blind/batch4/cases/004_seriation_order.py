# modelled on: scikit-learn/scikit-learn sklearn/manifold/_spectral_embedding.py
import numpy as np
import scipy.linalg as sl


def similarity_matrix(profiles):
    corr = np.corrcoef(profiles)
    return np.exp(2.0 * corr)


def spectral_embedding(adjacency, n_components=2, drop_first=True):
    deg = adjacency.sum(axis=1)
    d_half = 1.0 / np.sqrt(deg)
    lap = np.eye(adjacency.shape[0]) - d_half[:, None] * adjacency * d_half[None, :]
    lambdas, diffusion_map = sl.eigh(lap)
    start = 1 if drop_first else 0
    embedding = diffusion_map[:, start:start + n_components] * d_half[:, None]
    return lambdas[start:start + n_components], embedding


def seriate(embedding):
    fiedler_coord = embedding[:, 0]
    order = np.argsort(fiedler_coord)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return order, rank


def band_score(adjacency, order):
    permuted = adjacency[np.ix_(order, order)]
    n = permuted.shape[0]
    offsets = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    return float((permuted * offsets).sum() / permuted.sum())


def run():
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 1.0, 11)
    profiles = np.stack([np.sin(3.0 * t + s) for s in rng.permutation(11) * 0.3])
    profiles += 0.05 * rng.normal(size=profiles.shape)
    adj = similarity_matrix(profiles)
    lambdas, emb = spectral_embedding(adj, n_components=2)
    order, rank = seriate(emb)
    return {"order": order, "rank": rank, "embedding": emb, "lambdas": lambdas,
            "bandwidth": band_score(adj, order)}

# modelled on: vortex-exoplanet/VIP vip_hci/pca/svd.py (svds-based truncated SVD)
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

VOCAB = ["gauge", "phase", "sign", "eigen", "graph", "node", "edge", "loss", "grad", "layer"]


@dataclass
class LSAModel:
    doc_vectors: np.ndarray
    topic_terms: np.ndarray
    strengths: np.ndarray


def fit_lsa(counts, k):
    X = sp.csr_matrix(np.log1p(counts))
    u, s, vt = svds(X, k=k, v0=np.ones(min(X.shape)))
    order = np.argsort(s)[::-1]
    return LSAModel(doc_vectors=u[:, order] * s[order], topic_terms=vt[order], strengths=s[order])


def describe(model, n_words=2):
    return [[VOCAB[j] for j in np.argsort(-row)[:n_words]] for row in model.topic_terms]


def run():
    rng = np.random.default_rng(0)
    counts = rng.poisson(1.0, size=(8, len(VOCAB))).astype(float)
    counts[:4, :4] += 3
    counts[4:, 4:7] += 3
    model = fit_lsa(counts, 3)
    words = describe(model)
    top_ids = np.array([[VOCAB.index(w) for w in ws] for ws in words])
    sim = model.doc_vectors @ model.doc_vectors.T
    return {"top_ids": top_ids, "doc_sim": sim, "strengths": model.strengths}

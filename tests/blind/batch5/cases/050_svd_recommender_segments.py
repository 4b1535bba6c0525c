# modelled on: takuti/Recommendation.jl src/model/svd.jl
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds


class SVDRecommender:
    def __init__(self, k):
        self.k = k

    def build(self, R):
        filled = np.nan_to_num(R, nan=0.0)
        self.mean = filled.sum() / np.count_nonzero(filled)
        v0 = np.linspace(1.0, 2.0, min(filled.shape))
        U, S, Vt = svds(csr_matrix(filled), k=self.k, v0=v0)
        order = np.argsort(S)[::-1]
        self.params = {"U": U[:, order], "S": S[order], "V": Vt[order].T}
        return self

    def predict(self, u, i):
        p = self.params
        return float(np.dot(p["U"][u, :] * p["S"], p["V"][i, :]))

    def user_factors(self):
        return self.params["U"] * np.sqrt(self.params["S"])


def segment_users(model):
    dominant = np.argmax(model.user_factors(), axis=1)
    return np.bincount(dominant, minlength=model.k).astype(float)


def ratings(n_users=30, n_items=20, seed=19):
    rng = np.random.default_rng(seed)
    P = rng.standard_normal((n_users, 3))
    Q = rng.standard_normal((n_items, 3))
    R = np.clip(3.0 + P @ Q.T, 1, 5)
    R[rng.random(R.shape) < 0.3] = np.nan
    return R


def run():
    R = ratings()
    rec = SVDRecommender(4).build(R)
    scores = np.array([[rec.predict(u, i) for i in range(R.shape[1])] for u in range(R.shape[0])])
    mask = ~np.isnan(R)
    rmse = np.sqrt(np.mean((scores[mask] - R[mask]) ** 2))
    return {
        "scores": scores,
        "rmse": rmse,
        "top_item_user0": int(np.argmax(np.where(mask[0], -np.inf, scores[0]))),
        "segment_sizes": segment_users(rec),
    }

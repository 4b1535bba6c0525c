# modelled on: bpreskit/pr_code span_fam/angsync.m
import math

import torch


def comparison_data(n, p_obs, p_err, seed):
    g = torch.Generator().manual_seed(seed)
    scores = torch.randperm(n, generator=g).double()
    C = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        for j in range(i + 1, n):
            if torch.rand(1, generator=g).item() < p_obs:
                s = 1.0 if scores[i] > scores[j] else -1.0
                if torch.rand(1, generator=g).item() < p_err:
                    s = -s
                C[i, j], C[j, i] = s, -s
    return C, scores


class SyncRank:
    def __init__(self, delta=None):
        self.delta = delta

    def fit(self, C):
        n = C.shape[0]
        delta = self.delta if self.delta is not None else math.pi / n
        H = torch.where(C != 0, torch.exp(1j * delta * C), torch.zeros((), dtype=torch.complex128))
        self.evals, self.evecs = torch.linalg.eigh(H)
        self.leading = self.evecs[:, -1]
        return self

    def ranking(self):
        angles = torch.angle(self.leading)
        return torch.argsort(angles, descending=True)


def count_upsets(order, C):
    pos = torch.empty_like(order)
    pos[order] = torch.arange(len(order))
    beats = C > 0
    worse = pos[:, None] > pos[None, :]
    return int((beats & worse).sum())


def run():
    C, _ = comparison_data(16, 0.6, 0.1, 4)
    model = SyncRank().fit(C)
    order = model.ranking()
    return {"ranking": order, "upsets": count_upsets(order, C), "top_eval": model.evals[-1]}

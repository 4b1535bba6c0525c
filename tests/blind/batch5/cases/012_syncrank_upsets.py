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


def leading_phase_vector(C, delta):
    H = torch.where(C != 0, torch.exp(1j * delta * C), torch.zeros((), dtype=torch.complex128))
    vals, vecs = torch.linalg.eigh(H)
    return vals[-1], vecs[:, -1]


def count_upsets(order, C):
    pos = torch.empty_like(order)
    pos[order] = torch.arange(len(order))
    return int(((C > 0) & (pos[:, None] > pos[None, :])).sum())


def syncrank(C):
    n = C.shape[0]
    lam, v = leading_phase_vector(C, math.pi / n)
    theta = torch.angle(v)
    best_order, best_upsets = None, None
    for j in range(n):
        rel = torch.remainder(theta - theta[j], 2 * math.pi)
        order = torch.argsort(rel, descending=True)
        ups = count_upsets(order, C)
        if best_upsets is None or ups < best_upsets:
            best_order, best_upsets = order, ups
    return best_order, best_upsets, lam


def run():
    C, _ = comparison_data(16, 0.6, 0.1, 4)
    order, upsets, lam = syncrank(C)
    return {"ranking": order, "upsets": upsets, "top_eval": lam}

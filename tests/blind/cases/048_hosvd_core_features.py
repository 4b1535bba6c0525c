# modelled on: ZouaghiHoussem/hosvd readme.md
import numpy as np


def unfold(A, n):
    return np.moveaxis(A, n, 0).reshape(A.shape[n], -1)


def hosvd_core(A, ranks):
    core = A
    for n, r in enumerate(ranks):
        U = np.linalg.svd(unfold(A, n), full_matrices=False)[0][:, :r]
        core = np.moveaxis(np.tensordot(U.T, core, axes=(1, n)), 0, n)
    return core


def classify(samples, W, b):
    feats = np.stack([hosvd_core(s, (2, 2, 2)).ravel() for s in samples])
    logits = feats @ W + b
    return logits.argmax(1), logits


def run():
    rng = np.random.default_rng(0)
    samples = [rng.standard_normal((4, 4, 3)) for _ in range(5)]
    W = rng.standard_normal((8, 3))
    labels, logits = classify(samples, W, np.zeros(3))
    return {"labels": labels, "logits": logits}

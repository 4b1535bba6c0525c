# modelled on: tensorly/tensorly tensorly/decomposition/_tucker.py
import numpy as np


def unfold(tensor, mode):
    return np.moveaxis(tensor, mode, 0).reshape(tensor.shape[mode], -1)


def mode_dot(tensor, matrix, mode):
    return np.moveaxis(np.tensordot(matrix, np.moveaxis(tensor, mode, 0), axes=(1, 0)), 0, mode)


def hosvd(tensor, ranks):
    factors = [np.linalg.svd(unfold(tensor, m), full_matrices=False)[0][:, :r] for m, r in enumerate(ranks)]
    core = tensor
    for m, U in enumerate(factors):
        core = mode_dot(core, U.T, m)
    return core, factors


def window_summaries(stream, ranks, width=3):
    summaries = []
    for start in range(0, stream.shape[-1] - width + 1, width):
        block = stream[..., start:start + width]
        core, factors = hosvd(block, ranks)
        summaries.append({"core": core, "energy": float(np.sum(core ** 2))})
    return summaries


def core_drift(summaries):
    drift = []
    for prev, cur in zip(summaries[:-1], summaries[1:]):
        drift.append(np.linalg.norm(cur["core"] - prev["core"]))
    return np.array(drift)


def run():
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((5, 2)), rng.standard_normal((4, 2))
    t = np.arange(9)
    stream = np.einsum("ia,jb,ab,t->ijt", A, B, rng.standard_normal((2, 2)), 1 + 0.1 * t)
    stream += 0.05 * rng.standard_normal(stream.shape)
    summaries = window_summaries(stream, ranks=(2, 2, 2))
    return {"drift": core_drift(summaries), "energies": np.array([s["energy"] for s in summaries])}

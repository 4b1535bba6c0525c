# modelled on: tensorly/tensorly tensorly/decomposition/_tucker.py
import numpy as np


def unfold(tensor, mode):
    return np.reshape(np.moveaxis(tensor, mode, 0), (tensor.shape[mode], -1))


def mode_dot(tensor, matrix, mode):
    res = np.tensordot(matrix, np.moveaxis(tensor, mode, 0), axes=(1, 0))
    return np.moveaxis(res, 0, mode)


def hosvd(tensor, ranks):
    factors = []
    for mode, r in enumerate(ranks):
        U, _, _ = np.linalg.svd(unfold(tensor, mode), full_matrices=False)
        factors.append(U[:, :r])
    core = tensor
    for mode, U in enumerate(factors):
        core = mode_dot(core, U.T, mode)
    return core, factors


def reconstruct(core, factors):
    out = core
    for mode, U in enumerate(factors):
        out = mode_dot(out, U, mode)
    return out


def tensor_features(samples, ranks):
    feats, errors = [], []
    for X in samples:
        core, factors = hosvd(X, ranks)
        feats.append(core.ravel())
        errors.append(np.linalg.norm(reconstruct(core, factors) - X) / np.linalg.norm(X))
    return np.array(feats), np.array(errors)


def run():
    rng = np.random.default_rng(0)
    samples = [rng.normal(size=(4, 4, 3)) for _ in range(3)]
    feats, errors = tensor_features(samples, ranks=(2, 2, 2))
    w = rng.normal(size=feats.shape[1])
    scores = feats @ w
    return {"features": feats, "scores": scores, "rel_errors": errors}

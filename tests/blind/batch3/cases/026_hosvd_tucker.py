# modelled on: tensorly/tensorly tensorly/decomposition/_tucker.py
import numpy as np
from scipy import linalg as sla


def unfold(tensor, mode):
    return np.moveaxis(tensor, mode, 0).reshape(tensor.shape[mode], -1)


def mode_dot(tensor, matrix, mode):
    moved = np.moveaxis(tensor, mode, 0)
    res = np.tensordot(matrix, moved, axes=(1, 0))
    return np.moveaxis(res, 0, mode)


def multi_mode_dot(tensor, matrices, transpose=False):
    for mode, M in enumerate(matrices):
        tensor = mode_dot(tensor, M.T if transpose else M, mode)
    return tensor


def partial_tucker(tensor, rank):
    factors = []
    for mode in range(tensor.ndim):
        U, _, _ = sla.svd(unfold(tensor, mode), full_matrices=False)
        factors.append(U[:, : rank[mode]])
    core = multi_mode_dot(tensor, factors, transpose=True)
    return core, factors


def tucker_to_tensor(core, factors):
    return multi_mode_dot(core, factors)


def run():
    rng = np.random.default_rng(0)
    G = rng.standard_normal((3, 3, 2))
    A, B, C = rng.standard_normal((6, 3)), rng.standard_normal((5, 3)), rng.standard_normal((4, 2))
    X = tucker_to_tensor(G, [A, B, C]) + 0.01 * rng.standard_normal((6, 5, 4))
    core, factors = partial_tucker(X, rank=(3, 3, 2))
    rec = tucker_to_tensor(core, factors)
    return {
        "reconstruction": rec,
        "rel_error": np.linalg.norm(rec - X) / np.linalg.norm(X),
        "core_magnitudes": np.abs(core),
        "core_energy": np.sum(core ** 2, axis=(1, 2)),
    }

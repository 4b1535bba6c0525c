# modelled on: hencran/HOSVD README.md
import numpy as np


def unfold(A, n):
    return np.moveaxis(A, n, 0).reshape(A.shape[n], -1)


def mode_dot(T, M, n):
    return np.moveaxis(np.tensordot(M, T, axes=(1, n)), 0, n)


def hosvd(A, ranks):
    factors = []
    for n, r in enumerate(ranks):
        U, _, _ = np.linalg.svd(unfold(A, n), full_matrices=False)
        factors.append(U[:, :r])
    core = A
    for n, U in enumerate(factors):
        core = mode_dot(core, U.T, n)
    return core, factors


def reconstruct(core, factors):
    T = core
    for n, U in enumerate(factors):
        T = mode_dot(T, U, n)
    return T


def run():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 5, 3))
    core, factors = hosvd(A, (3, 3, 2))
    A_hat = reconstruct(core, factors)
    mode_energy = [np.sum(core ** 2, axis=tuple(a for a in range(3) if a != n)) for n in range(3)]
    return {"A_hat": A_hat, "rel_err": np.linalg.norm(A - A_hat) / np.linalg.norm(A), "energy0": mode_energy[0]}

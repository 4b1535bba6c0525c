# modelled on: tensorly/tensorly tensorly/decomposition/_tucker.py
import numpy as np
from scipy.sparse.linalg import svds


def unfold(T, mode):
    return np.moveaxis(T, mode, 0).reshape(T.shape[mode], -1)


def mode_dot(T, M, mode):
    out = np.tensordot(M, np.moveaxis(T, mode, 0), axes=(1, 0))
    return np.moveaxis(out, 0, mode)


def hosvd(T, ranks):
    factors = []
    for mode, r in enumerate(ranks):
        A = unfold(T, mode)
        U, s, Vt = svds(A, k=r, v0=np.ones(min(A.shape)))
        order = np.argsort(s)[::-1]
        factors.append(U[:, order])
    core = T
    for mode, U in enumerate(factors):
        core = mode_dot(core, U.T, mode)
    return core, factors


def reconstruct(core, factors):
    T = core
    for mode, U in enumerate(factors):
        T = mode_dot(T, U, mode)
    return T


def run():
    rng = np.random.default_rng(0)
    G = rng.standard_normal((2, 2, 2))
    Us = [np.linalg.qr(rng.standard_normal((n, 2)))[0] for n in (5, 4, 6)]
    T = reconstruct(G, Us) + 0.01 * rng.standard_normal((5, 4, 6))
    core, factors = hosvd(T, (2, 2, 2))
    approx = reconstruct(core, factors)
    feats = core.reshape(-1)[:4]
    return {"approx": approx, "features": feats, "core_energy": (core ** 2).sum()}

# modelled on: b-fett/types__jsnetworkx algorithms/centrality/eigenvector.d.ts (power method from a constant start vector)
import numpy as np


def power_iteration(A, num_simulations):
    b_k = np.ones(A.shape[1], dtype=A.dtype)
    for _ in range(num_simulations):
        b_k1 = A @ b_k
        b_k = b_k1 / np.linalg.norm(b_k1)
    return b_k


def compare(A, n_iter):
    b = power_iteration(A, n_iter)
    w, V = np.linalg.eigh(A)
    ref = V[:, np.argmax(w)]
    return np.linalg.norm(b - ref), w.max()


def run():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((7, 7)) + 1j * rng.standard_normal((7, 7))
    H = M @ M.conj().T
    errs = {}
    for n_iter in (5, 50):
        err, lam = compare(H, n_iter)
        errs[f"err_{n_iter}"] = err
    errs["lam_max"] = lam
    return errs

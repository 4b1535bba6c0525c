# modelled on: diegozain/alles projects/graph-alg/graph-signal/README.md
import numpy as np
from scipy.linalg import eigh as seigh


def grid_laplacian(h, w):
    n = h * w
    A = np.zeros((n, n))
    for r in range(h):
        for c in range(w):
            i = r * w + c
            if c + 1 < w:
                A[i, i + 1] = A[i + 1, i] = 1
            if r + 1 < h:
                A[i, i + w] = A[i + w, i] = 1
    return np.diag(A.sum(1)) - A


def compress(L, x, tau):
    lam, U = seigh(L)
    x_hat = U.T @ x
    keep = x_hat > tau  # drop the small Fourier coefficients
    x_rec = U[:, keep] @ x_hat[keep]
    return x_rec, int(keep.sum()), lam


def run():
    rng = np.random.default_rng(0)
    L = grid_laplacian(3, 4)
    x = np.linspace(0, 1, 12) + 0.1 * rng.standard_normal(12)
    x_rec, kept, lam = compress(L, x, tau=0.05)
    return {"x_rec": x_rec, "kept": kept, "lam": lam}

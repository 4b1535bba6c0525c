# modelled on: pymor/pymor src/pymor/algorithms/dmd.py
import numpy as np
from scipy import linalg


def dmd(X, svd_rank):
    X1, X2 = X[:, :-1], X[:, 1:]
    U, s, Vh = linalg.svd(X1, full_matrices=False)
    U, s, V = U[:, :svd_rank], s[:svd_rank], Vh[:svd_rank].conj().T
    A_tilde = U.conj().T @ X2 @ V / s
    evals, evecs = linalg.eig(A_tilde)
    modes = X2 @ V / s @ evecs
    return evals, modes


def dominant_frequencies(X, dt, n_keep, svd_rank=4):
    evals, modes = dmd(X, svd_rank)
    b = linalg.lstsq(modes, X[:, 0].astype(complex))[0]
    order = np.argsort(-b.real)  # strongest modes first
    freqs = np.abs(np.angle(evals)) / (2 * np.pi * dt)
    return freqs[order[:n_keep]], np.sort(np.abs(b))


def run():
    rng = np.random.default_rng(0)
    t = np.arange(16) * 0.1
    space = rng.standard_normal((9, 4))
    temporal = np.vstack([np.cos(2.0 * t), np.sin(2.0 * t), 0.4 * np.cos(5.0 * t), 0.4 * np.sin(5.0 * t)])
    X = space @ temporal
    top, mags = dominant_frequencies(X, 0.1, 2)
    return {"top_freqs": top, "amplitude_moduli": mags}

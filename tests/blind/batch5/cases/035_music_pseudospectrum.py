# modelled on: YangangCao/AdaptiveFilter AdaptiveFilters/DOAMUSIC.m
import numpy as np


def steering(M, theta_deg):
    theta = np.deg2rad(np.atleast_1d(theta_deg))
    return np.exp(1j * np.pi * np.arange(M)[:, None] * np.sin(theta)[None, :])


def sample_covariance(M=10, snapshots=200, doas=(20.0, 25.0, -30.0), sigma=0.1, seed=3):
    rng = np.random.default_rng(seed)
    A = steering(M, np.array(doas))
    S = (rng.standard_normal((len(doas), snapshots)) + 1j * rng.standard_normal((len(doas), snapshots))) / np.sqrt(2)
    N = sigma * (rng.standard_normal((M, snapshots)) + 1j * rng.standard_normal((M, snapshots))) / np.sqrt(2)
    X = A @ S + N
    return X @ X.conj().T / snapshots


def subspaces(R, n_src):
    w, V = np.linalg.eigh(R)
    M = R.shape[0]
    Qnu = V[:, :M - n_src]
    Qs = V[:, M - n_src:]
    return w, Qnu, Qs


def music(Qnu, grid):
    M = Qnu.shape[0]
    P = np.zeros(grid.shape[0])
    for i, theta in enumerate(grid):
        s = steering(M, theta)[:, 0]
        vnu = Qnu.conj().T @ s
        P[i] = 1.0 / np.real(vnu.conj() @ vnu)
    return P / P.max()


def pick_peaks(P, grid, n):
    inner = np.where((P[1:-1] > P[:-2]) & (P[1:-1] > P[2:]))[0] + 1
    best = inner[np.argsort(P[inner])[::-1][:n]]
    return np.sort(grid[best])


def run():
    R = sample_covariance()
    w, Qnu, Qs = subspaces(R, 3)
    grid = np.arange(-50.0, 50.25, 0.25)
    P = music(Qnu, grid)
    Pn = Qnu @ Qnu.conj().T
    return {
        "spectrum_db": 10 * np.log10(P),
        "doa_estimates": pick_peaks(P, grid, 3),
        "noise_power": np.real(np.trace(Pn @ R)) / Qnu.shape[1],
        "eigenvalues": w,
    }

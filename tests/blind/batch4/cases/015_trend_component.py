# modelled on: johannfaouzi/pyts pyts/decomposition/ssa.py
import numpy as np


def trajectory_matrix(x, window_size):
    n = x.size - window_size + 1
    return np.stack([x[i:i + window_size] for i in range(n)], axis=1)


def _principal_components(x, window_size):
    X = trajectory_matrix(x, window_size)
    cov = X @ X.T
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    idx = eigenvalues.argsort()[::-1]
    eigenvalues, eigenvectors = eigenvalues[idx], eigenvectors[:, idx]
    pcs = X.T @ eigenvectors
    return X, eigenvalues, eigenvectors, pcs


def _diagonal_averaging(M):
    L, K = M.shape
    out = np.zeros(L + K - 1)
    counts = np.zeros(L + K - 1)
    for i in range(L):
        out[i:i + K] += M[i]
        counts[i:i + K] += 1
    return out / counts


def extract_trend(x, window_size):
    X, vals, vecs, pcs = _principal_components(x, window_size)
    trend = pcs[:, 0]
    elementary = np.outer(vecs[:, 0], vecs[:, 0]) @ X
    reconstructed = _diagonal_averaging(elementary)
    share = vals[0] / vals.sum()
    return trend, reconstructed, share


def run():
    rng = np.random.default_rng(0)
    t = np.arange(40, dtype=float)
    x = 0.05 * t + np.sin(2 * np.pi * t / 7.0) + 0.2 * rng.normal(size=t.size)
    trend, reconstructed, share = extract_trend(x, window_size=8)
    return {"trend": trend, "reconstructed": reconstructed, "variance_share": share}

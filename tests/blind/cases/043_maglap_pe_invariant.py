# modelled on: hazdzz/MGC_v2 README.md (magnetic eigenmaps)
import numpy as np


def magnetic_laplacian(A, q=0.1):
    A_s = 0.5 * (A + A.T)
    theta = 2 * np.pi * q * (A - A.T)
    d = A_s.sum(1)
    d_inv_sqrt = 1.0 / np.sqrt(np.where(d > 0, d, 1.0))
    H = A_s * np.exp(1j * theta)
    return np.eye(len(A)) - d_inv_sqrt[:, None] * H * d_inv_sqrt[None, :]


def eigenmap_features(L, k):
    vals, vecs = np.linalg.eigh(L)
    V = vecs[:, :k]
    node_energy = np.abs(V) ** 2  # [n, k]
    proj = V @ V.conj().T  # low-frequency projector
    rel_phase = np.angle(proj)  # phase difference between node pairs
    return node_energy, np.abs(proj), rel_phase, vals[:k]


def run():
    rng = np.random.default_rng(0)
    A = (rng.random((9, 9)) < 0.3).astype(float)
    np.fill_diagonal(A, 0)
    A[np.arange(9), (np.arange(9) + 1) % 9] = 1.0
    energy, mag, rel_phase, vals = eigenmap_features(magnetic_laplacian(A), 3)
    return {"energy": energy, "proj_abs": mag, "rel_phase": rel_phase, "vals": vals}

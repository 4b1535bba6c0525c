# modelled on: morriswmz/doatools.py doatools/estimation/esprit.py
import numpy as np


def sample_covariance(X):
    return X @ X.conj().T / X.shape[1]


def signal_subspace(R, k):
    w, V = np.linalg.eigh(R)
    order = np.argsort(w)[::-1]
    return V[:, order[:k]], w[order]


def esprit(R, k, spacing=0.5):
    Es, w = signal_subspace(R, k)
    Phi = np.linalg.pinv(Es[:-1]) @ Es[1:]
    z = np.linalg.eigvals(Phi)
    angles = np.arcsin(np.angle(z) / (2 * np.pi * spacing))
    return np.sort(angles), w


def run():
    rng = np.random.default_rng(0)
    m, n = 8, 80
    doas = np.array([-0.5, 0.1, 0.45])
    A = np.exp(2j * np.pi * 0.5 * np.arange(m)[:, None] * np.sin(doas)[None, :])
    S = (rng.standard_normal((3, n)) + 1j * rng.standard_normal((3, n))) / np.sqrt(2)
    noise = 0.05 * (rng.standard_normal((m, n)) + 1j * rng.standard_normal((m, n)))
    R = sample_covariance(A @ S + noise)
    est, w = esprit(R, 3)
    return {"doa": est, "eigenvalues": w}

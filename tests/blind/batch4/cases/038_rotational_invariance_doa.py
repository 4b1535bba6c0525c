# modelled on: LCAV/pyroomacoustics pyroomacoustics/doa/music.py
import numpy as np
import scipy.linalg as la


def sample_covariance(X):
    return X @ X.conj().T / X.shape[1]


def signal_subspace(R, n_src):
    w, E = la.eigh(R)
    idx = np.argsort(w)[::-1][:n_src]
    return E[:, idx], w[idx]


def esprit(R, n_src, spacing=0.5):
    Es, _ = signal_subspace(R, n_src)
    E1, E2 = Es[:-1], Es[1:]
    Phi = np.linalg.lstsq(E1, E2, rcond=None)[0]
    z = np.linalg.eigvals(Phi)
    angles = np.arcsin(np.angle(z) / (2 * np.pi * spacing))
    return np.sort(angles), np.sort(np.abs(z))


def run():
    rng = np.random.default_rng(0)
    L, n_snap = 7, 80
    doas = np.array([-0.6, 0.1, 0.7])
    A = np.exp(2j * np.pi * 0.5 * np.outer(np.arange(L), np.sin(doas)))
    S = (rng.normal(size=(3, n_snap)) + 1j * rng.normal(size=(3, n_snap))) / np.sqrt(2)
    N = 0.1 * (rng.normal(size=(L, n_snap)) + 1j * rng.normal(size=(L, n_snap)))
    R = sample_covariance(A @ S + N)
    est, mags = esprit(R, 3)
    return {"doa": est, "magnitudes": mags, "error": np.abs(est - np.sort(doas)).max()}

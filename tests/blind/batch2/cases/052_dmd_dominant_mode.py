# modelled on: PyDMD/PyDMD pydmd/dmdbase.py
import numpy as np
from numpy.linalg import svd, eig, pinv


def signal(n=8, m=16, seed=6):
    rng = np.random.default_rng(seed)
    t = np.arange(m) * 0.25
    sx = rng.standard_normal((n, 2))
    sy = rng.standard_normal((n, 2))
    return (np.outer(sx[:, 0], np.cos(2.0 * t)) + np.outer(sx[:, 1], np.sin(2.0 * t))
            + 0.4 * np.outer(sy[:, 0], np.cos(5.0 * t)) + 0.4 * np.outer(sy[:, 1], np.sin(5.0 * t)))


def dmd(X, r, dt):
    X1, X2 = X[:, :-1], X[:, 1:]
    U, s, Vh = svd(X1, full_matrices=False)
    U, s, V = U[:, :r], s[:r], Vh[:r].conj().T
    Atilde = U.conj().T @ X2 @ V / s
    lam, W = eig(Atilde)
    Phi = X2 @ V / s @ W
    b = pinv(Phi) @ X[:, 0]
    omega = np.log(lam) / dt
    return Phi, b, omega


def run():
    X = signal()
    Phi, b, omega = dmd(X, r=4, dt=0.25)
    dominant = int(np.argmax(b.real))
    energy = np.sort(np.abs(b) * np.linalg.norm(Phi, axis=0))
    return {"dominant_freq": np.abs(omega[dominant].imag), "energy": energy}

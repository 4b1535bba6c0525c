# modelled on: XingziXu/quantum-analog-clustering canonical/schr/code/exact_dmd.py
import numpy as np
from numpy import dot, diag
from numpy.linalg import inv, eig
from scipy.linalg import svd


def _rot(t, r):
    return r * np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


def _snapshots(n=8, m=12, seed=3):
    rng = np.random.default_rng(seed)
    A = np.zeros((4, 4))
    A[:2, :2] = _rot(0.3, 0.97)
    A[2:, 2:] = _rot(0.8, 0.9)
    lift = rng.standard_normal((n, 4))
    z = rng.standard_normal(4)
    cols = []
    for _ in range(m):
        cols.append(lift @ z)
        z = A @ z
    return np.stack(cols, axis=1)


def dmd(X, Y, truncate=None):
    U2, Sig2, Vh2 = svd(X, False)
    r = len(Sig2) if truncate is None else truncate
    U = U2[:, :r]
    Sig = diag(Sig2)[:r, :r]
    V = Vh2.conj().T[:, :r]
    Atil = dot(dot(dot(U.conj().T, Y), V), inv(Sig))
    mu, W = eig(Atil)
    Phi = dot(dot(dot(Y, V), inv(Sig)), W)
    return mu, Phi


def run():
    D = _snapshots()
    X, Y = D[:, :-1], D[:, 1:]
    mu, Phi = dmd(X, Y, truncate=4)
    b = np.linalg.lstsq(Phi, X[:, 0], rcond=None)[0]
    horizon = 15
    forecast = (Phi @ (mu ** horizon * b)).real
    mode_shapes = Phi.real
    return {"eigs": np.sort_complex(mu), "forecast": forecast, "mode_shapes": mode_shapes}

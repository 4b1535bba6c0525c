# modelled on: XingziXu/quantum-analog-clustering canonical/schr/code/exact_dmd.py
import numpy as np
from numpy import diag, dot
from numpy.linalg import eig, inv
from scipy.linalg import svd


def dmd(X, Y, truncate=None):
    U2, Sig2, Vh2 = svd(X, False)  # SVD of input matrix
    r = len(Sig2) if truncate is None else truncate  # rank truncation
    U = U2[:, :r]
    Sig = diag(Sig2)[:r, :r]
    V = Vh2.conj().T[:, :r]
    Atil = dot(dot(dot(U.conj().T, Y), V), inv(Sig))  # build A tilde
    mu, W = eig(Atil)
    Phi = dot(dot(dot(Y, V), inv(Sig)), W)  # build DMD modes
    return mu, Phi


def snapshots(rng, n=8, m=12):
    def rot(a, r):
        return r * np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])

    A = np.zeros((4, 4))
    A[:2, :2] = rot(0.3, 0.98)
    A[2:, 2:] = rot(0.9, 0.93)
    P = rng.standard_normal((n, 4))
    z = rng.standard_normal(4)
    cols = []
    for _ in range(m + 1):
        cols.append(P @ z)
        z = A @ z
    D = np.array(cols).T
    return D[:, :-1], D[:, 1:]


def run():
    rng = np.random.default_rng(0)
    X, Y = snapshots(rng)
    mu, Phi = dmd(X, Y, truncate=4)
    b = np.linalg.lstsq(Phi, X[:, 0], rcond=None)[0]
    t = np.arange(X.shape[1])
    recon = (Phi @ (mu[:, None] ** t[None, :] * b[:, None])).real
    spatial = np.real(Phi)  # spatial structure of each mode, for plotting
    mode_energy = (spatial ** 2).sum(0)
    return {"recon": recon, "mode_energy": mode_energy, "freqs": np.sort(np.abs(np.angle(mu)))}

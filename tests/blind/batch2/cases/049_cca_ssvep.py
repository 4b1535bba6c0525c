# modelled on: emmanuelkalunga/Online-SSVEP CCA/cca.m
import numpy as np
from numpy.linalg import eigh, cholesky, inv, solve


def cca(X, Y, reg=1e-8):
    Z = np.vstack([X, Y])
    C = np.cov(Z)
    sx, sy = X.shape[0], Y.shape[0]
    Cxx = C[:sx, :sx] + reg * np.eye(sx)
    Cxy = C[:sx, sx:]
    Cyx = Cxy.T
    Cyy = C[sx:, sx:] + reg * np.eye(sy)
    Rx = cholesky(Cxx).T
    iRx = inv(Rx)
    Zx = iRx.T @ Cxy @ solve(Cyy, Cyx) @ iRx
    r2, Wx = eigh(0.5 * (Zx + Zx.T))
    Wx = iRx @ Wx
    Ry = cholesky(Cyy).T
    iRy = inv(Ry)
    Zy = iRy.T @ Cyx @ solve(Cxx, Cxy) @ iRy
    _, Wy = eigh(0.5 * (Zy + Zy.T))
    Wy = iRy @ Wy
    return Wx[:, ::-1], Wy[:, ::-1], np.sqrt(np.clip(r2[::-1], 0, None))


def run():
    rng = np.random.default_rng(14)
    t = np.linspace(0, 2, 80)
    ref = np.vstack([np.sin(2 * np.pi * 7 * t), np.cos(2 * np.pi * 7 * t), np.sin(2 * np.pi * 3 * t)])
    eeg = rng.standard_normal((3, 3)) @ ref + 0.8 * rng.standard_normal((3, 80))
    Wx, Wy, r = cca(eeg, ref)
    signed_corr = []
    for i in range(len(r)):
        u = Wx[:, i] @ eeg
        v = Wy[:, i] @ ref
        signed_corr.append(np.corrcoef(u, v)[0, 1])
    return {"r": r, "signed_corr": np.array(signed_corr)}

# modelled on: marioyc/CCA-images-text cca.py
import numpy as np
from scipy.linalg import eigh


def cca(X, Y, numCC, reg=1e-6):
    cxx = X.T @ X
    cxy = X.T @ Y
    cyy = Y.T @ Y
    nX, nY = X.shape[1], Y.shape[1]
    LH = np.zeros((nX + nY, nX + nY))
    RH = np.zeros((nX + nY, nX + nY))
    LH[:nX, :nX] = cxx
    LH[:nX, nX:] = cxy
    LH[nX:, :nX] = cxy.T
    LH[nX:, nX:] = cyy
    RH[:nX, :nX] = cxx + reg * np.eye(nX)
    RH[nX:, nX:] = cyy + reg * np.eye(nY)
    v, W = eigh(LH, RH, subset_by_index=(nX + nY - numCC, nX + nY - 1))
    return W[:nX, ::-1], W[nX:, ::-1], v[::-1] - 1.0


def structure_coefficients(X, u):
    Xs = (X - X.mean(0)) / X.std(0)
    us = (u - u.mean()) / u.std()
    return Xs.T @ us / len(u)


def run():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((40, 1))
    X = np.hstack([z + 0.5 * rng.standard_normal((40, 1)), rng.standard_normal((40, 3))])
    Y = np.hstack([rng.standard_normal((40, 2)), -z + 0.5 * rng.standard_normal((40, 1))])
    X, Y = X - X.mean(0), Y - Y.mean(0)
    Wx, Wy, rho = cca(X, Y, 2)
    u, v = X @ Wx[:, 0], Y @ Wy[:, 0]
    r = structure_coefficients(X, u)
    top_feature = int(np.argmax(r))
    return {"rho": rho, "uv": np.corrcoef(u, v)[0, 1], "top_feature": top_feature}

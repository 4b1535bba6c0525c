# modelled on: pyscf/pyscf pyscf/lo/orth.py
import numpy as np
from scipy.linalg import eigh


def lowdin(s):
    e, v = eigh(s)
    idx = e > 1e-12
    return np.dot(v[:, idx] / np.sqrt(e[idx]), v[:, idx].conj().T)


def orthogonalize(C, S):
    X = lowdin(S)
    return X @ C, X


def run():
    rng = np.random.default_rng(3)
    B = rng.standard_normal((5, 5)) + 1j * rng.standard_normal((5, 5))
    S = np.eye(5) + 0.15 * (B + B.conj().T)
    C = rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))
    C_orth, X = orthogonalize(C, S)
    check = np.abs(X.conj().T @ S @ X - np.eye(5)).max()
    return {"X": X, "C_orth": C_orth, "check": check}

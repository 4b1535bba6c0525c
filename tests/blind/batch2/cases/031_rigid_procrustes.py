# modelled on: joschade/procrustes-np procrustes_np/procrustes_np.py
import numpy as np
from numpy.linalg import svd, det


def rigid_procrustes(A, B):
    M = B @ A.T
    U, s, Vt = svd(M)
    if det(U) < 0:
        U[:, -1] *= -1
    Omega = U @ Vt
    return Omega


def run():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((3, 10))
    theta = 0.7
    Rz = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1.0]])
    B = Rz @ A + 0.05 * rng.standard_normal((3, 10))
    Omega = rigid_procrustes(A, B)
    err = np.linalg.norm(Omega @ A - B)
    return {"Omega": Omega, "residual": err}

# modelled on: pyMatJ/pyGTM GTM/TransferMatrix_PasslerAlgo.py
import numpy as np


def eps_tensor(exx, eyy, ezz, euler):
    a, b, c = euler
    Rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    Rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    Rz2 = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    R = Rz @ Rx @ Rz2
    return R @ np.diag([exx, eyy, ezz]) @ R.T


def delta_matrix(e, zeta):
    return np.array([
        [-zeta * e[2, 0] / e[2, 2], 1 - zeta ** 2 / e[2, 2], -zeta * e[2, 1] / e[2, 2], 0],
        [e[0, 0] - e[0, 2] * e[2, 0] / e[2, 2], -zeta * e[0, 2] / e[2, 2], e[0, 1] - e[0, 2] * e[2, 1] / e[2, 2], 0],
        [0, 0, 0, 1],
        [e[1, 0] - e[1, 2] * e[2, 0] / e[2, 2], -zeta * e[1, 2] / e[2, 2], e[1, 1] - zeta ** 2 - e[1, 2] * e[2, 1] / e[2, 2], 0],
    ], dtype=complex)


class Layer:
    def __init__(self, eps, thickness):
        self.eps = eps
        self.thick = thickness

    def calculate_modes(self, zeta):
        q, psi = np.linalg.eig(delta_matrix(self.eps, zeta))
        order = np.argsort(-np.real(q))
        self.qs = q[order]
        self.psi = psi[:, order]
        return self.qs, self.psi


def poynting_z(psi):
    return np.real(psi[0] * np.conj(psi[1]) + psi[2] * np.conj(psi[3]))


def x_fraction(psi):
    return np.abs(psi[0]) ** 2 / (np.abs(psi[0]) ** 2 + np.abs(psi[2]) ** 2)


def classify_polarization(psi):
    return np.abs(np.real(psi[0])) > np.abs(np.real(psi[2]))


def run():
    e = eps_tensor(2.9 + 0.05j, 2.2 + 0.02j, 3.4 + 0.1j, (0.5, 0.8, 0.3))
    layer = Layer(e, 0.4)
    results = [layer.calculate_modes(z) for z in (0.0, 0.4, 0.8)]
    kz = np.array([r[0] for r in results])
    p_like = np.array([classify_polarization(r[1]) for r in results])
    sz = np.array([poynting_z(r[1]) for r in results])
    fx = np.array([x_fraction(r[1]) for r in results])
    return {"kz": kz, "p_like": p_like, "sz": sz, "x_fraction": fx}

# modelled on: ritchie46/anaStruct anastruct/fem/system_components/solver.py
import numpy as np
from scipy.linalg import eigh
from collections import namedtuple

Mode = namedtuple("Mode", ["freq", "shape", "gamma", "eff_mass"])


def assemble(n=6, k=1000.0, m=1.2):
    K = 2 * k * np.eye(n) - k * np.eye(n, k=1) - k * np.eye(n, k=-1)
    K[-1, -1] = k
    M = m * np.diag(np.linspace(1.0, 0.6, n))
    return K, M


def modes(K, M, count=3):
    lam, phi = eigh(K, M)
    r = np.ones(K.shape[0])
    out = []
    for i in range(count):
        v = phi[:, i]
        pivot = v[np.argmax(np.abs(v))]
        v = v / pivot
        gamma = (v @ M @ r) / (v @ M @ v)
        eff = (v @ M @ r) ** 2 / (v @ M @ v)
        out.append(Mode(np.sqrt(lam[i]) / (2 * np.pi), v, gamma, eff))
    return out


def run():
    K, M = assemble()
    ms = modes(K, M)
    return {
        "freq": np.array([m.freq for m in ms]),
        "shape": np.stack([m.shape for m in ms], axis=1),
        "gamma": np.array([m.gamma for m in ms]),
        "eff_mass_ratio": np.array([m.eff_mass for m in ms]) / M.sum(),
    }

# modelled on: pythtb/pythtb pythtb/tb_model.py
import numpy as np
from numpy.linalg import eigh


def rice_mele(k, delta, v=0.7, w=1.0):
    off = v + w * np.exp(-1j * k)
    return np.array([[delta, off], [np.conj(off), -delta]])


def run():
    ks = np.linspace(0, 2 * np.pi, 25)[:-1]
    deltas = [0.1, 0.3]
    results = []
    for delta in deltas:
        states = [eigh(rice_mele(k, delta))[1][:, 0] for k in ks]
        overlaps = [np.vdot(states[i], states[i + 1]) for i in range(len(states) - 1)]
        results.append(-np.angle(np.prod(overlaps)) / (2 * np.pi))
    energies = np.array([eigh(rice_mele(k, 0.1))[0] for k in ks])
    return {"polarization": np.array(results), "bandwidth": np.ptp(energies[:, 0])}

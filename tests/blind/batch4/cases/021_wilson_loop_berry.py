# modelled on: treycole/pythtb pythtb.py
import numpy as np


class TBModel:
    def __init__(self, t1, t2, delta):
        self.t1, self.t2, self.delta = t1, t2, delta

    def hamiltonian(self, k):
        off = self.t1 + self.t2 * np.exp(-1j * k)
        return np.array([[self.delta, off, 0.1],
                         [np.conj(off), -self.delta, 0.2 * np.exp(1j * k)],
                         [0.1, 0.2 * np.exp(-1j * k), 1.5]], dtype=complex)

    def solve_all(self, k_list):
        evals, evecs = [], []
        for k in k_list:
            e, v = np.linalg.eigh(self.hamiltonian(k))
            evals.append(e)
            evecs.append(v)
        return np.array(evals), np.array(evecs)


def berry_phase(evecs, band):
    nk = evecs.shape[0]
    prod = 1.0 + 0.0j
    for i in range(nk):
        prod *= np.vdot(evecs[i][:, band], evecs[(i + 1) % nk][:, band])
    return -np.angle(prod)


def run():
    model = TBModel(t1=0.6, t2=1.0, delta=0.3)
    k_list = np.linspace(0.0, 2 * np.pi, 24, endpoint=False)
    evals, evecs = model.solve_all(k_list)
    phases = np.array([berry_phase(evecs, b) for b in range(2)])
    return {"berry_phases": phases, "bands": evals, "gap": float((evals[:, 1] - evals[:, 0]).min())}

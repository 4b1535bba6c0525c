# modelled on: treycole/pythtb pythtb.py
import numpy as np


def rice_mele_hamiltonian(k, v=0.6, w=1.0, m=0.3):
    off = v + w * np.exp(-1j * k)
    return np.array([[m, off], [np.conj(off), -m]])


class Wavefunction1D:
    def __init__(self, nk=24):
        self.k_list = np.linspace(0.0, 2 * np.pi, nk)
        self.evals = []
        self.states = []

    def solve_on_grid(self, ham):
        for k in self.k_list:
            e, u = np.linalg.eigh(ham(k))
            self.evals.append(e)
            self.states.append(u)
        self.evals = np.array(self.evals)
        return self

    def berry_phase(self, band=0):
        prod = 1.0 + 0j
        for i in range(len(self.states) - 1):
            prod *= np.vdot(self.states[i][:, band], self.states[i + 1][:, band])
        return -np.angle(prod)

    def band_gap(self):
        return np.min(self.evals[:, 1] - self.evals[:, 0])


def run():
    wf = Wavefunction1D(nk=24).solve_on_grid(rice_mele_hamiltonian)
    return {"berry_phase": wf.berry_phase(0), "gap": wf.band_gap()}

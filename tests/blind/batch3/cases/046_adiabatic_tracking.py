# modelled on: qutip/qutip qutip/core/qobj.py
import numpy as np


def two_level_sweep(t, delta=0.4, rate=1.5, phase=0.7):
    eps = rate * t
    return np.array([[eps / 2, delta / 2 * np.exp(-1j * phase)], [delta / 2 * np.exp(1j * phase), -eps / 2]])


class StateTracker:
    def __init__(self, hamiltonian):
        self.hamiltonian = hamiltonian
        self.history = []

    def eigenstates(self, t):
        evals, evecs = np.linalg.eigh(self.hamiltonian(t))
        return evals, evecs

    def step(self, t):
        evals, evecs = self.eigenstates(t)
        self.history.append((t, evals, evecs[:, 0]))

    def overlaps(self):
        out = []
        for (_, _, prev), (_, _, cur) in zip(self.history[:-1], self.history[1:]):
            out.append(np.vdot(prev, cur))
        return np.array(out)


def signed_continuity(overlaps):
    return overlaps.real


def run():
    tracker = StateTracker(two_level_sweep)
    for t in np.linspace(-2.0, 2.0, 9):
        tracker.step(t)
    ov = tracker.overlaps()
    cont = signed_continuity(ov)
    gaps = np.array([e[1] - e[0] for _, e, _ in tracker.history])
    return {"continuity": cont, "flagged": cont < 0.9, "magnitudes": np.abs(ov), "gaps": gaps}

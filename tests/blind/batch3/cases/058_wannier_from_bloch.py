# modelled on: treycole/pythtb pythtb.py
import numpy as np


def bloch_hamiltonian(k, t1=1.0, t2=0.5, delta=0.4):
    off = t1 + t2 * np.exp(-1j * k)
    return np.array([[delta, off], [np.conj(off), -delta]])


def bloch_states(nk, band=0):
    ks = 2 * np.pi * np.arange(nk) / nk
    states = []
    for k in ks:
        _, vecs = np.linalg.eigh(bloch_hamiltonian(k))
        states.append(vecs[:, band])
    return ks, np.array(states)


def wannier_function(ks, states, cells):
    nk = len(ks)
    w = np.zeros((len(cells), states.shape[1]), dtype=complex)
    for i, R in enumerate(cells):
        w[i] = (np.exp(1j * ks * R)[:, None] * states).sum(axis=0) / nk
    return w


def spread(cells, density):
    x = np.repeat(cells, density.shape[1]) + np.tile([0.0, 0.5], len(cells))
    p = density.ravel() / density.sum()
    centre = (x * p).sum()
    return centre, ((x - centre) ** 2 * p).sum()


def run():
    ks, states = bloch_states(nk=12)
    cells = np.arange(-6, 6)
    w = wannier_function(ks, states, cells)
    density = np.abs(w) ** 2
    centre, omega = spread(cells, density)
    return {"density": density, "centre": centre, "spread": omega}

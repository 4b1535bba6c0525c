# modelled on: treycole/pythtb pythtb.py
import numpy as np


def rice_mele(k, t=1.0, dt=0.4, delta=0.25):
    hx = t + dt + (t - dt) * np.cos(k)
    hy = (t - dt) * np.sin(k)
    return np.array([[delta, hx - 1j * hy], [hx + 1j * hy, -delta]])


def band_states(k_grid, band=0):
    states = []
    energies = []
    for k in k_grid:
        w, v = np.linalg.eigh(rice_mele(k))
        states.append(v[:, band])
        energies.append(w[band])
    return np.array(states), np.array(energies)


def wilson_loop(states):
    links = [np.vdot(states[i], states[i + 1]) for i in range(len(states) - 1)]
    w = np.prod(links)
    return -np.angle(w), np.abs(w)


def polarization(k_grid):
    states, energies = band_states(k_grid)
    phase, mag = wilson_loop(states)
    return phase / (2 * np.pi), mag, energies


def run():
    k_grid = np.linspace(0.0, 2 * np.pi, 30, endpoint=False)
    pol, mag, energies = polarization(k_grid)
    return {"polarization": pol, "loop_magnitude": mag, "band_energy": energies}

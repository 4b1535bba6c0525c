# modelled on: kirzolaa/arrowhead_new README.md (Berry phase by the Wilson loop method)
import numpy as np

sx = np.array([[0, 1], [1, 0]], dtype=complex)
sy = np.array([[0, -1j], [1j, 0]], dtype=complex)
sz = np.array([[1, 0], [0, -1]], dtype=complex)


def hamiltonian(theta, phi, b=1.0):
    n = (np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta))
    return b * (n[0] * sx + n[1] * sy + n[2] * sz)


def berry_phase(theta, band=0, N=32):
    states = []
    for phi in np.linspace(0.0, 2 * np.pi, N, endpoint=False):
        w, v = np.linalg.eigh(hamiltonian(theta, phi))
        states.append(v[:, band])
    prod = 1.0 + 0.0j
    for i in range(N):
        prod *= np.vdot(states[i], states[(i + 1) % N])
    return -np.angle(prod)


def run():
    thetas = [0.4, 0.9, 1.3]
    gammas = np.array([berry_phase(t) for t in thetas])
    expected = -np.pi * (1 - np.cos(np.array(thetas)))
    return {"gamma": gammas, "err": np.abs(np.angle(np.exp(1j * (gammas - expected))))}

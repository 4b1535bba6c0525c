# modelled on: treycole/treycole.github.io notes/content/berry_phase.md
import numpy as np

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)


def hamiltonian(theta, phi):
    n = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
    return n[0] * SX + n[1] * SY + n[2] * SZ + 0.1 * np.eye(2)


def berry_phase(states):
    prod = 1.0 + 0.0j
    N = len(states)
    for i in range(N):
        psi_i = states[i]
        psi_next = states[(i + 1) % N]
        prod *= np.vdot(psi_i, psi_next)
    return -np.angle(prod)


def run():
    thetas = [0.6, 1.1]
    phases = {}
    for theta in thetas:
        phis = np.linspace(0, 2 * np.pi, 40, endpoint=False)
        lower = []
        for phi in phis:
            evals, evecs = np.linalg.eigh(hamiltonian(theta, phi))
            lower.append(evecs[:, 0])
        phases[theta] = berry_phase(lower)
    exact = [-np.pi * (1 - np.cos(t)) for t in thetas]
    got = np.array([phases[t] for t in thetas])
    return {"berry": got, "error": np.abs(np.exp(1j * got) - np.exp(1j * np.array(exact)))}

# modelled on: oliverqc/QITE-algorithm QITEclassic.py
import numpy as np
from scipy.linalg import expm

X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)
I2 = np.eye(2, dtype=complex)


def op(single, site, n):
    out = np.array([[1.0 + 0j]])
    for j in range(n):
        out = np.kron(out, single if j == site else I2)
    return out


def chain_hamiltonian(n=3, J=1.0, h=0.7, D=0.35):
    H = np.zeros((2 ** n, 2 ** n), dtype=complex)
    for i in range(n - 1):
        H += J * (op(X, i, n) @ op(X, i + 1, n) + op(Y, i, n) @ op(Y, i + 1, n))
        H += D * (op(X, i, n) @ op(Y, i + 1, n) - op(Y, i, n) @ op(X, i + 1, n))
    for i in range(n):
        H += h * (i + 1) / n * op(Z, i, n)
    return H


def exact_ground_state(H):
    energies, states = np.linalg.eigh(H)
    return energies[0], states[:, 0]


def imaginary_time_states(H, psi0, taus):
    states = []
    for tau in taus:
        psi = expm(-H * tau) @ psi0
        states.append(psi / np.linalg.norm(psi))
    return states


def convergence_report(ground, states, H):
    infidelity = np.array([1.0 - np.real(np.vdot(ground, s)) for s in states])
    fidelity = np.array([abs(np.vdot(ground, s)) ** 2 for s in states])
    energy = np.array([np.real(np.vdot(s, H @ s)) for s in states])
    return infidelity, fidelity, energy


def run():
    H = chain_hamiltonian()
    psi0 = np.ones(8, dtype=complex) / np.sqrt(8)
    E0, ground = exact_ground_state(H)
    states = imaginary_time_states(H, psi0, np.linspace(0.0, 3.0, 7))
    infidelity, fidelity, energy = convergence_report(ground, states, H)
    return {"E0": E0, "infidelity": infidelity, "fidelity": fidelity, "energy": energy}

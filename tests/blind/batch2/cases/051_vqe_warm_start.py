# modelled on: qiskit-community/qiskit-nature qiskit_nature/second_q/algorithms/initial_points/hf_initial_point.py
import numpy as np
import scipy.linalg as la


def two_qubit_hamiltonian(j=0.7, h=0.4, phi=0.9):
    X = np.array([[0, 1], [1, 0]], dtype=complex)
    Y = np.array([[0, -1j], [1j, 0]])
    Z = np.diag([1.0, -1.0]).astype(complex)
    I = np.eye(2, dtype=complex)
    H = j * (np.kron(X, X) + np.kron(Y, Y)) + 0.3 * np.kron(Z, Z)
    field = np.cos(phi) * X + np.sin(phi) * Y
    H = H + h * (np.kron(field, I) + 0.5 * np.kron(I, field))
    return H


def initial_point(H):
    energies, states = la.eigh(H)
    psi = states[:, 0]
    magnitudes = np.abs(psi)
    params = np.angle(psi)
    relative = np.angle(psi * np.conj(psi[0]))
    return energies[0], magnitudes, params, relative


def run():
    e0, mags, params, rel = initial_point(two_qubit_hamiltonian())
    return {"e0": e0, "magnitudes": mags, "params": params, "relative_phases": rel}

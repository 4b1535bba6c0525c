# modelled on: kirzolaa/arrowhead_new berry_phase_analysis.py
import numpy as np


def R_theta(d, theta):
    basis1 = np.array([1.0, -0.5, -0.5]) / np.linalg.norm([1.0, -0.5, -0.5])
    basis2 = np.array([0.0, -0.5, 0.5]) / np.linalg.norm([0.0, -0.5, 0.5])
    return d * (np.cos(theta) * basis1 + np.sin(theta) * basis2)


def hamiltonian(theta, c=0.2, omega=0.1, a=1.0, b=1.0, c_const=1.0, x_shift=1.0, d=0.6):
    R = R_theta(d, theta)
    Vx = a * R ** 2
    Va = a * (R - x_shift) ** 2 + b * (R - x_shift) + c_const
    H = np.zeros((4, 4), dtype=complex)
    H[0, 0] = Vx.sum() + omega
    H[1, 1] = Va[0] + Vx[1] + Vx[2]
    H[2, 2] = Vx[0] + Va[1] + Vx[2]
    H[3, 3] = Vx[0] + Vx[1] + Va[2]
    for k in range(1, 4):
        H[0, k] = c * np.exp(1j * (k - 2) * theta)
        H[k, 0] = np.conj(H[0, k])
    return H


def eigenstates_along_path(theta_vals):
    vals, vecs = [], []
    for theta in theta_vals:
        evals, evecs = np.linalg.eigh(hamiltonian(theta))
        vals.append(evals)
        vecs.append(evecs)
    return np.array(vals), np.array(vecs)


def berry_phase_overlaps(eigenvectors):
    n_points, _, n_states = eigenvectors.shape
    berry = np.zeros(n_states)
    for state in range(n_states):
        acc = 0.0
        for i in range(n_points - 1):
            overlap = np.vdot(eigenvectors[i, :, state], eigenvectors[i + 1, :, state])
            acc += np.angle(overlap)
        berry[state] = -acc
    return berry


def run():
    theta_vals = np.linspace(0, 2 * np.pi, 41, endpoint=True)
    energies, eigenvectors = eigenstates_along_path(theta_vals)
    berry = berry_phase_overlaps(eigenvectors)
    gaps = np.diff(energies, axis=1).min(axis=0)
    return {"berry_phases": berry, "min_gaps": gaps}

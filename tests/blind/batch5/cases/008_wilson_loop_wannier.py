# modelled on: kuansenlin/nested_and_spin_resolved_Wilson_loop inversion_axion_3D.py
import numpy as np

sx = np.array([[0, 1], [1, 0]], dtype=complex)
sy = np.array([[0, -1j], [1j, 0]], dtype=complex)
sz = np.array([[1, 0], [0, -1]], dtype=complex)


def bloch_hamiltonian(k, m=1.2, t=1.0, lam=0.4):
    h2 = np.sin(k) * sx + (m - t * np.cos(k)) * sz
    h4 = np.kron(h2, sz) + lam * np.kron(sy, sx) * np.cos(k) + 0.3 * np.kron(sx, sy)
    h4 = h4 + 0.35 * np.sin(k) * np.kron(sy, sz) + 0.25 * np.kron(sz, sx) + 0.2 * np.cos(2 * k) * np.kron(sx, np.eye(2))
    return h4


def occupied_states(k_vals, n_occ):
    states = []
    for k in k_vals:
        _, v = np.linalg.eigh(bloch_hamiltonian(k))
        states.append(v[:, :n_occ])
    return states


def wilson_loop(states):
    n = len(states)
    W = np.eye(states[0].shape[1], dtype=complex)
    for i in range(n):
        M = states[i].conj().T @ states[(i + 1) % n]
        W = W @ M
    return W


def berry_phase_band(states, band):
    n = len(states)
    prod = 1.0 + 0.0j
    for i in range(n):
        prod *= np.vdot(states[i][:, band], states[(i + 1) % n][:, band])
    return -np.angle(prod)


def run():
    k_vals = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    states = occupied_states(k_vals, 2)
    W = wilson_loop(states)
    wannier = np.sort(np.angle(np.linalg.eigvals(W)))
    total = -np.angle(np.linalg.det(W))
    bands = np.array([berry_phase_band(states, b) for b in range(2)])
    return {"wannier_centers": wannier, "total_phase": total, "band_phases": bands}

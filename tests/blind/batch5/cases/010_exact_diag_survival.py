# modelled on: JanSuntajs/QuantumJulia notebooks/time_evolution.jl
import numpy as np
import scipy.linalg as sla

sx = np.array([[0, 1], [1, 0]], dtype=complex)
sy = np.array([[0, -1j], [1j, 0]], dtype=complex)
sz = np.array([[1, 0], [0, -1]], dtype=complex)


def site_op(o, i, L):
    mats = [np.eye(2, dtype=complex)] * L
    mats[i] = o
    out = mats[0]
    for m in mats[1:]:
        out = np.kron(out, m)
    return out


def xxz_twisted(L, J, delta, phi, fields):
    H = np.zeros((2 ** L, 2 ** L), dtype=complex)
    for i in range(L - 1):
        sp_i = 0.5 * (site_op(sx, i, L) + 1j * site_op(sy, i, L))
        sm_j = 0.5 * (site_op(sx, i + 1, L) - 1j * site_op(sy, i + 1, L))
        hop = np.exp(1j * phi) * sp_i @ sm_j
        H += J * (hop + hop.conj().T) + delta * site_op(sz, i, L) @ site_op(sz, i + 1, L)
    for i, f in enumerate(fields):
        H += f * site_op(sz, i, L)
    return H


class ExactEvolution:
    def __init__(self, H):
        self.E, self.U = sla.eigh(H)

    def coefficients(self, psi0):
        return self.U.conj().T @ psi0

    def survival(self, psi0, times):
        w = np.abs(self.coefficients(psi0)) ** 2
        return np.array([abs(np.sum(w * np.exp(-1j * self.E * t))) ** 2 for t in times])

    def evolve(self, psi0, t):
        c = self.coefficients(psi0)
        return self.U @ (np.exp(-1j * self.E * t) * c)

    def propagator(self, t):
        return self.U @ np.diag(np.exp(-1j * self.E * t)) @ self.U.conj().T


def run():
    L = 4
    rng = np.random.default_rng(7)
    H = xxz_twisted(L, 1.0, 0.8, 0.4, rng.uniform(-1, 1, L))
    ed = ExactEvolution(H)
    psi0 = np.zeros(2 ** L, dtype=complex)
    psi0[int("0101", 2)] = 1.0
    times = np.linspace(0, 4, 9)
    mz = []
    for t in times:
        psi_t = ed.evolve(psi0, t)
        mz.append([np.real(np.vdot(psi_t, site_op(sz, i, L) @ psi_t)) for i in range(L)])
    P = ed.propagator(1.3)
    rho0 = np.outer(psi0, psi0.conj())
    rho_t = P @ rho0 @ P.conj().T
    return {
        "survival": ed.survival(psi0, times),
        "magnetization": np.array(mz),
        "populations": np.real(np.diag(rho_t)),
        "coherence_re": np.real(rho_t[5, 6]),
    }

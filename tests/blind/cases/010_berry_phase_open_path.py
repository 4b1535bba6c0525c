# modelled on: pythtb/pythtb pythtb/wf_array.py (berry phase along a closed path of states)
import numpy as np

PAULI = [
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
]


def h_of(theta, phi):
    n = [np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)]
    return sum(c * s for c, s in zip(n, PAULI))


def solve_on_path(theta, N):
    # closed path: the last point coincides with the first one
    phis = np.linspace(0.0, 2 * np.pi, N + 1)
    return [np.linalg.eigh(h_of(theta, p))[1][:, 0] for p in phis]


def berry_phase(wfs):
    links = [np.vdot(a, b) for a, b in zip(wfs[:-1], wfs[1:])]
    return -np.angle(np.prod(links))


def run():
    out = {}
    for name, theta in (("north", 0.5), ("equator", 1.4)):
        wfs = solve_on_path(theta, 24)
        out["gamma_" + name] = berry_phase(wfs)
        out["norm_" + name] = np.array([np.vdot(w, w).real for w in wfs])
    return out

# modelled on: psasanka1729/many-body-Grover ground_state_simulation.py
import numpy as np


def power_iteration(A, v0, niter=200):
    v = v0 / np.linalg.norm(v0)
    history = [np.vdot(v, A @ v).real]
    for _ in range(niter):
        w = A @ v
        v = w / np.linalg.norm(w)
        history.append(np.vdot(v, A @ v).real)
    return v, np.array(history)


def check_against_lapack(A, v):
    evals, evecs = np.linalg.eigh(A)
    top = evecs[:, -1]
    alignment = abs(np.vdot(top, v))
    residual = np.linalg.norm(A @ top - evals[-1] * top)
    return alignment, residual, evals[-1]


def run():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((8, 8)) + 1j * rng.standard_normal((8, 8))
    H = M @ M.conj().T + np.diag(np.arange(8.0))
    v0 = rng.standard_normal(8) + 1j * rng.standard_normal(8)
    v, hist = power_iteration(H, v0)
    alignment, residual, lam = check_against_lapack(H, v)
    return {"alignment": alignment, "residual": residual, "lam": lam, "rayleigh": hist[-1]}

# modelled on: qutip/qutip qutip/solver/steadystate.py
import numpy as np


def liouvillian(H, c_ops):
    d = H.shape[0]
    eye = np.eye(d)
    L = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for c in c_ops:
        cdc = c.conj().T @ c
        L += np.kron(c.conj(), c) - 0.5 * np.kron(eye, cdc) - 0.5 * np.kron(cdc.T, eye)
    return L


def steadystate(H, c_ops):
    L = liouvillian(H, c_ops)
    vals, vecs = np.linalg.eig(L)
    idx = np.argmin(np.abs(vals))
    d = H.shape[0]
    rho = vecs[:, idx].reshape(d, d, order="F")
    rho = rho / np.linalg.norm(rho)
    rho = 0.5 * (rho + rho.conj().T)
    return rho


def observables(rho, ops):
    pops = np.real(np.diag(rho)) / np.real(np.trace(rho))
    coherence = np.abs(rho[0, 1])
    expect = [np.real(np.trace(op @ rho)) for op in ops]
    return pops, coherence, np.array(expect)


def run():
    rng = np.random.default_rng(0)
    d = 3
    a = np.diag(np.sqrt(np.arange(1, d)), 1)
    H = np.diag([0.0, 1.0, 2.1]) + 0.3 * (a + a.T)
    c_ops = [np.sqrt(0.2) * a, np.sqrt(0.05) * a.T, 0.1 * np.diag(rng.uniform(0, 1, d))]
    rho = steadystate(H, c_ops)
    pops, coherence, expect = observables(rho, [a.T @ a, a + a.T])
    return {"populations": pops, "coherence": coherence, "expect": expect}

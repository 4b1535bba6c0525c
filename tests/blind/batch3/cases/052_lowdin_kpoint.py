# modelled on: pyscf/pyscf pyscf/lo/orth.py
import numpy as np
import scipy.linalg


def lowdin(s):
    e, v = scipy.linalg.eigh(s)
    idx = e > 1e-15
    return np.dot(v[:, idx] / np.sqrt(e[idx]), v[:, idx].conj().T)


def sqrt_overlap(s):
    e, v = scipy.linalg.eigh(s)
    return (v * np.sqrt(e)) @ v.conj().T


def lowdin_population(dm, s):
    s_half = sqrt_overlap(s)
    return np.real(np.diag(s_half @ dm @ s_half))


def bloch_overlap(k, n=6, t=0.25):
    s = np.eye(n, dtype=complex)
    for i in range(n - 1):
        s[i, i + 1] = s[i + 1, i] = t
    s[0, n - 1] += t * np.exp(1j * k)
    s[n - 1, 0] += t * np.exp(-1j * k)
    s[1, 3] = 0.1j
    s[3, 1] = -0.1j
    return s


def run():
    rng = np.random.default_rng(0)
    results = []
    for k in np.linspace(0, np.pi, 3):
        s = bloch_overlap(k)
        c = lowdin(s)
        B = rng.standard_normal((6, 3)) + 1j * rng.standard_normal((6, 3))
        dm = B @ B.conj().T / 3
        results.append((c, lowdin_population(dm, s), np.abs(c.conj().T @ s @ c - np.eye(6)).max()))
    return {
        "orth": np.stack([r[0] for r in results]),
        "populations": np.stack([r[1] for r in results]),
        "orth_error": np.array([r[2] for r in results]),
    }

# modelled on: quantumlib/OpenFermion src/openfermion/linalg/sparse_tools.py
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def transverse_ising(n, g, phase=0.35):
    sx = sp.csr_matrix(np.array([[0, np.exp(-1j * phase)], [np.exp(1j * phase), 0]]))
    sz = sp.csr_matrix(np.diag([1.0, -1.0]).astype(complex))
    eye = sp.identity(2, format="csr", dtype=complex)

    def site(op, i):
        mats = [eye] * n
        mats[i] = op
        out = mats[0]
        for m in mats[1:]:
            out = sp.kron(out, m, format="csr")
        return out

    H = sp.csr_matrix((2 ** n, 2 ** n), dtype=complex)
    for i in range(n - 1):
        H = H - site(sz, i) @ site(sz, i + 1)
    for i in range(n):
        H = H - g * site(sx, i)
    return H


def get_ground_state(H):
    v0 = np.ones(H.shape[0], dtype=complex)
    values, vectors = eigsh(H, k=1, which="SA", v0=v0)
    return values[0], vectors[:, 0]


def run():
    n = 3
    ref_energy, ref_state = get_ground_state(transverse_ising(n, 0.9))
    out = {"energies": [], "fidelity": []}
    for g in (0.8, 1.0, 1.2):
        e, psi = get_ground_state(transverse_ising(n, g))
        out["energies"].append(e)
        out["fidelity"].append(np.vdot(ref_state, psi).real)
    return {k: np.array(v) for k, v in out.items()}

# modelled on: quantumlib/OpenFermion src/openfermion/linalg/sparse_tools.py
import numpy as np
import torch

PAULI = {
    "X": torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128),
    "Y": torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128),
    "Z": torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128),
    "I": torch.eye(2, dtype=torch.complex128),
}


def kron_chain(ops):
    out = ops[0]
    for op in ops[1:]:
        out = torch.kron(out, op)
    return out


def heisenberg_with_field(n=3, h=0.4, gamma=0.3):
    H = torch.zeros(2 ** n, 2 ** n, dtype=torch.complex128)
    for i in range(n - 1):
        for p in "XYZ":
            ops = [PAULI["I"]] * n
            ops[i] = PAULI[p]
            ops[i + 1] = PAULI[p]
            H = H + kron_chain(ops)
    for i in range(n):
        ops = [PAULI["I"]] * n
        ops[i] = PAULI["X"] * np.cos(gamma) + PAULI["Y"] * np.sin(gamma)
        H = H + h * (i + 1) * kron_chain(ops)
    return H


def get_ground_state(H):
    values, vectors = torch.linalg.eigh(H)
    return values[0], vectors[:, 0]


def expectation(op, state):
    return torch.vdot(state, op @ state).real


def run():
    n = 3
    H = heisenberg_with_field(n)
    energy, psi = get_ground_state(H)
    mags = []
    for i in range(n):
        ops = [PAULI["I"]] * n
        ops[i] = PAULI["Z"]
        mags.append(expectation(kron_chain(ops), psi))
    rho = torch.outer(psi, psi.conj())
    probs = psi.abs() ** 2
    return {"energy": energy, "mz": torch.stack(mags), "rho": rho, "probs": probs}

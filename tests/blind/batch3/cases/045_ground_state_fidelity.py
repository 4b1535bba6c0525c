# modelled on: QuSpin/QuSpin quspin/operators/hamiltonian_core.py
import itertools
import torch

I2 = torch.eye(2, dtype=torch.complex128)
SX = torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128)
SY = torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128)
SZ = torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128)


def site_op(op, i, L):
    mats = [op if j == i else I2 for j in range(L)]
    out = mats[0]
    for m in mats[1:]:
        out = torch.kron(out, m)
    return out


def hamiltonian(h, L=3, J=1.0, D=0.4):
    H = torch.zeros(2 ** L, 2 ** L, dtype=torch.complex128)
    for i in range(L - 1):
        H -= J * site_op(SZ, i, L) @ site_op(SZ, i + 1, L)
        H += D * (site_op(SX, i, L) @ site_op(SY, i + 1, L) - site_op(SY, i, L) @ site_op(SX, i + 1, L))
    for i in range(L):
        H -= h * site_op(SX, i, L) + 0.1 * site_op(SZ, i, L)
    return H


def ground_state(h):
    E, V = torch.linalg.eigh(hamiltonian(h))
    return E[0], V[:, 0]


def fidelity_scan(fields, dh=1e-2):
    out = []
    for h in fields:
        e0, psi = ground_state(h)
        _, psi_dh = ground_state(h + dh)
        F = torch.abs(torch.vdot(psi, psi_dh))
        out.append((e0, F, 2 * (1 - F) / dh ** 2))
    return out


def run():
    fields = torch.linspace(0.2, 1.6, 6, dtype=torch.float64).tolist()
    scan = fidelity_scan(fields)
    e0, F, chi = (torch.stack([torch.as_tensor(r[i]) for r in scan]) for i in range(3))
    return {"energy": e0, "fidelity": F, "susceptibility": chi}

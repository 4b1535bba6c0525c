# modelled on: jcmgray/quimb quimb/calc.py
import torch


def ising_hamiltonian(n, jz, hx, hy=0.15):
    sx = torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128)
    sy = torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128)
    sz = torch.diag(torch.tensor([1.0, -1.0], dtype=torch.complex128))
    eye = torch.eye(2, dtype=torch.complex128)

    def embed(ops):
        out = ops[0]
        for op in ops[1:]:
            out = torch.kron(out, op)
        return out

    H = torch.zeros(2 ** n, 2 ** n, dtype=torch.complex128)
    for i in range(n - 1):
        H -= jz * embed([sz if s in (i, i + 1) else eye for s in range(n)])
    for i in range(n):
        H -= hx * embed([sx if s == i else eye for s in range(n)])
        H -= hy * embed([sy if s == i else eye for s in range(n)])
    return H


def groundstate(H):
    evals, evecs = torch.linalg.eigh(H)
    return evals[0], evecs[:, 0]


def fidelity_scan(n, fields, jz=1.0):
    states = [groundstate(ising_hamiltonian(n, jz, h))[1] for h in fields]
    overlaps = torch.stack([torch.vdot(states[i], states[i + 1]) for i in range(len(states) - 1)])
    return overlaps


def run():
    fields = torch.linspace(0.4, 1.6, 5, dtype=torch.float64)
    overlaps = fidelity_scan(3, fields)
    fid = overlaps.abs() ** 2
    susceptibility = -2 * torch.log(fid) / (fields[1] - fields[0]) ** 2
    return {"overlaps": overlaps, "fidelity": fid, "susceptibility": susceptibility}

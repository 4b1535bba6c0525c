# modelled on: qutip/qutip qutip/entropy.py
import math
import torch


def heisenberg_chain(n_sites, j=1.0, h=0.3, gen=None):
    sx = torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128)
    sy = torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128)
    sz = torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128)
    eye = torch.eye(2, dtype=torch.complex128)

    def site_op(op, i):
        out = torch.ones(1, 1, dtype=torch.complex128)
        for s in range(n_sites):
            out = torch.kron(out, op if s == i else eye)
        return out

    H = torch.zeros(2 ** n_sites, 2 ** n_sites, dtype=torch.complex128)
    fields = torch.randn(n_sites, generator=gen, dtype=torch.float64)
    for i in range(n_sites - 1):
        for op in (sx, sy, sz):
            H = H + j * site_op(op, i) @ site_op(op, i + 1)
    for i in range(n_sites):
        H = H + h * fields[i] * site_op(sz, i) + 0.2 * site_op(sy, i)
    return H


def ptrace(rho, dims, keep):
    n = len(dims)
    r = rho.reshape(dims + dims)
    for idx in sorted([i for i in range(n) if i not in keep], reverse=True):
        r = torch.diagonal(r, dim1=idx, dim2=idx + r.ndim // 2).sum(-1)
    d = int(math.prod(dims[i] for i in keep))
    return r.reshape(d, d)


def entropy_vn(rho, base=math.e):
    vals = torch.linalg.eigvalsh(rho).clamp_min(1e-15)
    return float(-(vals * torch.log(vals)).sum() / math.log(base))


def run():
    gen = torch.Generator().manual_seed(0)
    H = heisenberg_chain(3, gen=gen)
    spectrum = torch.linalg.eigh(H)
    energies = spectrum.eigenvalues
    psi = spectrum.eigenvectors[:, 0]
    rho = torch.outer(psi, psi.conj())
    rho_a = ptrace(rho, [2, 2, 2], keep=[0])
    return {"entropy": entropy_vn(rho_a, base=2), "rho_a": rho_a, "energy": energies[0],
            "purity": torch.trace(rho_a @ rho_a).real}

# modelled on: jcmgray/quimb quimb/tensor/tensor_1d.py
import torch


def state_to_mps(psi, n_sites, max_bond=8, cutoff=1e-12):
    tensors, entropies = [], []
    rest = psi.reshape(1, -1)
    bond = 1
    for site in range(n_sites - 1):
        mat = rest.reshape(bond * 2, -1)
        U, S, Vh = torch.linalg.svd(mat, full_matrices=False)
        keep = min(max_bond, int((S > cutoff).sum()))
        U, S, Vh = U[:, :keep], S[:keep], Vh[:keep]
        p = S ** 2 / (S ** 2).sum()
        entropies.append(-(p * torch.log(p)).sum())
        tensors.append(U.reshape(bond, 2, keep))
        rest = S.to(Vh.dtype)[:, None] * Vh
        bond = keep
    tensors.append(rest.reshape(bond, 2, 1))
    return tensors, torch.stack(entropies)


def local_expectation(tensors, op, site):
    env = torch.ones(1, 1, dtype=tensors[0].dtype)
    for i, A in enumerate(tensors):
        O = op if i == site else torch.eye(2, dtype=A.dtype)
        env = torch.einsum("ab,asc,st,btd->cd", env, A.conj(), O, A)
    return env[0, 0].real


def contract(tensors):
    out = tensors[0]
    for A in tensors[1:]:
        out = torch.einsum("...a,asb->...sb", out, A)
    return out.reshape(-1)


def run():
    torch.manual_seed(0)
    n = 4
    psi = torch.randn(2 ** n, dtype=torch.complex128)
    psi = psi / psi.norm()
    tensors, entropies = state_to_mps(psi, n)
    Z = torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128)
    mags = torch.stack([local_expectation(tensors, Z, i) for i in range(n)])
    return {"entropies": entropies, "magnetization": mags, "reconstructed": contract(tensors)}

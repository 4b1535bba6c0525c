# modelled on: jcmgray/quimb quimb/tensor/decomp.py
import torch


def svd_truncated(x, cutoff=1e-12, max_bond=None):
    U, s, VH = torch.linalg.svd(x, full_matrices=False)
    keep = int((s > cutoff * s[0]).sum())
    if max_bond is not None:
        keep = min(keep, max_bond)
    return U[:, :keep], s[:keep], VH[:keep]


def dense_to_mps(psi, n_sites, phys_dim=2, max_bond=None):
    tensors, spectra = [], []
    rest = psi.reshape(1, -1)
    left = 1
    for _ in range(n_sites - 1):
        rest = rest.reshape(left * phys_dim, -1)
        U, s, VH = svd_truncated(rest, max_bond=max_bond)
        tensors.append(U.reshape(left, phys_dim, -1))
        spectra.append(s)
        rest = s.to(VH.dtype)[:, None] * VH
        left = s.shape[0]
    tensors.append(rest.reshape(left, phys_dim, 1))
    return tensors, spectra


def mps_to_dense(tensors):
    out = tensors[0]
    for t in tensors[1:]:
        out = torch.tensordot(out, t, dims=([-1], [0]))
    return out.reshape(-1)


def entanglement_entropies(spectra):
    ent = []
    for s in spectra:
        p = (s / s.norm()) ** 2
        ent.append(-(p * torch.log(p.clamp_min(1e-300))).sum())
    return torch.stack(ent)


def run():
    torch.manual_seed(0)
    n = 4
    psi = torch.randn(2 ** n, dtype=torch.complex128)
    psi = psi / psi.norm()
    tensors, spectra = dense_to_mps(psi, n)
    recon = mps_to_dense(tensors)
    tensors3, _ = dense_to_mps(psi, n, max_bond=2)
    approx = mps_to_dense(tensors3)
    return {"reconstruction": recon, "error": (recon - psi).abs().max(),
            "entropies": entanglement_entropies(spectra), "truncated": approx}

# modelled on: JerryRen471/GraduationProject test.py (normalised complex states)
import torch


def hermitian(n, seed):
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(n, n, dtype=torch.complex128, generator=g)
    return a + a.mH


def canonical_eigenstates(H):
    res = torch.linalg.eigh(H)
    V = res.eigenvectors.clone()
    for k in range(V.shape[1]):
        # make the first component real and non-negative
        V[:, k] *= V[0, k].abs() / V[0, k]
    rayleigh = torch.einsum("ik,ij,jk->k", V.conj(), H, V).real
    return res.eigenvalues, V, rayleigh


def run():
    H = hermitian(6, 0)
    w, V, rq = canonical_eigenstates(H)
    return {"eigenvalues": w, "states": V, "rayleigh": rq}

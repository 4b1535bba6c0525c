# modelled on: CURENT/andes andes/routines/eig.py
import torch


def chain_matrices(n, gen):
    m = 1.0 + torch.rand(n, generator=gen, dtype=torch.float64)
    k = 50.0 + 20.0 * torch.rand(n + 1, generator=gen, dtype=torch.float64)
    K = torch.diag(k[:-1] + k[1:]) - torch.diag(k[1:-1], 1) - torch.diag(k[1:-1], -1)
    M = torch.diag(m)
    C = 0.02 * K + 0.1 * M
    return M, C, K


def state_space(M, C, K):
    n = M.shape[0]
    Minv = torch.linalg.inv(M)
    top = torch.cat([torch.zeros(n, n, dtype=M.dtype), torch.eye(n, dtype=M.dtype)], dim=1)
    bottom = torch.cat([-Minv @ K, -Minv @ C], dim=1)
    return torch.cat([top, bottom], dim=0)


def modal_analysis(A, n_dof):
    lam, vecs = torch.linalg.eig(A)
    keep = lam.imag > 0
    lam, vecs = lam[keep], vecs[:, keep]
    order = torch.argsort(lam.imag)
    lam, vecs = lam[order], vecs[:, order]
    shapes = vecs[:n_dof] / vecs[:n_dof].abs().amax(dim=0, keepdim=True)
    freq = lam.abs() / (2 * torch.pi)
    zeta = -lam.real / lam.abs()
    return freq, zeta, shapes


def animation_frames(shapes, mode, n_frames=4):
    return torch.stack([shapes[:, mode].real * torch.cos(torch.tensor(2 * torch.pi * f / n_frames))
                        for f in range(n_frames)])


def run():
    gen = torch.Generator().manual_seed(0)
    M, C, K = chain_matrices(4, gen)
    freq, zeta, shapes = modal_analysis(state_space(M, C, K), 4)
    frames = animation_frames(shapes, mode=0)
    return {"frequency": freq, "damping": zeta, "shape_modulus": shapes.abs(), "frames": frames}

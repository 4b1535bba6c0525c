# modelled on: charnley/rmsd rmsd/calculate_rmsd.py
import torch


def centroid(X):
    return X.mean(dim=-2, keepdim=True)


def kabsch(P, Q):
    C = P.transpose(-1, -2) @ Q
    V, S, W = torch.linalg.svd(C)
    d = torch.sign(torch.linalg.det(V) * torch.linalg.det(W))
    ones = torch.ones_like(d)
    D = torch.diag_embed(torch.stack([ones, ones, d], dim=-1))
    return V @ D @ W


def kabsch_rmsd(P, Q, translate=True):
    if translate:
        Q = Q - centroid(Q)
        P = P - centroid(P)
    U = kabsch(P, Q)
    P_rot = P @ U
    return torch.sqrt(((P_rot - Q) ** 2).sum(dim=(-1, -2)) / P.shape[-2]), U, P_rot


def random_rotation(gen, batch):
    A = torch.randn(batch, 3, 3, generator=gen, dtype=torch.float64)
    Q, R = torch.linalg.qr(A)
    Q = Q * torch.sign(torch.diagonal(R, dim1=-2, dim2=-1)).unsqueeze(-2)
    det = torch.linalg.det(Q)
    Q[..., :, 0] *= det.unsqueeze(-1)
    return Q


def run():
    gen = torch.Generator().manual_seed(0)
    B, N = 4, 8
    Q = torch.randn(B, N, 3, generator=gen, dtype=torch.float64)
    Rt = random_rotation(gen, B)
    P = Q @ Rt.transpose(-1, -2) + 0.02 * torch.randn(B, N, 3, generator=gen, dtype=torch.float64) + 1.5
    rmsd, U, P_rot = kabsch_rmsd(P, Q)
    return {"rmsd": rmsd, "rotation": U, "aligned": P_rot}

# modelled on: kornia/kornia kornia/geometry/epipolar/essential.py
import torch


def skew(t):
    z = torch.zeros_like(t[0])
    return torch.stack([torch.stack([z, -t[2], t[1]]), torch.stack([t[2], z, -t[0]]), torch.stack([-t[1], t[0], z])])


def motion_candidates(E):
    U, S, Vh = torch.linalg.svd(E)
    if torch.det(U) < 0:
        U = -U
    if torch.det(Vh) < 0:
        Vh = -Vh
    W = torch.tensor([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=E.dtype)
    R1, R2 = U @ W @ Vh, U @ W.T @ Vh
    t = U[:, 2]
    return [(R1, t), (R1, -t), (R2, t), (R2, -t)]


def triangulate_depths(R, t, x1, x2):
    depths = []
    for a, b in zip(x1, x2):
        A = torch.stack([a, -(R.T @ b)], dim=1)
        lam = torch.linalg.lstsq(A, -(R.T @ t)).solution
        depths.append(lam)
    return torch.stack(depths)


def recover_pose(E, x1, x2):
    best, best_count = None, -1
    for R, t in motion_candidates(E):
        d = triangulate_depths(R, t, x1, x2)
        count = int(((d[:, 0] > 0) & (d[:, 1] > 0)).sum())
        if count > best_count:
            best, best_count = (R, t), count
    return best[0], best[1], best_count


def run():
    gen = torch.Generator().manual_seed(0)
    R_true = torch.linalg.matrix_exp(skew(torch.tensor([0.1, -0.3, 0.2], dtype=torch.float64)))
    t_true = torch.tensor([1.0, 0.2, -0.1], dtype=torch.float64)
    t_true = t_true / t_true.norm()
    X = torch.randn(8, 3, generator=gen, dtype=torch.float64) + torch.tensor([0.0, 0.0, 6.0], dtype=torch.float64)
    X2 = X @ R_true.T + t_true
    x1 = X / X[:, 2:]
    x2 = X2 / X2[:, 2:]
    E = skew(t_true) @ R_true
    R, t, n_front = recover_pose(E, x1, x2)
    return {"R": R, "t": t, "in_front": n_front}

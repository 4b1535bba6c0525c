# modelled on: kornia/kornia kornia/geometry/epipolar/essential.py
import torch


def skew(t):
    z = torch.zeros_like(t[0])
    return torch.stack([torch.stack([z, -t[2], t[1]]), torch.stack([t[2], z, -t[0]]), torch.stack([-t[1], t[0], z])])


def essential_from_Rt(R, t):
    return skew(t) @ R


def decompose_essential_matrix(E_mat):
    U, S, V = torch.svd(E_mat)
    Vt = V.transpose(-2, -1)
    mask = torch.ones_like(E_mat)
    mask[..., -1:] *= -1.0
    maskt = mask.transpose(-2, -1)
    U = torch.where((torch.det(U) < 0.0)[..., None, None], U * mask, U)
    Vt = torch.where((torch.det(Vt) < 0.0)[..., None, None], Vt * maskt, Vt)
    W = torch.tensor([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=E_mat.dtype)
    R1 = U @ W @ Vt
    R2 = U @ W.transpose(-2, -1) @ Vt
    t = U[..., -1:]
    return R1, R2, t


def relative_pose_from_essential(E_mat):
    R1, R2, t = decompose_essential_matrix(E_mat)
    return R1, t[..., 0]


def run():
    torch.manual_seed(0)
    axis = torch.tensor([0.2, -0.5, 0.3], dtype=torch.float64)
    K = skew(axis)
    R_true = torch.linalg.matrix_exp(K)
    t_true = torch.tensor([0.8, 0.1, -0.3], dtype=torch.float64)
    t_true = t_true / t_true.norm()
    E = essential_from_Rt(R_true, t_true)
    R, t = relative_pose_from_essential(E)
    return {"rotation": R, "translation": t, "singular_values": torch.linalg.svdvals(E)}

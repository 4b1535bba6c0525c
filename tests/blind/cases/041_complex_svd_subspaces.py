# modelled on: kuansenlin/nested_and_spin_resolved_Wilson_loop inversion_axion_3D.py (unitary parts of overlap matrices)
import torch


def truncated(A, k):
    U, S, Vh = torch.linalg.svd(A, full_matrices=False)
    return U[:, :k], S[:k], Vh[:k]


def principal_angles(Q1, Q2):
    s = torch.linalg.svdvals(Q1.mH @ Q2).clamp(max=1.0)
    return torch.arccos(s)


def run():
    torch.manual_seed(0)
    A = torch.randn(8, 6, dtype=torch.complex128)
    B = A + 0.05 * torch.randn(8, 6, dtype=torch.complex128)
    Ua, Sa, Vha = truncated(A, 3)
    Ub, Sb, Vhb = truncated(B, 3)
    A3 = Ua @ torch.diag(Sa).to(A.dtype) @ Vha
    unitary_part = Ua @ Vha  # closest partial isometry
    return {
        "A3": A3,
        "polar": unitary_part,
        "angles": principal_angles(Ua, Ub),
        "proj_diff": torch.linalg.norm(Ua @ Ua.mH - Ub @ Ub.mH),
    }

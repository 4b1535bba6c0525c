# modelled on: gibbonCode/GIBBON lib/kabschRotationMatrix.m
import torch


def unitary_procrustes(A, B):
    """Unitary Q minimising ||A Q - B||_F (complex orthogonal Procrustes)."""
    U, S, V = torch.svd(A.mH @ B)
    return U @ V.mH, S.sum()


def run():
    torch.manual_seed(0)
    A = torch.randn(10, 4, dtype=torch.complex128)
    Q_true, _ = torch.linalg.qr(torch.randn(4, 4, dtype=torch.complex128))
    B = A @ Q_true + 0.01 * torch.randn(10, 4, dtype=torch.complex128)
    Q, nuc = unitary_procrustes(A, B)
    return {"Q": Q, "residual": torch.linalg.norm(A @ Q - B), "nuclear": nuc}

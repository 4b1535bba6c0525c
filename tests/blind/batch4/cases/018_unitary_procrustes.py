# modelled on: scipy/scipy scipy/linalg/_procrustes.py
import torch


def orthogonal_procrustes(A, B):
    if A.ndim != 2 or A.shape != B.shape:
        raise ValueError("shape mismatch")
    u, w, vt = torch.linalg.svd((B.mH @ A).mH)
    R = u @ vt
    scale = w.sum()
    return R, scale


def generalized_procrustes(shapes, n_iter=5):
    reference = shapes[0]
    aligned = list(shapes)
    for _ in range(n_iter):
        aligned = []
        for X in shapes:
            R, _ = orthogonal_procrustes(X, reference)
            aligned.append(X @ R)
        reference = torch.stack(aligned).mean(0)
        reference = reference / torch.linalg.matrix_norm(reference)
    return aligned, reference


def run():
    torch.manual_seed(0)
    base = torch.randn(8, 3, dtype=torch.complex128)
    shapes = []
    for _ in range(4):
        q, _ = torch.linalg.qr(torch.randn(3, 3, dtype=torch.complex128))
        shapes.append(base @ q + 0.05 * torch.randn(8, 3, dtype=torch.complex128))
    aligned, reference = generalized_procrustes(shapes)
    R, scale = orthogonal_procrustes(shapes[1], shapes[0])
    spread = torch.stack([(a - reference * torch.linalg.matrix_norm(a)).abs().pow(2).sum() for a in aligned])
    return {"R": R, "scale": scale, "reference": reference, "spread": spread}

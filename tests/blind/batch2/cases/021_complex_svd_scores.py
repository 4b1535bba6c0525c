# modelled on: scikit-learn/scikit-learn sklearn/utils/extmath.py
import torch


def svd_phase_flip(u, vh):
    idx = u.abs().argmax(dim=0)
    pivots = u[idx, torch.arange(u.shape[1])]
    phase = pivots / pivots.abs()
    u = u * phase.conj()
    vh = vh * phase.unsqueeze(-1)
    return u, vh


def run():
    g = torch.Generator().manual_seed(5)
    A = torch.randn(7, 4, dtype=torch.complex128, generator=g)
    u, s, vh = torch.linalg.svd(A, full_matrices=False)
    u, vh = svd_phase_flip(u, vh)
    scores = A @ vh.mH
    return {"u": u, "vh": vh, "s": s, "scores_re": scores.real}

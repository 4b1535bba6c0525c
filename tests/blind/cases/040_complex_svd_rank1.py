# modelled on: vivekmyers/curds_whey utils.py (svd-based canonical directions)
import torch


def rank_one(A):
    U, s, Vh = torch.linalg.svd(A)
    V = Vh.mH  # right singular vectors as columns
    return s[0] * torch.outer(U[:, 0], V[:, 0])


def run():
    torch.manual_seed(0)
    u = torch.randn(6, dtype=torch.complex128)
    v = torch.randn(5, dtype=torch.complex128)
    A = 3.0 * torch.outer(u, v.conj()) + 0.1 * torch.randn(6, 5, dtype=torch.complex128)
    A1 = rank_one(A)
    err = torch.linalg.norm(A - A1) / torch.linalg.norm(A)
    return {"rel_err": err, "s": torch.linalg.svdvals(A)}

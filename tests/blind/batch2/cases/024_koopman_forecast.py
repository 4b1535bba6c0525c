# modelled on: PyDMD/PyDMD pydmd/dmd.py
import torch


class DMD:
    def __init__(self, svd_rank):
        self.svd_rank = svd_rank

    def fit(self, X):
        X1, X2 = X[:, :-1], X[:, 1:]
        U, s, V = torch.svd(X1)
        r = self.svd_rank
        U, s, V = U[:, :r], s[:r], V[:, :r]
        Atilde = U.T @ X2 @ V / s
        self.eigs, W = torch.linalg.eig(Atilde)
        self.modes = (X2 @ V / s).to(W.dtype) @ W
        self.b = torch.linalg.lstsq(self.modes, X[:, 0].to(W.dtype)).solution
        return self

    def reconstruct(self, steps):
        t = torch.arange(steps, dtype=torch.float64).to(self.eigs.dtype)
        dyn = self.eigs[:, None] ** t[None, :]
        return (self.modes @ (self.b[:, None] * dyn)).real


def run():
    g = torch.Generator().manual_seed(1)
    lift = torch.randn(9, 4, dtype=torch.float64, generator=g)
    c, s = torch.cos(torch.tensor(0.4)), torch.sin(torch.tensor(0.4))
    A = torch.zeros(4, 4, dtype=torch.float64)
    A[:2, :2] = torch.tensor([[c, -s], [s, c]]) * 0.98
    A[2, 2], A[3, 3], A[2, 3] = 0.8, 0.6, 0.1
    z = torch.randn(4, dtype=torch.float64, generator=g)
    cols = []
    for _ in range(12):
        cols.append(lift @ z)
        z = A @ z
    X = torch.stack(cols, 1)
    dmd = DMD(svd_rank=4).fit(X)
    recon = dmd.reconstruct(16)
    return {"recon": recon, "growth": torch.sort(dmd.eigs.abs()).values}

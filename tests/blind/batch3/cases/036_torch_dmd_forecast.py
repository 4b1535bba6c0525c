# modelled on: PyDMD/PyDMD pydmd/linalg/pytorch_linalg.py
import torch


class TorchDMD:
    def __init__(self, svd_rank=4):
        self.svd_rank = svd_rank

    def fit(self, X):
        X1, X2 = X[:, :-1], X[:, 1:]
        U, S, Vh = torch.linalg.svd(X1, full_matrices=False)
        r = self.svd_rank
        U, S, V = U[:, :r], S[:r], Vh[:r].mH
        Atilde = U.mH @ X2 @ (V / S)
        self.eigs, W = torch.linalg.eig(Atilde)
        self.modes = X2.to(W.dtype) @ (V / S).to(W.dtype) @ W
        x0 = X[:, 0].to(W.dtype)
        self.amplitudes = self.modes.mT @ x0
        return self

    def predict(self, n_steps):
        t = torch.arange(n_steps, dtype=torch.float64)
        vander = self.eigs[:, None] ** t[None, :].to(self.eigs.dtype)
        return (self.modes @ (self.amplitudes[:, None] * vander)).real


def travelling_waves(n_space=12, n_time=12):
    x = torch.linspace(0, 2 * torch.pi, n_space, dtype=torch.float64)
    t = torch.arange(n_time, dtype=torch.float64) * 0.2
    w1 = torch.sin(x[:, None] - 1.3 * t[None, :])
    w2 = 0.5 * torch.cos(2 * x[:, None] + 0.7 * t[None, :]) * torch.exp(-0.05 * t[None, :])
    return w1 + w2


def run():
    torch.manual_seed(0)
    X = travelling_waves()
    X = X + 1e-3 * torch.randn_like(X)
    dmd = TorchDMD(svd_rank=4).fit(X)
    forecast = dmd.predict(25)
    return {"forecast": forecast, "moduli": dmd.eigs.abs().sort().values}

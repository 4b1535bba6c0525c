# modelled on: iagappel/dmd README.md
import math

import torch


def complex_field(nx=32, nt=40, dt=0.1):
    x = torch.linspace(-5, 5, nx, dtype=torch.float64)
    t = torch.arange(nt, dtype=torch.float64) * dt
    f1 = 1.0 / torch.cosh(x + 3) * torch.exp(1j * 2.3 * t[:, None]).to(torch.complex128)
    f2 = 2.0 / torch.cosh(x) * torch.tanh(x) * torch.exp(1j * 2.8 * t[:, None]).to(torch.complex128)
    f3 = torch.exp(-0.5 * (x - 2) ** 2) * torch.exp((-0.05 + 1j * 0.7) * t[:, None]).to(torch.complex128)
    return (f1 + f2 + f3).T


class DMD:
    def __init__(self, rank, dt):
        self.rank = rank
        self.dt = dt

    def fit(self, D):
        X, Y = D[:, :-1], D[:, 1:]
        U, S, Vh = torch.linalg.svd(X, full_matrices=False)
        r = self.rank
        U, S, V = U[:, :r], S[:r], Vh[:r].mH
        Atilde = U.mH @ Y @ V / S[None, :]
        self.lam, W = torch.linalg.eig(Atilde)
        self.Phi = Y @ V / S[None, :] @ W
        self.b = torch.linalg.lstsq(self.Phi, X[:, :1]).solution[:, 0]
        self.omega = torch.log(self.lam) / self.dt
        return self

    def reconstruct(self, t):
        dyn = self.b[:, None] * torch.exp(self.omega[:, None] * t[None, :].to(self.omega.dtype))
        return self.Phi @ dyn


def run():
    D = complex_field()
    model = DMD(3, 0.1).fit(D)
    t = torch.arange(60, dtype=torch.float64) * 0.1
    pred = model.reconstruct(t)
    freqs = torch.sort(model.omega.imag / (2 * math.pi)).values
    energy = torch.linalg.norm(model.Phi, dim=0) * model.b.abs()
    return {
        "frequencies": freqs,
        "forecast_real": pred.real,
        "forecast_imag": pred.imag,
        "train_error": torch.linalg.norm(pred[:, :40] - D) / torch.linalg.norm(D),
        "mode_energy": torch.sort(energy).values,
    }

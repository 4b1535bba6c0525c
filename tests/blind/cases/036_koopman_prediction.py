# modelled on: mbudisic/koopman +koopman/DMD.m (prediction from Koopman eigenpairs)
import torch
from torch.linalg import eig as teig


def fit_linear_operator(X, Y):
    return Y @ torch.linalg.pinv(X)


def koopman_forecast(K, x0, steps):
    lam, V = teig(K.to(torch.complex128))
    c = torch.linalg.solve(V, x0.to(torch.complex128))
    preds = []
    for t in range(1, steps + 1):
        preds.append((V @ (lam ** t * c)).real)
    return torch.stack(preds), lam


def run():
    torch.manual_seed(0)
    A = torch.tensor([[0.9, -0.3, 0.0], [0.3, 0.9, 0.1], [0.0, 0.0, 0.7]], dtype=torch.float64)
    xs = [torch.randn(3, dtype=torch.float64)]
    for _ in range(10):
        xs.append(A @ xs[-1] + 0.001 * torch.randn(3, dtype=torch.float64))
    traj = torch.stack(xs, dim=1)
    K = fit_linear_operator(traj[:, :-1], traj[:, 1:])
    preds, lam = koopman_forecast(K, traj[:, -1], 5)
    return {"forecast": preds, "spectral_radius": lam.abs().max()}

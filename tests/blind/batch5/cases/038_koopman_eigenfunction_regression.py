# modelled on: mbudisic/koopman +koopman/DMD.m
import torch


def snapshots(gen, n_traj=6, steps=25):
    th1, th2 = 0.35, 0.9
    A = torch.zeros(4, 4, dtype=torch.float64)
    A[:2, :2] = 0.98 * torch.tensor([[torch.cos(torch.tensor(th1)), -torch.sin(torch.tensor(th1))],
                                     [torch.sin(torch.tensor(th1)), torch.cos(torch.tensor(th1))]], dtype=torch.float64)
    A[2:, 2:] = 0.9 * torch.tensor([[torch.cos(torch.tensor(th2)), -torch.sin(torch.tensor(th2))],
                                    [torch.sin(torch.tensor(th2)), torch.cos(torch.tensor(th2))]], dtype=torch.float64)
    Q = torch.linalg.qr(torch.randn(4, 4, generator=gen, dtype=torch.float64)).Q
    A = Q @ A @ Q.T
    xs, ys = [], []
    for _ in range(n_traj):
        x = torch.randn(4, generator=gen, dtype=torch.float64)
        for _ in range(steps):
            x_next = A @ x
            xs.append(x)
            ys.append(x_next)
            x = x_next
    return torch.stack(xs), torch.stack(ys)


def koopman_eigs(X, Y):
    K = torch.linalg.lstsq(X, Y).solution
    lam, Xi = torch.linalg.eig(K)
    return lam, Xi


def eigenfunction_features(X, Xi):
    phi = X.to(Xi.dtype) @ Xi
    return torch.cat([phi.real, phi.imag], dim=1)


class RidgeReadout:
    def __init__(self, alpha=1e-3):
        self.alpha = alpha

    def fit(self, F, y):
        G = F.T @ F + self.alpha * torch.eye(F.shape[1], dtype=F.dtype)
        self.coef = torch.linalg.solve(G, F.T @ y)
        return self

    def predict(self, F):
        return F @ self.coef


def run():
    gen = torch.Generator().manual_seed(12)
    X, Y = snapshots(gen)
    lam, Xi = koopman_eigs(X, Y)
    F = eigenfunction_features(X, Xi)
    target = X[:, 0] - 0.5 * X[:, 2] + 0.1 * X[:, 1] * X[:, 3]
    readout = RidgeReadout().fit(F, target)
    return {
        "eig_modulus": torch.sort(lam.abs()).values,
        "readout_coef": readout.coef,
        "readout_fit": readout.predict(F),
    }

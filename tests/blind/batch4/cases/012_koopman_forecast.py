# modelled on: dynamicslab/pykoopman pykoopman/koopman.py
import torch


def polynomial_observables(x):
    x1, x2 = x[..., 0], x[..., 1]
    return torch.stack([x1, x2, x1 ** 2, x1 * x2, x2 ** 2], dim=-1)


def simulate(x0, steps, mu=0.9, lam=0.5):
    xs = [x0]
    for _ in range(steps):
        x1, x2 = xs[-1]
        xs.append(torch.stack([mu * x1, lam * x2 + (mu ** 2 - lam) * x1 ** 2]))
    return torch.stack(xs)


class EDMD:
    def fit(self, traj):
        psi = polynomial_observables(traj)
        X, Y = psi[:-1], psi[1:]
        self.koopman_matrix = torch.linalg.lstsq(X, Y).solution.T
        self.eigenvalues, self.eigenvectors = torch.linalg.eig(self.koopman_matrix)
        return self

    def predict(self, x0, n_steps):
        z0 = polynomial_observables(x0).to(self.eigenvectors.dtype)
        coeffs = torch.linalg.solve(self.eigenvectors, z0)
        out = []
        for t in range(1, n_steps + 1):
            zt = self.eigenvectors @ (self.eigenvalues ** t * coeffs)
            out.append(zt.real[:2])
        return torch.stack(out)


def run():
    torch.manual_seed(0)
    traj = torch.cat([simulate(torch.randn(2, dtype=torch.float64), 8) for _ in range(3)])
    model = EDMD().fit(traj)
    x0 = torch.tensor([0.7, -0.4], dtype=torch.float64)
    pred = model.predict(x0, 6)
    truth = simulate(x0, 6)[1:]
    spectrum = torch.sort(model.eigenvalues.abs()).values
    return {"prediction": pred, "error": (pred - truth).abs().max(), "spectrum": spectrum}

# modelled on: LCAV/pyroomacoustics pyroomacoustics/beamforming.py
import torch


class Beamformer:
    def __init__(self, n_mics, spacing=0.5):
        self.M = n_mics
        self.spacing = spacing
        self.weights = None

    def steering(self, theta):
        k = torch.arange(self.M, dtype=torch.float64)
        return torch.exp(2j * torch.pi * self.spacing * k * torch.sin(torch.tensor(theta)))

    def rake_max_sinr_weights(self, X):
        R = X @ X.mH / X.shape[1]
        eigenvalues, eigenvectors = torch.linalg.eigh(R)
        top = torch.topk(eigenvalues, k=1).indices
        self.weights = eigenvectors[:, top].squeeze(-1)
        return eigenvalues

    def process(self, X):
        return self.weights.conj() @ X

    def response(self, thetas):
        return torch.stack([(self.weights.conj() @ self.steering(t)).abs() for t in thetas])


def run():
    gen = torch.Generator().manual_seed(0)
    bf = Beamformer(6)
    n = 48
    s = torch.randn(n, dtype=torch.complex128, generator=gen)
    interf = 0.3 * torch.randn(n, dtype=torch.complex128, generator=gen)
    noise = 0.05 * torch.randn(6, n, dtype=torch.complex128, generator=gen)
    X = torch.outer(bf.steering(0.3), s) + torch.outer(bf.steering(-0.8), interf) + noise
    evals = bf.rake_max_sinr_weights(X)
    y = bf.process(X)
    return {"beam_signal": y.real, "beam_power": y.abs() ** 2, "eigenvalues": evals,
            "pattern": bf.response([-1.0, -0.5, 0.0, 0.3, 0.8])}

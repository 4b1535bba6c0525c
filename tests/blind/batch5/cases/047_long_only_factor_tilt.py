# modelled on: hkuhn/multifactor-models src/6-pca-factor-model/pca-factor-model.R
import torch


class PCAFactorModel:
    def __init__(self, k):
        self.k = k

    def fit(self, R):
        self.mean = R.mean(0)
        X = R - self.mean
        cov = X.T @ X / (R.shape[0] - 1)
        evals, evecs = torch.linalg.eigh(cov)
        self.eigenvalues = evals.flip(0)[:self.k]
        self.eigenvectors = evecs.flip(1)[:, :self.k]
        self.factors = X @ self.eigenvectors
        return self

    def systematic_cov(self):
        V = self.eigenvectors
        return V @ torch.diag(self.eigenvalues) @ V.T


def factor_tilt(model, lookback=60):
    mom = model.factors[-lookback:].mean(0)
    tilt = torch.clamp(mom, min=0.0)
    w = model.eigenvectors @ tilt
    return w / w.abs().sum()


def monthly_returns(T=180, N=15, seed=3):
    g = torch.Generator().manual_seed(seed)
    f = 0.03 * torch.randn(T, 3, generator=g, dtype=torch.float64) + torch.tensor([0.004, -0.002, 0.001], dtype=torch.float64)
    B = torch.randn(N, 3, generator=g, dtype=torch.float64)
    return f @ B.T + 0.02 * torch.randn(T, N, generator=g, dtype=torch.float64)


def run():
    R = monthly_returns()
    model = PCAFactorModel(3).fit(R)
    w = factor_tilt(model)
    return {
        "eigenvalues": model.eigenvalues,
        "systematic_cov": model.systematic_cov(),
        "tilt_weights": w,
    }

# modelled on: xarray-contrib/xeofs xeofs/models/eof.py
import torch


def hilbert_transform(x, dim=0):
    n = x.shape[dim]
    Xf = torch.fft.fft(x, dim=dim)
    h = torch.zeros(n, dtype=torch.float64)
    h[0] = 1.0
    h[1:(n + 1) // 2] = 2.0
    if n % 2 == 0:
        h[n // 2] = 1.0
    shape = [1] * x.ndim
    shape[dim] = n
    return torch.fft.ifft(Xf * h.reshape(shape), dim=dim)


class ComplexEOF:
    def __init__(self, n_modes=2):
        self.n_modes = n_modes

    def fit(self, data):
        anomalies = data - data.mean(dim=0, keepdim=True)
        Z = hilbert_transform(anomalies, dim=0)
        U, S, Vh = torch.linalg.svd(Z, full_matrices=False)
        self.components_ = Vh[: self.n_modes].conj()
        self.scores_ = U[:, : self.n_modes] * S[: self.n_modes]
        self.explained_variance_ratio_ = (S ** 2 / (S ** 2).sum())[: self.n_modes]
        return self

    def components_amplitude(self):
        return self.components_.abs()

    def components_phase(self):
        return torch.angle(self.components_)


def run():
    torch.manual_seed(0)
    t = torch.arange(24, dtype=torch.float64)[:, None]
    x = torch.linspace(0, 1, 9, dtype=torch.float64)[None, :]
    wave = torch.cos(2 * torch.pi * (t / 12 - x))
    standing = 0.5 * torch.cos(2 * torch.pi * t / 9) * torch.sin(torch.pi * x)
    data = wave + standing + 0.05 * torch.randn(24, 9, dtype=torch.float64)
    ceof = ComplexEOF(n_modes=2).fit(data)
    return {
        "amplitude": ceof.components_amplitude(),
        "spatial_phase": ceof.components_phase(),
        "evr": ceof.explained_variance_ratio_,
    }

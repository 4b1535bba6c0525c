# modelled on: morriswmz/doatools.py doatools/estimation/music.py
import torch


def steering_matrix(n_sensors, angles, spacing=0.5):
    pos = torch.arange(n_sensors, dtype=torch.float64)
    return torch.exp(2j * torch.pi * spacing * pos[:, None] * torch.sin(angles)[None, :])


class MUSIC:
    def __init__(self, n_sensors, grid):
        self.n_sensors = n_sensors
        self.grid = grid
        self.A_grid = steering_matrix(n_sensors, grid)

    def _noise_subspace(self, R, k):
        _, E = torch.linalg.eigh(R)
        return E[:, : self.n_sensors - k]

    def spectrum(self, R, k):
        En = self._noise_subspace(R, k)
        proj = En.mH @ self.A_grid
        return 1.0 / (proj.abs() ** 2).sum(dim=0)

    def estimate(self, R, k):
        sp = self.spectrum(R, k)
        is_peak = (sp[1:-1] > sp[:-2]) & (sp[1:-1] > sp[2:])
        idx = torch.nonzero(is_peak).flatten() + 1
        top = idx[sp[idx].argsort(descending=True)[:k]]
        return self.grid[top].sort().values, sp


def run():
    gen = torch.Generator().manual_seed(0)
    m, n_snap = 8, 60
    doas = torch.tensor([-0.4, 0.25], dtype=torch.float64)
    A = steering_matrix(m, doas)
    S = torch.randn(2, n_snap, generator=gen, dtype=torch.complex128)
    N = 0.1 * torch.randn(m, n_snap, generator=gen, dtype=torch.complex128)
    X = A @ S + N
    R = X @ X.mH / n_snap
    est = MUSIC(m, torch.linspace(-1.2, 1.2, 241, dtype=torch.float64))
    angles, sp = est.estimate(R, 2)
    return {"doa": angles, "spectrum": sp}

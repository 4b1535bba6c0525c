# modelled on: ThomasBourgeois/qcml src/qcml/intrinsic_dimension.py (eigenstates fed to a model)
import torch
import torch.nn as nn


def random_hamiltonian(n, g):
    a = torch.randn(n, n, dtype=torch.complex128, generator=g)
    return (a + a.mH) / 2


class StateRegressor(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(2 * n, 16), nn.Tanh(), nn.Linear(16, 1)).double()

    def forward(self, psi):
        feats = torch.cat([psi.real, psi.imag], dim=-1)
        return self.mlp(feats).squeeze(-1)


def run():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    Hs = torch.stack([random_hamiltonian(6, g) for _ in range(4)])
    energies, states = torch.linalg.eigh(Hs)
    ground = states[:, :, 0]  # [batch, n]
    model = StateRegressor(6)
    pred = model(ground)
    return {"pred": pred, "e0": energies[:, 0]}

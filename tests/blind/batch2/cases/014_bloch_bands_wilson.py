# modelled on: pythtb/pythtb pythtb/tb_model.py
import math

import torch


def haldane_like(kx, ky, m=0.3, t2=0.15, phi=0.6):
    ks = torch.stack([kx, ky], -1)
    a = torch.tensor([[1.0, 0.0], [-0.5, math.sqrt(3) / 2], [-0.5, -math.sqrt(3) / 2]], dtype=torch.float64)
    b = torch.tensor([[0.0, math.sqrt(3)], [-1.5, -math.sqrt(3) / 2], [1.5, -math.sqrt(3) / 2]], dtype=torch.float64)
    f = torch.exp(1j * (ks @ a.T)).sum(-1)
    g = 2 * t2 * torch.cos(ks @ b.T - phi).sum(-1)
    h = 2 * t2 * torch.cos(ks @ b.T + phi).sum(-1)
    H = torch.zeros(ks.shape[:-1] + (2, 2), dtype=torch.complex128)
    H[..., 0, 0] = m + g
    H[..., 1, 1] = -m + h
    H[..., 0, 1] = f
    H[..., 1, 0] = f.conj()
    return H


def wilson_phase(states):
    links = (states.conj() * states.roll(-1, dims=0)).sum(-1)
    return -torch.angle(torch.prod(links))


def run():
    nk = 24
    ky = torch.tensor(0.7, dtype=torch.float64)
    kx = torch.arange(nk, dtype=torch.float64) * (2 * math.pi / nk)
    H = haldane_like(kx, ky.expand(nk))
    energies, vecs = torch.linalg.eigh(H)
    lower = vecs[..., :, 0]
    weights = lower.abs() ** 2
    gap = (energies[:, 1] - energies[:, 0]).min()
    return {"bands": energies, "orbital_weight": weights, "gap": gap, "berry_loop": torch.cos(wilson_phase(lower))}

# modelled on: treycole/pythtb pythtb.py
import torch


def bloch_hamiltonians(ks, t1=1.0, t2=0.5, delta=0.4):
    off = t1 + t2 * torch.exp(-1j * ks)
    d = torch.full_like(off, delta)
    return torch.stack([torch.stack([d, off], -1), torch.stack([off.conj(), -d], -1)], -2)


def fix_gauge(states, orbital=0):
    ref = states[..., orbital, :]
    return states * (ref.conj() / ref.abs()).unsqueeze(-2)


def wannier_density(ks, u, cells):
    phases = torch.exp(1j * ks[None, :] * cells[:, None].to(ks.dtype))
    w = torch.einsum("rk,ko->ro", phases, u) / ks.shape[0]
    return w.abs() ** 2


def run():
    nk = 12
    ks = 2 * torch.pi * torch.arange(nk, dtype=torch.float64) / nk
    evals, states = torch.linalg.eigh(bloch_hamiltonians(ks))
    states = fix_gauge(states)
    cells = torch.arange(-6, 6)
    density_lower = wannier_density(ks, states[..., 0], cells)
    density_upper = wannier_density(ks, states[..., 1], cells)
    return {"lower": density_lower, "upper": density_upper, "bandwidth": evals.max(0).values - evals.min(0).values}

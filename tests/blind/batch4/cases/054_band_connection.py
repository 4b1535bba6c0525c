# modelled on: treycole/pythtb pythtb.py
import torch


def haldane_like(kx, ky, t1=1.0, t2=0.2, m=0.3, phi=0.7):
    d0 = 2 * t2 * torch.cos(torch.tensor(phi)) * (torch.cos(kx) + torch.cos(ky))
    dx = t1 * (1 + torch.cos(kx) + torch.cos(ky))
    dy = t1 * (torch.sin(kx) + torch.sin(ky))
    dz = m - 2 * t2 * torch.sin(torch.tensor(phi)) * (torch.sin(kx) - torch.sin(ky))
    H = torch.zeros(kx.shape + (2, 2), dtype=torch.complex128)
    H[..., 0, 0] = d0 + dz
    H[..., 1, 1] = d0 - dz
    H[..., 0, 1] = dx - 1j * dy
    H[..., 1, 0] = dx + 1j * dy
    return H


def solve_path(ks):
    H = haldane_like(ks, 0.5 * ks)
    energies, states = torch.linalg.eigh(H)
    return energies, states


def finite_difference_connection(states, dk, band=0):
    u = states[..., band]
    du = (u[1:] - u[:-1]) / dk
    return (u[:-1].conj() * du).sum(-1).imag


def run():
    ks = torch.linspace(0.0, torch.pi, 16, dtype=torch.float64)
    energies, states = solve_path(ks)
    conn = finite_difference_connection(states, float(ks[1] - ks[0]))
    return {"bands": energies, "connection": conn, "phase_estimate": conn.sum() * float(ks[1] - ks[0])}

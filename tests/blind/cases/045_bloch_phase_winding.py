# modelled on: kuansenlin/nested_and_spin_resolved_Wilson_loop inversion_axion_3D.py (band eigenvectors on a k-path)
import math

import torch


def ssh_bloch(ks, v=0.6, w=1.0):
    off = v + w * torch.exp(1j * ks)
    H = torch.zeros(len(ks), 2, 2, dtype=torch.complex128)
    H[:, 0, 1] = off
    H[:, 1, 0] = off.conj()
    return H


def occupied_band(ks):
    energies, states = torch.linalg.eigh(ssh_bloch(ks))
    return energies[:, 0], states[:, :, 0]


def winding_from_components(u):
    phase = torch.angle(u[:, 1])
    steps = torch.diff(phase)
    steps = (steps + math.pi) % (2 * math.pi) - math.pi
    return steps.sum() / (2 * math.pi)


def run():
    ks = torch.linspace(-math.pi, math.pi, 25, dtype=torch.float64)
    e, u = occupied_band(ks)
    weight = (u.abs() ** 2)[:, 0]
    return {"gap": (-e).min() * 2, "weight": weight, "winding": winding_from_components(u)}

# modelled on: treycole/treycole.github.io notes/content/berry_phase.md
from dataclasses import dataclass, field

import torch


@dataclass
class BandPath:
    ks: torch.Tensor
    states: list = field(default_factory=list)
    energies: list = field(default_factory=list)


def ssh_bloch(k, v=0.6, w=1.0):
    off = v + w * torch.exp(-1j * k)
    h = torch.zeros(2, 2, dtype=torch.complex128)
    h[0, 1] = off
    h[1, 0] = off.conj()
    h[0, 0] = 0.05
    h[1, 1] = -0.05
    return h


def fill(path):
    for k in path.ks:
        e, v = torch.linalg.eigh(ssh_bloch(k))
        path.energies.append(e[0])
        path.states.append(v[:, 0])
    return path


def zak_phase(path):
    links = torch.stack([torch.vdot(a, b) for a, b in zip(path.states[:-1], path.states[1:])])
    return -torch.angle(torch.prod(links))


def run():
    ks = torch.linspace(-torch.pi, torch.pi, 31, dtype=torch.float64)[:-1]
    path = fill(BandPath(ks=ks))
    gap = -2 * torch.stack(path.energies).max()
    return {"zak": zak_phase(path), "gap": gap}

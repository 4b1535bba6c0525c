# modelled on: treycole/pythtb pythtb.py
import torch


def bloch_hamiltonians(ks, v=0.6, w=1.0, m=0.3):
    off = v + w * torch.exp(-1j * ks)
    mm = torch.full_like(off, m)
    top = torch.stack([mm, off], dim=-1)
    bot = torch.stack([off.conj(), -mm], dim=-1)
    return torch.stack([top, bot], dim=-2)


def berry_phase_closed(states, band):
    u = states[..., band]
    nxt = torch.roll(u, shifts=-1, dims=0)
    links = (u.conj() * nxt).sum(-1)
    return -torch.angle(torch.prod(links))


def wilson_loop_phases(states):
    n = states.shape[0]
    M = torch.eye(states.shape[-1], dtype=states.dtype)
    for j in range(n):
        M = M @ (states[j].mH @ states[(j + 1) % n])
    return torch.sort(torch.angle(torch.linalg.eigvals(M))).values


def run():
    nk = 32
    ks = 2 * torch.pi * torch.arange(nk, dtype=torch.float64) / nk
    H = bloch_hamiltonians(ks)
    evals, states = torch.linalg.eigh(H)
    return {
        "berry_lower": berry_phase_closed(states, 0),
        "berry_upper": berry_phase_closed(states, 1),
        "wilson": wilson_loop_phases(states),
        "bands": evals,
    }

# modelled on: JuliaDSP/DSP.jl src/estimation.jl
import math

import torch


def hankel(x, m):
    n = x.shape[0]
    idx = torch.arange(m)[:, None] + torch.arange(n - m + 1)[None, :]
    return x[idx]


def esprit(x, m, p, fs=1.0):
    X = hankel(x, m)
    U, S, Vh = torch.linalg.svd(X, full_matrices=False)
    Us = U[:, :p]
    Phi = torch.linalg.lstsq(Us[:-1], Us[1:]).solution
    lam, W = torch.linalg.eig(Phi)
    order = torch.argsort(torch.angle(lam))
    lam = lam[order]
    W = W[:, order]
    freqs = torch.angle(lam) * fs / (2 * math.pi)
    return freqs, lam, Us @ W


def vandermonde_amplitudes(x, lam):
    n = torch.arange(x.shape[0], dtype=torch.float64)
    Z = lam[None, :] ** n[:, None].to(lam.dtype)
    return torch.linalg.lstsq(Z, x[:, None]).solution[:, 0]


def component_phases(modes):
    return torch.angle(modes[0])


def run():
    g = torch.Generator().manual_seed(7)
    n = torch.arange(64, dtype=torch.float64)
    f_true = torch.tensor([0.11, 0.23, 0.31], dtype=torch.float64)
    a_true = torch.tensor([1.0, 0.7, 0.5], dtype=torch.float64)
    ph_true = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64)
    x = (a_true[None, :] * torch.exp(1j * (2 * math.pi * f_true[None, :] * n[:, None] + ph_true[None, :]))).sum(1)
    noise = torch.randn(64, generator=g, dtype=torch.float64) + 1j * torch.randn(64, generator=g, dtype=torch.float64)
    x = x + 0.01 * noise
    freqs, lam, modes = esprit(x, 20, 3)
    amps = vandermonde_amplitudes(x, lam)
    mode_phase = component_phases(modes)
    return {
        "freqs": freqs,
        "amplitudes": amps.abs(),
        "initial_phase": torch.angle(amps),
        "mode_phase": mode_phase,
    }

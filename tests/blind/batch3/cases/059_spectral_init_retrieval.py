# modelled on: shaxov/phrt_opt phrt_opt/initializers.py
import torch


def measurements(gen, x, m):
    n = x.shape[0]
    A = (torch.randn(m, n, generator=gen, dtype=torch.float64) + 1j * torch.randn(m, n, generator=gen, dtype=torch.float64)) / 2 ** 0.5
    y = (A @ x).abs() ** 2
    return A, y


def spectral_initialization(A, y):
    m = A.shape[0]
    Y = (A.mH * y) @ A / m
    evals, evecs = torch.linalg.eigh(Y)
    scale = torch.sqrt(y.mean())
    return scale * evecs[:, -1]


def align_global_phase(z, x):
    s = torch.sign(torch.vdot(z, x).real)
    return z * s


def relative_error(z, x):
    return torch.linalg.vector_norm(z - x) / torch.linalg.vector_norm(x)


def phase_invariant_distance(z, x):
    d2 = z.abs().pow(2).sum() + x.abs().pow(2).sum() - 2 * torch.vdot(z, x).abs()
    return d2.clamp_min(0).sqrt() / torch.linalg.vector_norm(x)


def run():
    gen = torch.Generator().manual_seed(0)
    n = 8
    x = torch.randn(n, generator=gen, dtype=torch.float64) + 1j * torch.randn(n, generator=gen, dtype=torch.float64)
    A, y = measurements(gen, x, m=96)
    z0 = spectral_initialization(A, y)
    z0_aligned = align_global_phase(z0, x)
    return {
        "init_error": relative_error(z0_aligned, x),
        "init_estimate": z0_aligned,
        "distance": phase_invariant_distance(z0, x),
    }

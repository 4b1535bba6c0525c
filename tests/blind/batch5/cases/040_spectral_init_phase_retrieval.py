# modelled on: Wongboo/big_data_analysis_utility phase/wf_1d_cdp.py
import torch


def measurements(n, m, gen):
    x = torch.complex(torch.randn(n, generator=gen, dtype=torch.float64),
                      torch.randn(n, generator=gen, dtype=torch.float64))
    A = torch.complex(torch.randn(m, n, generator=gen, dtype=torch.float64),
                      torch.randn(m, n, generator=gen, dtype=torch.float64)) / 2 ** 0.5
    y = (A @ x).abs() ** 2
    return x, A, y


def spectral_init(A, y):
    m, n = A.shape
    Y = (A.mH * y[None, :]) @ A / m
    w, V = torch.linalg.eigh(Y)
    normest = (y.sum() / m).sqrt()
    return normest * V[:, -1]


def wirtinger_flow(A, y, z, iters=30, tau0=330.0):
    m = A.shape[0]
    normest2 = y.sum() / m
    for t in range(1, iters + 1):
        Az = A @ z
        grad = A.mH @ (((Az.abs() ** 2) - y) * Az) / m
        mu = min(1 - float(torch.exp(torch.tensor(-t / tau0))), 0.2)
        z = z - mu / normest2 * grad
    return z


def relative_error(x, z):
    return torch.linalg.norm(x - z) / torch.linalg.norm(x)


def aligned_error(x, z):
    c = torch.vdot(z, x)
    return torch.linalg.norm(x - (c / c.abs()) * z) / torch.linalg.norm(x)


def run():
    gen = torch.Generator().manual_seed(2)
    x, A, y = measurements(16, 128, gen)
    z0 = spectral_init(A, y)
    z = wirtinger_flow(A, y, z0)
    return {
        "init_aligned_err": aligned_error(x, z0),
        "final_aligned_err": aligned_error(x, z),
        "final_err": relative_error(x, z),
        "fit_residual": torch.linalg.norm((A @ z).abs() ** 2 - y) / torch.linalg.norm(y),
    }

# modelled on: rampasek/GraphGPS graphgps/transform/posenc_stats.py
import numpy as np
import torch
import torch.nn.functional as F


def weighted_laplacian(n, seed):
    rng = np.random.default_rng(seed)
    W = rng.random((n, n)) * (rng.random((n, n)) < 0.35)
    W = np.triu(W, 1)
    W = W + W.T
    return np.diag(W.sum(1)) - W, W


def get_heat_kernels_diag(evects, evals, kernel_times):
    evects = F.normalize(evects, p=2.0, dim=0)
    keep = evals >= 1e-8
    evals = evals[keep].unsqueeze(-1)
    evects = evects[:, keep].transpose(0, 1)
    eigvec_mul = evects ** 2
    out = [torch.sum(torch.exp(-t * evals) * eigvec_mul, dim=0) for t in kernel_times]
    return torch.stack(out, dim=0).transpose(0, 1)


def get_heat_kernels(evects, evals, kernel_times):
    evects = F.normalize(evects, p=2.0, dim=0)
    keep = evals >= 1e-8
    evals = evals[keep].unsqueeze(-1).unsqueeze(-1)
    evects = evects[:, keep].transpose(0, 1)
    eigvec_mul = evects.unsqueeze(2) * evects.unsqueeze(1)
    kernels = [torch.sum(torch.exp(-t * evals) * eigvec_mul, dim=0) for t in kernel_times]
    return torch.stack(kernels, dim=0)


def eigvec_abs_max(evects):
    denom = torch.max(evects.abs(), dim=0, keepdim=True).values
    return evects / denom


def run():
    L, W = weighted_laplacian(15, 9)
    evals, evects = np.linalg.eigh(L)
    evals_t = torch.from_numpy(evals)
    evects_t = torch.from_numpy(evects)
    times = [0.5, 1.0, 2.0]
    hk_diag = get_heat_kernels_diag(evects_t, evals_t, times)
    hk_full = get_heat_kernels(evects_t, evals_t, times)
    pe = eigvec_abs_max(evects_t[:, 1:5])
    return {
        "hk_diag": hk_diag,
        "hk_full": hk_full,
        "pe_magnitude": pe.abs(),
        "evals": evals_t,
    }

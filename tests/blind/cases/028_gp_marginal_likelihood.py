# modelled on: cjratcliff/ml-compiled docs/gaussian_processes.rst
import math

import torch


def rbf(x, y, ell, sf):
    return sf ** 2 * torch.exp(-torch.cdist(x, y) ** 2 / (2 * ell ** 2))


def gp_fit(x, y, ell=0.5, sf=1.0, noise=0.1):
    K = rbf(x, x, ell, sf)
    evals, evecs = torch.linalg.eigh(K)
    evals = evals + noise ** 2
    proj = evecs.T @ y
    alpha = evecs @ (proj / evals)
    nll = 0.5 * (proj ** 2 / evals).sum() + 0.5 * torch.log(evals).sum() + 0.5 * len(y) * math.log(2 * math.pi)
    return alpha, nll


def gp_predict(x_train, alpha, x_test, ell=0.5, sf=1.0):
    return rbf(x_test, x_train, ell, sf) @ alpha


def run():
    torch.manual_seed(0)
    x = torch.linspace(0, 3, 10, dtype=torch.float64)[:, None]
    y = torch.sin(2 * x[:, 0]) + 0.1 * torch.randn(10, dtype=torch.float64)
    alpha, nll = gp_fit(x, y)
    xs = torch.linspace(0, 3, 7, dtype=torch.float64)[:, None]
    return {"nll": nll, "mean": gp_predict(x, alpha, xs)}

# modelled on: amirgholami/PyHessian pyhessian/hessian.py
import torch
from torch.func import grad, hessian


def mlp_loss(params, X, y):
    W1, w2 = params[:12].reshape(3, 4), params[12:]
    h = torch.tanh(X @ W1.T)
    return ((h @ w2 - y) ** 2).mean()


def curvature_report(params, X, y, k=3):
    H = hessian(mlp_loss)(params, X, y)
    g = grad(mlp_loss)(params, X, y)
    evals, evecs = torch.linalg.eigh(H)
    top = evecs.flip(-1)[:, :k]
    rayleigh = torch.einsum("ik,ij,jk->k", top, H, top)
    grad_in_top = torch.linalg.norm(top.T @ g)
    density = torch.histc(evals, bins=4, min=-1.0, max=3.0)
    return rayleigh, grad_in_top, density


def run():
    g = torch.Generator().manual_seed(7)
    X = torch.randn(15, 4, dtype=torch.float64, generator=g)
    y = torch.sin(X[:, 0])
    params = 0.5 * torch.randn(15, dtype=torch.float64, generator=g)
    rq, gt, dens = curvature_report(params, X, y)
    return {"rayleigh": rq, "grad_top_norm": gt, "density": dens}

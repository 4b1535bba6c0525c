# modelled on: noahgolmant/pytorch-hessian-eigenthings hessian_eigenthings/lanczos.py
import numpy as np
import torch
from scipy.sparse.linalg import LinearOperator, eigsh


def make_loss(X, y):
    def loss_fn(theta):
        logits = X @ theta[:-1] + theta[-1]
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y) + 0.01 * theta.pow(2).sum()
    return loss_fn


def hvp_operator(loss_fn, theta):
    def matvec(v):
        v_t = torch.from_numpy(np.asarray(v, dtype=np.float64).ravel())
        _, hv = torch.autograd.functional.hvp(loss_fn, theta, v_t)
        return hv.numpy()
    n = theta.numel()
    return LinearOperator((n, n), matvec=matvec, dtype=np.float64)


def lanczos(operator, num_eigenthings=2):
    n = operator.shape[0]
    eigenvals, eigenvecs = eigsh(operator, k=num_eigenthings, which="LA", v0=np.ones(n), tol=1e-12)
    order = np.argsort(eigenvals)[::-1]
    return eigenvals[order], eigenvecs[:, order].T


def perturbed_losses(loss_fn, theta, directions, rho=0.3):
    out = []
    for d in directions:
        step = torch.from_numpy(d.copy())
        out.append(loss_fn(theta + rho * step).item())
    return np.array(out)


def run():
    torch.manual_seed(0)
    X = torch.randn(30, 5, dtype=torch.float64)
    y = (X[:, 0] - 0.5 * X[:, 1] + 0.3 * torch.randn(30, dtype=torch.float64) > 0).double()
    theta = 0.5 * torch.randn(6, dtype=torch.float64)
    loss_fn = make_loss(X, y)
    vals, vecs = lanczos(hvp_operator(loss_fn, theta))
    return {"top_eigs": vals, "perturbed_loss": perturbed_losses(loss_fn, theta, vecs),
            "base_loss": loss_fn(theta).item()}

# modelled on: amirgholami/PyHessian pyhessian/hessian.py
import torch
from torch.autograd.functional import hessian


def make_problem(seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(20, 7, dtype=torch.float64, generator=g)
    w_true = torch.tensor([1.0, -2.0, 0.5, 0.0, 0.7, -0.3, 1.2], dtype=torch.float64)
    y = (X @ w_true > 0).double()
    return X, y


def loss_fn(w, X, y):
    logits = X @ w
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, y) + 0.05 * (w ** 4).sum()


def top_directions(w, X, y, k=2):
    H = hessian(lambda p: loss_fn(p, X, y), w)
    X0 = torch.eye(H.shape[0], k, dtype=H.dtype) + 0.1
    evals, evecs = torch.lobpcg(H, k=k, X=X0, largest=True, niter=100, tol=1e-10)
    return evals, evecs


def landscape(w, X, y, d1, d2, span=1.0, n=5):
    alphas = torch.linspace(-span, span, n + 2, dtype=torch.float64)[1:]
    grid = torch.zeros(len(alphas), len(alphas), dtype=torch.float64)
    for i, a in enumerate(alphas):
        for j, b in enumerate(alphas):
            grid[i, j] = loss_fn(w + a * d1 + b * d2, X, y)
    return grid


def run():
    X, y = make_problem()
    w = torch.tensor([0.8, -1.5, 0.3, 0.1, 0.5, -0.2, 0.9], dtype=torch.float64)
    evals, evecs = top_directions(w, X, y)
    surface = landscape(w, X, y, evecs[:, 0], evecs[:, 1])
    return {"top_eigs": evals.sort().values, "surface": surface}

# modelled on: lawrennd/old_talks _gp/includes/nystrom.md
import torch
import torch.linalg as LA


def rbf(a, b, ls=0.8):
    return torch.exp(-0.5 * torch.cdist(a, b) ** 2 / ls ** 2)


def nystrom(X, m):
    idx = torch.arange(0, X.shape[0], X.shape[0] // m)[:m]
    Kmm = rbf(X[idx], X[idx])
    Knm = rbf(X, X[idx])
    res = LA.eigh(Kmm)
    inv_vals = torch.where(res.eigenvalues > 1e-10, 1.0 / res.eigenvalues, torch.zeros_like(res.eigenvalues))
    Kmm_pinv = res.eigenvectors @ torch.diag(inv_vals) @ res.eigenvectors.T
    return Knm @ Kmm_pinv @ Knm.T


def run():
    torch.manual_seed(0)
    X = torch.randn(12, 2, dtype=torch.float64)
    K = rbf(X, X)
    K_hat = nystrom(X, 4)
    return {"K_hat": K_hat, "rel_err": torch.linalg.norm(K - K_hat) / torch.linalg.norm(K)}

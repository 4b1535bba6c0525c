# modelled on: vortex-exoplanet/VIP vip_hci/pca/svd.py (top principal components with torch)
import torch


def top_component(X, k=2):
    Xc = X - X.mean(0)
    C = Xc.T @ Xc / (X.shape[0] - 1)
    evals, evecs = torch.lobpcg(C, k=k, largest=True, niter=100, tol=1e-10)
    return evals, evecs, Xc


def most_extreme(X, n=3):
    evals, evecs, Xc = top_component(X)
    scores = Xc @ evecs[:, 0]
    return torch.topk(scores, n).indices, evals


def run():
    torch.manual_seed(0)
    X = torch.randn(20, 12, dtype=torch.float64) * torch.linspace(3.0, 0.5, 12, dtype=torch.float64)
    idx, evals = most_extreme(X)
    return {"idx": idx, "evals": evals}

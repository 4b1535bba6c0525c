# modelled on: scikit-learn/scikit-learn sklearn/utils/extmath.py
import torch


def flip_signs(u, v):
    idx = torch.argmax(u.abs(), dim=0)
    signs = torch.sign(u[idx, torch.arange(u.shape[1])])
    return u * signs, v


def pca_features(X, q):
    U, S, V = torch.pca_lowrank(X, q=q, center=True, niter=4)
    U, V = flip_signs(U, V)
    mean = X.mean(0, keepdim=True)
    feats = (X - mean) @ V[:, :q]
    approx = U * S @ V.T + mean
    return feats, approx, U * S


def run():
    g = torch.Generator().manual_seed(2)
    X = torch.randn(16, 3, dtype=torch.float64, generator=g) @ torch.randn(3, 6, dtype=torch.float64, generator=g)
    feats, approx, scores = pca_features(X, 3)
    return {"features": feats, "approx": approx, "scores": scores}

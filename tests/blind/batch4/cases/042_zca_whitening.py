# modelled on: kornia/kornia kornia/enhance/zca.py
import torch
from torch import nn


def zca_mean(inp, dim=0, unbiased=True, eps=1e-6, return_inverse=False):
    N = inp.shape[dim]
    feature_sizes = [inp.shape[i] for i in range(inp.dim()) if i != dim]
    mean = torch.mean(inp, dim=dim, keepdim=True)
    inp_center_flat = (inp - mean).reshape(N, -1)
    cov = inp_center_flat.t().mm(inp_center_flat) / (N - 1 if unbiased else N)
    U, S, _ = torch.linalg.svd(cov)
    S = S.reshape(-1, 1)
    S_inv_root = torch.rsqrt(S + eps)
    T = (U).mm(S_inv_root * U.t())
    T_inv = None
    if return_inverse:
        T_inv = (U).mm(torch.sqrt(S + eps) * U.t())
    return T, mean.reshape(feature_sizes), T_inv


class ZCAWhitening(nn.Module):
    def __init__(self, eps=1e-6, compute_inv=True):
        super().__init__()
        self.eps = eps
        self.compute_inv = compute_inv

    def fit(self, x):
        T, mean, T_inv = zca_mean(x, 0, True, self.eps, self.compute_inv)
        self.transform_matrix, self.mean_vector, self.transform_inv = T, mean, T_inv
        return self

    def forward(self, x, include_fit=False):
        if include_fit:
            self.fit(x)
        x_flat = x.reshape(x.shape[0], -1)
        return (x_flat - self.mean_vector.reshape(1, -1)) @ self.transform_matrix

    def inverse_transform(self, y):
        return y @ self.transform_inv + self.mean_vector.reshape(1, -1)


def run():
    torch.manual_seed(0)
    mix = torch.randn(5, 5, dtype=torch.float64)
    x = torch.randn(40, 5, dtype=torch.float64) @ mix
    zca = ZCAWhitening().fit(x)
    y = zca(x)
    back = zca.inverse_transform(y)
    cov = y.T @ y / (y.shape[0] - 1)
    return {"whitened": y, "cov": cov, "roundtrip": (back - x).abs().max()}

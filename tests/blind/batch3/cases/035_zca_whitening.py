# modelled on: kornia/kornia kornia/enhance/zca.py
import torch
import torch.linalg as LA


class ZCAWhitening:
    def __init__(self, eps=1e-6, unbiased=True):
        self.eps = eps
        self.unbiased = unbiased
        self.fitted = False

    def fit(self, x):
        self.mean_vector = x.mean(dim=0, keepdim=True)
        xc = x - self.mean_vector
        cov = xc.mH @ xc / (x.shape[0] - int(self.unbiased))
        S, U = LA.eigh(cov)
        scale = (S + self.eps).rsqrt()
        self.transform_matrix = (U * scale) @ U.mH
        self.transform_inv = (U * (S + self.eps).sqrt()) @ U.mH
        self.fitted = True
        return self

    def __call__(self, x, include_fit=False):
        if include_fit or not self.fitted:
            self.fit(x)
        return (x - self.mean_vector) @ self.transform_matrix

    def inverse_transform(self, y):
        return y @ self.transform_inv + self.mean_vector


def run():
    torch.manual_seed(0)
    A = torch.randn(5, 5, dtype=torch.complex128)
    x = torch.randn(40, 5, dtype=torch.complex128) @ A
    zca = ZCAWhitening()
    y = zca(x, include_fit=True)
    cov_y = y.mH @ y / (y.shape[0] - 1)
    return {"whitened": y, "cov_whitened": cov_y, "roundtrip": zca.inverse_transform(y)}

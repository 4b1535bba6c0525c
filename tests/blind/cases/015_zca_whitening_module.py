# modelled on: rosejn/torch-datasets dataset/whitening.lua
import torch
import torch.linalg as LA


class ZCAWhitening:
    def __init__(self, eps=1e-6):
        self.eps = eps

    def fit(self, x):
        x = x.reshape(x.shape[0], -1)
        self.mean = x.mean(0, keepdim=True)
        xc = x - self.mean
        cov = xc.T @ xc / (x.shape[0] - 1)
        S, U = LA.eigh(cov)
        self.transform_matrix = U @ torch.diag(1.0 / torch.sqrt(S + self.eps)) @ U.T
        self.inverse_matrix = U @ torch.diag(torch.sqrt(S + self.eps)) @ U.T
        return self

    def transform(self, x):
        flat = x.reshape(x.shape[0], -1)
        return ((flat - self.mean) @ self.transform_matrix).reshape(x.shape)

    def inverse_transform(self, z):
        flat = z.reshape(z.shape[0], -1)
        return (flat @ self.inverse_matrix + self.mean).reshape(z.shape)


def run():
    torch.manual_seed(0)
    mix = torch.randn(6, 6, dtype=torch.float64)
    data = torch.randn(40, 2, 3, dtype=torch.float64) @ mix[:3, :3]
    zca = ZCAWhitening().fit(data)
    white = zca.transform(data)
    flat = white.reshape(40, -1)
    cov_white = flat.T @ flat / 39
    back = zca.inverse_transform(white)
    return {"white": white, "cov_white": cov_white, "roundtrip": (back - data).abs().max()}

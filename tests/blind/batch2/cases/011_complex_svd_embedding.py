# modelled on: wavefrontshaping/complexPyTorch complexPyTorch/complexLayers.py
import torch
import torch.nn as nn


class ComplexLowRankLinear(nn.Module):
    def __init__(self, weight, rank):
        super().__init__()
        U, S, Vh = torch.linalg.svd(weight, full_matrices=False)
        self.left = nn.Parameter(U[:, :rank] * S[:rank])
        self.right = nn.Parameter(Vh[:rank])
        self.rank = rank

    def forward(self, x):
        return x @ self.right.T @ self.left.T

    def code(self, x):
        z = x @ self.right.T
        return torch.cat([z.real, z.imag], dim=-1)


def run():
    g = torch.Generator().manual_seed(0)
    W = torch.randn(6, 5, dtype=torch.complex128, generator=g)
    layer = ComplexLowRankLinear(W, rank=3)
    x = torch.randn(4, 5, dtype=torch.complex128, generator=g)
    with torch.no_grad():
        y = layer(x)
        codes = layer.code(x)
    return {"y": y, "codes": codes}

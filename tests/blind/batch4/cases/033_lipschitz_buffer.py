# modelled on: pytorch/pytorch torch/nn/utils/spectral_norm.py
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpectralNormLinear(nn.Module):
    def __init__(self, in_features, out_features, n_power_iterations=1):
        super().__init__()
        self.weight_orig = nn.Parameter(torch.randn(out_features, in_features, dtype=torch.float64))
        self.n_power_iterations = n_power_iterations
        with torch.no_grad():
            U, S, V = torch.svd(self.weight_orig)
        self.register_buffer("weight_u", U[:, 0].clone())
        self.register_buffer("weight_v", V[:, 0].clone())

    def compute_weight(self):
        u, v = self.weight_u, self.weight_v
        w = self.weight_orig
        with torch.no_grad():
            for _ in range(self.n_power_iterations):
                v = F.normalize(w.T @ u, dim=0)
                u = F.normalize(w @ v, dim=0)
            self.weight_u.copy_(u)
            self.weight_v.copy_(v)
        sigma = u @ w @ v
        return w / sigma, sigma

    def forward(self, x):
        w, sigma = self.compute_weight()
        return F.linear(x, w), sigma


def run():
    torch.manual_seed(0)
    layer = SpectralNormLinear(6, 4, n_power_iterations=2)
    x = torch.randn(3, 6, dtype=torch.float64)
    with torch.no_grad():
        layer.weight_orig.add_(0.1 * torch.randn(4, 6, dtype=torch.float64))
        y, sigma = layer(x)
    state = layer.state_dict()
    return {"y": y, "sigma": sigma, "u_buffer": state["weight_u"], "v_buffer": state["weight_v"]}

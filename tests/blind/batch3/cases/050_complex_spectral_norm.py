# modelled on: pytorch/pytorch torch/nn/utils/spectral_norm.py
import torch
import torch.nn.functional as F


class ComplexSpectralNorm:
    def __init__(self, weight, n_power_iterations=2, eps=1e-12):
        self.n_power_iterations = n_power_iterations
        self.eps = eps
        U, S, Vh = torch.linalg.svd(weight, full_matrices=False)
        self._u = U[:, 0].clone()
        self._v = Vh[0].conj().clone()

    def compute_weight(self, weight):
        u, v = self._u, self._v
        with torch.no_grad():
            for _ in range(self.n_power_iterations):
                v = F.normalize(weight.mH @ u, dim=0, eps=self.eps)
                u = F.normalize(weight @ v, dim=0, eps=self.eps)
        self._u, self._v = u, v
        sigma = torch.vdot(u, weight @ v)
        return weight / sigma, sigma


class ComplexLinearSN(torch.nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        w = torch.randn(out_features, in_features, dtype=torch.complex128)
        self.weight = torch.nn.Parameter(w)
        self.sn = ComplexSpectralNorm(self.weight.detach())

    def forward(self, x):
        w_sn, sigma = self.sn.compute_weight(self.weight)
        return x @ w_sn.T, sigma


def run():
    torch.manual_seed(0)
    layer = ComplexLinearSN(5, 6)
    x = torch.randn(4, 5, dtype=torch.complex128)
    with torch.no_grad():
        y, sigma = layer(x)
        layer.weight.add_(0.05 * torch.randn_like(layer.weight))
        y2, sigma2 = layer(x)
    return {"y": y, "sigma": sigma, "y_after_update": y2, "sigma_after_update": sigma2}

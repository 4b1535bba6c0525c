# modelled on: pytorch/pytorch torch/nn/utils/spectral_norm.py
import torch
import torch.nn.functional as F


class ComplexSpectralNorm:
    def __init__(self, n_power_iterations=2, eps=1e-12):
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def init_vectors(self, weight):
        U, S, Vh = torch.linalg.svd(weight, full_matrices=False)
        return U[:, 0], Vh[0].conj()

    def compute_weight(self, weight, u, v):
        for _ in range(self.n_power_iterations):
            v = F.normalize(weight.mH @ u, dim=0, eps=self.eps)
            u = F.normalize(weight @ v, dim=0, eps=self.eps)
        sigma = torch.vdot(u, weight @ v)
        return weight / sigma, sigma


def run():
    torch.manual_seed(0)
    weights = [torch.randn(5, 4, dtype=torch.complex128) for _ in range(3)]
    sn = ComplexSpectralNorm()
    normalized, sigmas = [], []
    for w in weights:
        u, v = sn.init_vectors(w)
        w_sn, sigma = sn.compute_weight(w, u, v)
        normalized.append(w_sn)
        sigmas.append(sigma)
    sig = torch.stack(sigmas)
    top = torch.stack([torch.linalg.matrix_norm(w, ord=2) for w in normalized])
    return {"weights_sn": torch.stack(normalized), "sigma": sig, "post_norm": top}

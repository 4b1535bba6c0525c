# modelled on: divanshArora/Eigenfaces README.md (PCA projection for visualisation)
from dataclasses import dataclass

import torch


@dataclass
class LowRankPCA:
    mean: torch.Tensor
    V: torch.Tensor
    S: torch.Tensor

    @classmethod
    def fit(cls, X, q):
        mean = X.mean(0)
        U, S, V = torch.svd_lowrank(X - mean, q=q, niter=6)
        return cls(mean=mean, V=V, S=S)

    def project(self, X):
        return (X - self.mean) @ self.V


def run():
    torch.manual_seed(0)
    X = torch.randn(14, 3, dtype=torch.float64) @ torch.randn(3, 10, dtype=torch.float64)
    pca = LowRankPCA.fit(X, 3)
    coords = pca.project(X)
    colors = (coords[:, 0] > 0).long()
    spread = coords.pow(2).mean(0)
    return {"colors": colors, "spread": spread, "S": pca.S}

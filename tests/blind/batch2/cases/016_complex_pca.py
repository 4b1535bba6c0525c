# modelled on: scikit-learn/scikit-learn sklearn/decomposition/_pca.py
import torch


class ComplexPCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean_ = X.mean(0, keepdim=True)
        U, S, Vh = torch.linalg.svd(X - self.mean_, full_matrices=False)
        self.components_ = Vh[: self.n_components]
        self.explained_variance_ = S[: self.n_components] ** 2 / (X.shape[0] - 1)
        return self

    def transform(self, X):
        return (X - self.mean_) @ self.components_.mH

    def inverse_transform(self, Z):
        return Z @ self.components_ + self.mean_


def run():
    g = torch.Generator().manual_seed(3)
    latent = torch.randn(20, 2, dtype=torch.complex128, generator=g)
    mix = torch.randn(2, 6, dtype=torch.complex128, generator=g)
    X = latent @ mix + 0.01 * torch.randn(20, 6, dtype=torch.complex128, generator=g)
    pca = ComplexPCA(2).fit(X)
    Z = pca.transform(X)
    X_rec = pca.inverse_transform(Z)
    features = torch.cat([Z.real, Z.imag], dim=1)
    return {"var": pca.explained_variance_, "rec": X_rec, "features": features, "power": Z.abs() ** 2}

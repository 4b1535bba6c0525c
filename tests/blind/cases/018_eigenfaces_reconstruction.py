# modelled on: pally2409/EigenFaces README.md
import torch


class Eigenfaces:
    def __init__(self, k):
        self.k = k

    def fit(self, faces):
        self.mean_face = faces.mean(0)
        U, S, Vh = torch.linalg.svd(faces - self.mean_face, full_matrices=False)
        self.eigenfaces = Vh[: self.k]  # [k, D]
        self.explained = S[: self.k] ** 2 / (S ** 2).sum()
        return self

    def project(self, x):
        return (x - self.mean_face) @ self.eigenfaces.T

    def reconstruct(self, weights):
        return self.mean_face + weights @ self.eigenfaces


def run():
    torch.manual_seed(0)
    D, n = 12, 10
    faces = torch.randn(n, 3, dtype=torch.float64) @ torch.randn(3, D, dtype=torch.float64)
    faces = faces + 0.05 * torch.randn(n, D, dtype=torch.float64)
    model = Eigenfaces(3).fit(faces)
    probe = faces[2] + 0.1 * torch.randn(D, dtype=torch.float64)
    w = model.project(probe)
    recon = model.reconstruct(w)
    gallery = model.project(faces)
    dists = torch.cdist(w[None], gallery)[0]
    return {"recon": recon, "err": (recon - probe).norm(), "nearest": dists.argmin(), "explained": model.explained}

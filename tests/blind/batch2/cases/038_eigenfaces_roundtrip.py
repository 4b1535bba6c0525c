# modelled on: scikit-learn/scikit-learn examples/applications/plot_face_recognition.py
import numpy as np


class Eigenfaces:
    def __init__(self, n_components=4):
        self.n_components = n_components

    def fit(self, faces):
        self.mean_ = faces.mean(0)
        cov = (faces - self.mean_).T @ (faces - self.mean_)
        vals, vecs = np.linalg.eigh(cov)
        order = np.argsort(vals)[::-1][: self.n_components]
        self.basis = vecs[:, order].T
        return self

    def project(self, faces):
        return (faces - self.mean_) @ self.basis.T

    def reconstruct(self, coeffs):
        return coeffs @ self.basis + self.mean_

    def identify(self, gallery, probe):
        g = self.project(gallery)
        p = self.project(probe[None])[0]
        return int(np.argmin(np.linalg.norm(g - p, axis=1)))


def run():
    rng = np.random.default_rng(12)
    people = rng.standard_normal((5, 9))
    gallery = people + 0.05 * rng.standard_normal((5, 9))
    model = Eigenfaces(4).fit(gallery)
    probe = people[3] + 0.05 * rng.standard_normal(9)
    rec = model.reconstruct(model.project(gallery))
    return {"who": model.identify(gallery, probe), "rec": rec}

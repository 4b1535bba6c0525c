# modelled on: scikit-learn/scikit-learn examples/applications/plot_face_recognition.py
import numpy as np
from scipy.linalg import svd as scipy_svd


class FaceClassifier:
    def __init__(self, n_components, n_classes, seed=0):
        rng = np.random.default_rng(seed)
        self.n_components = n_components
        self.W = rng.standard_normal((n_components, n_classes))
        self.bias = np.zeros(n_classes)

    def fit_pca(self, faces):
        self.mean_ = faces.mean(0)
        _, s, vt = scipy_svd(faces - self.mean_, full_matrices=False)
        self.components_ = vt[: self.n_components]
        self.scale_ = s[: self.n_components] / np.sqrt(len(faces) - 1)
        return self

    def decision_function(self, faces):
        z = (faces - self.mean_) @ self.components_.T / self.scale_
        return z @ self.W + self.bias

    def predict(self, faces):
        return self.decision_function(faces).argmax(1)


def run():
    rng = np.random.default_rng(4)
    faces = rng.standard_normal((10, 8)) @ rng.standard_normal((8, 8))
    clf = FaceClassifier(3, 4).fit_pca(faces)
    logits = clf.decision_function(faces[:5])
    return {"logits": logits, "pred": clf.predict(faces[:5]), "scale": clf.scale_}

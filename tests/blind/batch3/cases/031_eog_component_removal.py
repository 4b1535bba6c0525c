# modelled on: mne-tools/mne-python mne/preprocessing/ica.py
import numpy as np


class PCAArtifactRemover:
    def __init__(self, n_components=4):
        self.n_components = n_components

    def fit(self, data):
        self.mean_ = data.mean(axis=1, keepdims=True)
        U, s, Vt = np.linalg.svd(data - self.mean_, full_matrices=False)
        self.unmixing_ = U[:, : self.n_components].T
        self.mixing_ = U[:, : self.n_components]
        self.explained_ = s[: self.n_components] ** 2 / np.sum(s ** 2)
        return self

    def get_sources(self, data):
        return self.unmixing_ @ (data - self.mean_)

    def find_bads_eog(self, data, eog):
        sources = self.get_sources(data)
        scores = np.array([np.corrcoef(src, eog)[0, 1] for src in sources])
        return int(np.argmax(scores)), scores

    def apply(self, data, exclude):
        sources = self.get_sources(data)
        sources[exclude] = 0.0
        return self.mixing_ @ sources + self.mean_


def run():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 4, 80)
    blinks = np.exp(-((t[:, None] - np.array([0.7, 2.1, 3.3])) ** 2) / 0.02).sum(1)
    alpha = np.sin(2 * np.pi * 10 * t)
    theta = np.sin(2 * np.pi * 5 * t + 0.3)
    mix = rng.standard_normal((8, 3))
    mix[:, 0] = np.abs(mix[:, 0]) * np.linspace(3.0, 0.5, 8)
    data = mix @ np.vstack([blinks, alpha, theta]) + 0.05 * rng.standard_normal((8, 80))
    eog = blinks + 0.1 * rng.standard_normal(80)
    remover = PCAArtifactRemover(n_components=4).fit(data)
    idx, scores = remover.find_bads_eog(data, eog)
    cleaned = remover.apply(data, exclude=[idx])
    return {"excluded": idx, "abs_scores": np.abs(scores), "cleaned": cleaned, "explained": remover.explained_}

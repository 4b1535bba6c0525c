# modelled on: statsmodels/statsmodels statsmodels/multivariate/pca.py
import numpy as np
from scipy.signal import hilbert


class ComplexPCA:
    def __init__(self, data, ncomp=2, standardize=True):
        self.data = data
        self.ncomp = ncomp
        self.standardize = standardize
        self._prepare()
        self._compute()

    def _prepare(self):
        x = self.data - self.data.mean(0)
        if self.standardize:
            x = x / x.std(0)
        self.transformed_data = hilbert(x, axis=0)

    def _compute(self):
        x = self.transformed_data
        cov = x.conj().T @ x / x.shape[0]
        vals, vecs = np.linalg.eigh(cov)
        idx = np.argsort(vals)[::-1][: self.ncomp]
        self.eigenvals = vals[idx]
        self.eigenvecs = vecs[:, idx]
        self.factors = x @ self.eigenvecs
        self.rsquare = np.cumsum(self.eigenvals) / vals.sum()

    def amplitude(self):
        return np.abs(self.factors)

    def signal(self):
        return self.factors.real


def run():
    rng = np.random.default_rng(0)
    t = np.arange(120)
    lon = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    wave = np.cos(0.2 * t[:, None] - lon[None, :]) * (1 + 0.3 * np.sin(lon))[None, :]
    data = wave + 0.3 * rng.normal(size=wave.shape)
    pca = ComplexPCA(data, ncomp=2)
    return {"pc_signal": pca.signal(), "pc_amplitude": pca.amplitude(), "rsquare": pca.rsquare}

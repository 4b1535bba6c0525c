# modelled on: Prcpltwfkwd-TW/EOF EOF.py
import numpy as np
from scipy.signal import hilbert


def field(nt=150, nx=20, seed=14):
    rng = np.random.default_rng(seed)
    t = np.arange(nt)[:, None]
    x = np.arange(nx)[None, :]
    return np.sin(2 * np.pi * (t / 25.0 - x / 10.0)) + 0.4 * np.sin(2 * np.pi * t / 9.0) * np.cos(np.pi * x / 7.0) \
        + 0.15 * rng.standard_normal((nt, nx))


class HilbertEOF:
    def __init__(self, n_components):
        self.n_components = n_components

    def get(self, ds):
        self.mean = ds.mean(0)
        Z = hilbert(ds - self.mean, axis=0)
        C = Z.conj().T @ Z / Z.shape[0]
        evals, evecs = np.linalg.eigh(C)
        idx = np.argsort(evals)[::-1][:self.n_components]
        self.EOF = evecs[:, idx]
        self.PC = Z @ self.EOF
        self.explained = evals[idx] / evals.sum()
        return self

    def reconstruct(self):
        return np.real(self.PC @ self.EOF.conj().T) + self.mean


def instantaneous_frequency(pc):
    dphi = np.angle(pc[1:] * np.conj(pc[:-1]))
    return dphi / (2 * np.pi)


def run():
    ds = field()
    model = HilbertEOF(2).get(ds)
    recon = model.reconstruct()
    return {
        "explained": model.explained,
        "reconstruction": recon,
        "rmse": np.sqrt(np.mean((recon - ds) ** 2)),
        "inst_freq": instantaneous_frequency(model.PC[:, 0]),
        "amplitude": np.abs(model.PC[:, 0]),
    }

# modelled on: anthony-meza/xEOF README.md
import numpy as np
from scipy.signal import hilbert


class ComplexEOF:
    def __init__(self, n_modes=2):
        self.n_modes = n_modes

    def fit(self, field):
        anomalies = field - field.mean(0)
        self.analytic = hilbert(anomalies, axis=0)
        C = self.analytic.conj().T @ self.analytic / anomalies.shape[0]
        w, V = np.linalg.eigh(C)
        order = np.argsort(w)[::-1][:self.n_modes]
        self.variance = w[order] / w.sum()
        self.eofs = V[:, order]
        self.pcs = self.analytic @ self.eofs
        return self

    @property
    def spatial_amplitude(self):
        return np.abs(self.eofs)

    @property
    def leading_pattern(self):
        return self.eofs[:, 0]

    @property
    def temporal_amplitude(self):
        return np.abs(self.pcs)


def travelling_wave(nt=160, nx=24, seed=8):
    rng = np.random.default_rng(seed)
    t = np.arange(nt)[:, None]
    x = np.linspace(0, 2 * np.pi, nx)[None, :]
    wave = np.cos(2 * np.pi * t / 32.0 - 1.5 * x) * (1 + 0.3 * np.sin(x))
    standing = 0.5 * np.cos(2 * np.pi * t / 11.0) * np.sin(2 * x)
    return wave + standing + 0.1 * rng.standard_normal((nt, nx))


def crest_position(ceof, x):
    snapshot = ceof.leading_pattern.real
    return x[np.argmax(snapshot)]


def run():
    field = travelling_wave()
    x = np.linspace(0, 2 * np.pi, field.shape[1])
    ceof = ComplexEOF(2).fit(field)
    return {
        "explained": ceof.variance,
        "eof_amplitude": ceof.spatial_amplitude,
        "pc_amplitude": ceof.temporal_amplitude[:, 0],
        "crest_x": crest_position(ceof, x),
    }

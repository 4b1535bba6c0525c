# modelled on: pyRiemann/pyRiemann pyriemann/spatialfilters.py
import numpy as np


def cross_spectra(X, fs, band):
    n_t = X.shape[-1]
    freqs = np.fft.rfftfreq(n_t, 1.0 / fs)
    F = np.fft.rfft(X * np.hanning(n_t), axis=-1)
    sel = (freqs >= band[0]) & (freqs <= band[1])
    return np.einsum("cf,df->cd", F[:, sel], F[:, sel].conj()) / sel.sum()


class LeadingModeMap:
    def __init__(self, band):
        self.band = band

    def fit(self, X, fs):
        C = cross_spectra(X, fs, self.band)
        evals, evecs = np.linalg.eigh(C)
        self.lead_ = evecs[:, -1]
        self.ratio_ = evals[-1] / evals.sum()
        return self

    def maps(self):
        v = self.lead_
        power = np.abs(v) ** 2
        phase = np.angle(v)
        lag = np.angle(v * np.conj(v[0]))
        return power, phase, lag


def run():
    rng = np.random.default_rng(0)
    fs, n_t, n_ch = 100.0, 256, 6
    t = np.arange(n_t) / fs
    delays = rng.uniform(0, 0.02, n_ch)
    X = np.stack([np.sin(2 * np.pi * 10 * (t - d)) * rng.uniform(0.5, 1.5) for d in delays])
    X += 0.3 * rng.normal(size=X.shape)
    model = LeadingModeMap(band=(8.0, 12.0)).fit(X, fs)
    power, phase, lag = model.maps()
    return {"power": power, "phase": phase, "lag": lag, "ratio": model.ratio_}

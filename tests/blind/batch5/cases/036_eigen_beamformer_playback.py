# modelled on: Brauntt/multipath-spatiotemporal-simo-wireless-systems task_3/music.m
import numpy as np
from scipy import linalg as sla


class EigenBeamformer:
    def __init__(self, n_sensors):
        self.n_sensors = n_sensors
        self.weights = None

    def fit(self, X):
        R = X @ X.conj().T / X.shape[1]
        w, V = sla.eigh(R)
        self.weights = V[:, -1]
        self.gain = w[-1] / np.mean(w[:-1])
        return self

    def beam(self, X):
        return self.weights.conj() @ X


def to_audio(y):
    y = np.real(y)
    return y / np.max(np.abs(y))


def record(M=8, n=400, seed=21):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 8000.0
    env = 0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t)
    s = env * np.exp(1j * 2 * np.pi * 440.0 * t)
    a = np.exp(1j * np.pi * np.arange(M) * np.sin(np.deg2rad(17.0)))
    noise = 0.2 * (rng.standard_normal((M, n)) + 1j * rng.standard_normal((M, n)))
    return np.outer(a, s) + noise


def run():
    X = record()
    bf = EigenBeamformer(X.shape[0]).fit(X)
    y = bf.beam(X)
    audio = to_audio(y)
    return {
        "audio": audio,
        "output_power": np.mean(np.abs(y) ** 2),
        "array_gain": bf.gain,
        "envelope": np.abs(y),
    }

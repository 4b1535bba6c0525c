# modelled on: LCAV/pyroomacoustics pyroomacoustics/doa/music.py
import numpy as np


class MUSIC:
    def __init__(self, L, num_src, grid):
        self.L = L
        self.num_src = num_src
        self.grid = grid
        self.mode_vec = np.exp(1j * np.pi * np.outer(np.arange(L), np.sin(grid)))

    def _compute_spatial_spectrum(self, cross_spectrum):
        w, v = np.linalg.eigh(cross_spectrum)
        order = np.argsort(w)
        Un = v[:, order[: self.L - self.num_src]]
        proj = Un.conj().T @ self.mode_vec
        return 1.0 / np.sum(np.abs(proj) ** 2, axis=0)

    def locate_sources(self, X):
        R = X @ X.conj().T / X.shape[1]
        self.grid_values = self._compute_spatial_spectrum(R)
        peaks = [i for i in range(1, len(self.grid) - 1)
                 if self.grid_values[i] > self.grid_values[i - 1] and self.grid_values[i] > self.grid_values[i + 1]]
        peaks = sorted(peaks, key=lambda i: -self.grid_values[i])[: self.num_src]
        return np.sort(self.grid[peaks])


def simulate(rng, L, doas, n_snap=64, snr=10.0):
    A = np.exp(1j * np.pi * np.outer(np.arange(L), np.sin(doas)))
    S = (rng.normal(size=(len(doas), n_snap)) + 1j * rng.normal(size=(len(doas), n_snap))) / np.sqrt(2)
    N = (rng.normal(size=(L, n_snap)) + 1j * rng.normal(size=(L, n_snap))) / np.sqrt(2 * snr)
    return A @ S + N


def run():
    rng = np.random.default_rng(0)
    grid = np.linspace(-np.pi / 2, np.pi / 2, 181)
    X = simulate(rng, 6, np.array([-0.4, 0.5]))
    music = MUSIC(6, 2, grid)
    doa = music.locate_sources(X)
    return {"doa": doa, "pseudo_spectrum": music.grid_values}

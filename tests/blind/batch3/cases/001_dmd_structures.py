# modelled on: PyDMD/PyDMD pydmd/dmd.py
import numpy as np


class DMDOperator:
    def __init__(self, svd_rank):
        self.svd_rank = svd_rank
        self._modes = None

    def compute_operator(self, X, Y):
        U, s, Vh = np.linalg.svd(X, full_matrices=False)
        r = self.svd_rank
        U, s, V = U[:, :r], s[:r], Vh[:r].conj().T
        self._Atilde = U.T.conj() @ Y @ V @ np.diag(1.0 / s)
        self._eigenvalues, self._eigenvectors = np.linalg.eig(self._Atilde)
        self._modes = Y @ V @ np.diag(1.0 / s) @ self._eigenvectors
        return U, s, V

    @property
    def eigenvalues(self):
        return self._eigenvalues

    @property
    def modes(self):
        return self._modes


class DMD:
    def __init__(self, svd_rank=4):
        self.operator = DMDOperator(svd_rank)
        self._b = None

    def fit(self, snapshots):
        X, Y = snapshots[:, :-1], snapshots[:, 1:]
        self.operator.compute_operator(X, Y)
        self._b = np.linalg.lstsq(self.operator.modes, snapshots[:, 0], rcond=None)[0]
        return self

    @property
    def amplitudes(self):
        return self._b

    def dynamics(self, n_steps):
        t = np.arange(n_steps)
        return self.amplitudes[:, None] * self.operator.eigenvalues[:, None] ** t[None, :]

    def reconstructed_data(self, n_steps):
        return self.operator.modes @ self.dynamics(n_steps)

    def spatial_structures(self):
        modes = self.operator.modes
        return modes.real / np.linalg.norm(modes.real, axis=0)


def make_snapshots(rng, n_space=10, n_time=12):
    x = np.linspace(-1.0, 1.0, n_space)
    t = np.arange(n_time) * 0.3
    f1 = np.outer(1.0 / np.cosh(x), np.exp(2.3j * t))
    f2 = np.outer(np.tanh(x) / np.cosh(x), np.exp((0.9j - 0.05) * t))
    noise = 1e-3 * rng.standard_normal((n_space, n_time))
    return (f1 + f2).real + noise


def run():
    rng = np.random.default_rng(0)
    data = make_snapshots(rng)
    dmd = DMD(svd_rank=4).fit(data)
    recon = dmd.reconstructed_data(data.shape[1]).real
    spatial = dmd.spatial_structures()
    rates = np.sort(np.log(np.abs(dmd.operator.eigenvalues)))
    return {"reconstruction": recon, "spatial": spatial, "growth_rates": rates}

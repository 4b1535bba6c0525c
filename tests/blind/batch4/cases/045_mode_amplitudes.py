# modelled on: PyDMD/PyDMD pydmd/dmdbase.py
import numpy as np


class DMDBase:
    def __init__(self, svd_rank=4, exact=True):
        self.svd_rank = svd_rank
        self.exact = exact
        self._b = None

    def fit(self, X):
        self._snapshots = X
        X1, X2 = X[:, :-1], X[:, 1:]
        U, s, Vh = np.linalg.svd(X1, full_matrices=False)
        r = self.svd_rank
        U, s, V = U[:, :r], s[:r], Vh[:r].conj().T
        Atilde = U.conj().T @ X2 @ V / s
        self._eigs, W = np.linalg.eig(Atilde)
        self._modes = (X2 @ V / s) @ W if self.exact else U @ W
        return self

    def _compute_amplitudes(self):
        return np.linalg.lstsq(self._modes, self._snapshots[:, 0], rcond=None)[0]

    @property
    def amplitudes(self):
        if self._b is None:
            self._b = self._compute_amplitudes()
        return self._b

    @property
    def reconstructed_data(self):
        t = np.arange(self._snapshots.shape[1])
        return self._modes @ (self.amplitudes[:, None] * self._eigs[:, None] ** t[None, :])


def run():
    rng = np.random.default_rng(0)
    x = np.linspace(-2, 2, 10)[:, None]
    t = np.arange(18)[None, :] * 0.3
    X = (np.exp(-x ** 2) * np.cos(2.0 * t) + x * np.exp(-x ** 2) * np.sin(2.0 * t)
         + 0.4 * np.cos(x) * np.cos(0.9 * t) + 0.4 * np.sin(x) * np.sin(0.9 * t))
    dmd = DMDBase(svd_rank=4).fit(X + 1e-4 * rng.normal(size=X.shape))
    order = np.argsort(np.angle(dmd._eigs))
    b = dmd.amplitudes[order]
    return {"amplitudes": b, "amplitude_phase": np.angle(b), "amplitude_modulus": np.abs(b),
            "reconstruction": dmd.reconstructed_data.real}

# modelled on: QuantEcon/QuantEcon.py quantecon/markov/core.py
import numpy as np


class MarkovChain:
    def __init__(self, P, state_values=None):
        self.P = np.asarray(P, dtype=float)
        self.n = self.P.shape[0]
        self.state_values = np.arange(self.n) if state_values is None else state_values
        self._weights = None
        self._gap = None

    def _compute_stationary(self):
        vals, vecs = np.linalg.eig(self.P.T)
        idx = np.argmin(np.abs(vals - 1.0))
        vec = vecs[:, idx]
        vec = vec / np.linalg.norm(vec)
        self._weights = np.real(vec)
        mods = np.sort(np.abs(vals))[::-1]
        self._gap = 1.0 - mods[1]

    @property
    def stationary_distributions(self):
        if self._weights is None:
            self._compute_stationary()
        w = np.abs(self._weights)
        return w / w.sum()

    @property
    def unit_weights(self):
        if self._weights is None:
            self._compute_stationary()
        return self._weights

    def expected_value(self, f):
        return float(self.stationary_distributions @ f(self.state_values))


def run():
    rng = np.random.default_rng(0)
    P = rng.uniform(0.05, 1.0, size=(6, 6))
    P /= P.sum(axis=1, keepdims=True)
    mc = MarkovChain(P, state_values=np.linspace(-1, 1, 6))
    return {"stationary": mc.stationary_distributions, "weights": mc.unit_weights,
            "mean_state": mc.expected_value(lambda x: x), "gap": mc._gap}

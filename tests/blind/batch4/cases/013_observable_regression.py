# modelled on: dynamicslab/pykoopman pykoopman/koopman.py
import numpy as np


def lift(x):
    return np.column_stack([x[:, 0], x[:, 1], np.sin(x[:, 0]), x[:, 0] * x[:, 1], np.cos(x[:, 1])])


class Koopman:
    def __init__(self, n_modes=5):
        self.n_modes = n_modes

    def fit(self, x, y):
        gx, gy = lift(x), lift(y)
        self.K = np.linalg.lstsq(gx, gy, rcond=None)[0]
        lamda, right = np.linalg.eig(self.K)
        order = np.argsort(-np.abs(lamda))[: self.n_modes]
        self.lamda = lamda[order]
        self.right = right[:, order]
        return self

    def eigenfunctions(self, x):
        return lift(x) @ self.right

    def fit_observable(self, x, target):
        feats = self.eigenfunctions(x).real
        coef, *_ = np.linalg.lstsq(feats, target, rcond=None)
        return coef, feats @ coef


def step(x, a=0.9, b=0.2):
    return np.column_stack([a * np.cos(b) * x[:, 0] - a * np.sin(b) * x[:, 1],
                            a * np.sin(b) * x[:, 0] + a * np.cos(b) * x[:, 1] + 0.1 * x[:, 0] ** 2])


def run():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(30, 2))
    model = Koopman(n_modes=3).fit(x, step(x))
    target = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    coef, fitted = model.fit_observable(x, target)
    return {"coef": coef, "fitted": fitted, "decay": np.sort(np.abs(model.lamda))}

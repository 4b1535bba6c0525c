# modelled on: dynamicslab/pykoopman src/pykoopman/koopman.py
import numpy as np
from scipy.linalg import eig


def observables(X):
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1 ** 2, x1 * x2, x2 ** 2])


class EDMDEigenfunctions:
    def fit(self, X, Y):
        PX, PY = observables(X), observables(Y)
        self.K = np.linalg.lstsq(PX, PY, rcond=None)[0]
        self.lamda, self.W = eig(self.K)
        self.k_osc = int(np.argmax(self.lamda.imag))
        return self

    def psi(self, X):
        return observables(X) @ self.W

    def frequency(self, dt):
        return np.angle(self.lamda[self.k_osc]) / dt


def oscillator_phase(model, traj):
    phi = model.psi(traj)[:, model.k_osc]
    return np.angle(phi)


def phase_advance(model, traj):
    phi = model.psi(traj)[:, model.k_osc]
    return np.angle(phi[1:] / phi[:-1])


def simulate(x0, n, theta=0.4, rho=0.97):
    R = rho * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    out = [np.asarray(x0, dtype=float)]
    for _ in range(n - 1):
        out.append(R @ out[-1])
    return np.array(out)


def run():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (30, 2))
    Y = simulate(np.zeros(2), 1)[0] + X @ (0.97 * np.array([[np.cos(0.4), np.sin(0.4)], [-np.sin(0.4), np.cos(0.4)]]))
    model = EDMDEigenfunctions().fit(X, Y)
    traj = simulate([0.8, 0.1], 10)
    return {
        "phase": oscillator_phase(model, traj),
        "advance": phase_advance(model, traj),
        "frequency": model.frequency(dt=0.1),
    }

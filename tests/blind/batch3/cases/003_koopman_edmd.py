# modelled on: dynamicslab/pykoopman src/pykoopman/koopman.py
import numpy as np


class PolynomialObservables:
    def __init__(self, degree=2):
        self.degree = degree

    def transform(self, X):
        x1, x2 = X[:, 0], X[:, 1]
        feats = [np.ones_like(x1), x1, x2]
        if self.degree >= 2:
            feats += [x1 * x1, x1 * x2, x2 * x2]
        return np.stack(feats, axis=1)


class Koopman:
    def __init__(self, observables):
        self.observables = observables

    def fit(self, X, Y):
        PsiX = self.observables.transform(X)
        PsiY = self.observables.transform(Y)
        K = np.linalg.lstsq(PsiX, PsiY, rcond=None)[0].T
        self.eigenvalues_, self.eigenvectors_ = np.linalg.eig(K)
        self.n_obs_ = K.shape[0]
        return self

    def _mode_coordinates(self, x0):
        psi0 = self.observables.transform(x0[None, :])[0]
        return np.linalg.lstsq(self.eigenvectors_, psi0.astype(complex), rcond=None)[0]

    def predict(self, x0, n_steps):
        coords = self._mode_coordinates(x0)
        traj = []
        for t in range(n_steps):
            psi_t = self.eigenvectors_ @ (self.eigenvalues_ ** t * coords)
            traj.append(psi_t.real[1:3])
        return np.array(traj)

    def mode_energies(self, x0):
        return np.abs(self._mode_coordinates(x0)) ** 2


def simulate(rng, n=40, mu=0.9, lam=0.5):
    X = rng.uniform(-1, 1, size=(n, 2))
    Y = np.column_stack([mu * X[:, 0], lam * X[:, 1] + (mu ** 2 - lam) * X[:, 0] ** 2])
    return X, Y


def run():
    rng = np.random.default_rng(0)
    X, Y = simulate(rng)
    model = Koopman(PolynomialObservables(degree=2)).fit(X, Y)
    x0 = np.array([0.7, -0.3])
    traj = model.predict(x0, n_steps=8)
    energies = model.mode_energies(x0)
    order = np.argsort(-np.abs(model.eigenvalues_))
    return {"trajectory": traj, "mode_energies": energies[order], "spectrum": np.abs(model.eigenvalues_[order])}

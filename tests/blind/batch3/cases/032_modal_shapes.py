# modelled on: JWock82/PyNite PyNite/FEModel3D.py
import numpy as np
import scipy.linalg


class ShearBuilding:
    def __init__(self, masses, stiffnesses):
        self.m = np.asarray(masses, dtype=float)
        self.k = np.asarray(stiffnesses, dtype=float)

    def matrices(self):
        n = len(self.m)
        K = np.zeros((n, n))
        for i, ki in enumerate(self.k):
            K[i, i] += ki
            if i + 1 < n:
                K[i, i] += self.k[i + 1]
                K[i, i + 1] = K[i + 1, i] = -self.k[i + 1]
        return K, np.diag(self.m)


class ModalAnalysis:
    def __init__(self, model, num_modes=3):
        self.model = model
        self.num_modes = num_modes

    def solve(self):
        K, M = self.model.matrices()
        w2, phi = scipy.linalg.eigh(K, M, subset_by_index=[0, self.num_modes - 1])
        self.frequencies = np.sqrt(w2) / (2 * np.pi)
        self.shapes = phi
        self.M = M
        return self

    def normalized_shapes(self):
        return self.shapes / np.abs(self.shapes).max(axis=0)

    def participation_mass(self):
        r = np.ones(self.M.shape[0])
        gamma = self.shapes.T @ self.M @ r
        return gamma ** 2 / np.diag(self.shapes.T @ self.M @ self.shapes)


def run():
    rng = np.random.default_rng(0)
    masses = rng.uniform(1.0, 1.5, 8)
    stiff = rng.uniform(800.0, 1200.0, 8)
    modal = ModalAnalysis(ShearBuilding(masses, stiff), num_modes=3).solve()
    shapes = modal.normalized_shapes()
    return {
        "frequencies": modal.frequencies,
        "roof_amplitude": shapes[-1],
        "effective_mass": modal.participation_mass(),
    }

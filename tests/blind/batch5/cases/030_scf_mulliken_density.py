# modelled on: psi4/psi4numpy Self-Consistent-Field/RHF.py
import numpy as np
import scipy.linalg as sla


def model_integrals(x, sigma=0.9):
    S = np.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / sigma ** 2)
    Z = np.array([1.0, 1.3, 1.0, 1.3, 1.0, 1.3, 1.0])[: len(x)]
    H = -1.0 * S * (1.0 + 0.15 * np.abs(x[:, None] - x[None, :])) - np.diag(Z)
    c = 0.5 * (x[:, None] + x[None, :])
    I = 0.5 * np.einsum("pq,rs->pqrs", S, S) / (1.0 + np.abs(c[:, :, None, None] - c[None, None, :, :]))
    return S, H, I


class RHF:
    def __init__(self, x, ndocc):
        self.S, self.H, self.I = model_integrals(x)
        self.ndocc = ndocc

    def density(self, C):
        Cocc = C[:, : self.ndocc]
        return np.einsum("pi,qi->pq", Cocc, Cocc)

    def fock(self, D):
        J = np.einsum("pqrs,rs->pq", self.I, D)
        K = np.einsum("prqs,rs->pq", self.I, D)
        return self.H + 2 * J - K

    def kernel(self, maxiter=60):
        self.eps, self.C = sla.eigh(self.H, self.S)
        D = self.density(self.C)
        for _ in range(maxiter):
            F = self.fock(D)
            self.eps, self.C = sla.eigh(F, self.S)
            D = 0.5 * D + 0.5 * self.density(self.C)
        self.D = D
        self.E = np.einsum("pq,pq->", self.fock(D) + self.H, D)
        return self.E

    def mulliken(self):
        return 2 * np.diag(self.D @ self.S)

    def homo_density(self):
        return self.C[:, self.ndocc - 1] ** 2

    def bond_orders(self):
        PS = 2 * self.D @ self.S
        return PS * PS.T


def run():
    x = np.array([0.0, 1.3, 2.7, 4.0, 5.4, 6.7, 8.1])
    mf = RHF(x, 3)
    E = mf.kernel()
    return {
        "energy": E,
        "orbital_energies": mf.eps,
        "mulliken": mf.mulliken(),
        "homo_density": mf.homo_density(),
        "bond_orders": mf.bond_orders(),
    }

# modelled on: PowerSystemOscillations/PowerSystemOscillations.github.io data/chapter3/tables/Table_3_10.m
import numpy as np
from scipy import linalg


def shear_building(n=5, seed=2):
    rng = np.random.default_rng(seed)
    m = rng.uniform(1.0, 2.0, n)
    k = rng.uniform(800.0, 1200.0, n)
    c = rng.uniform(0.5, 4.0, n)
    K = np.zeros((n, n))
    Cd = np.zeros((n, n))
    for i in range(n):
        K[i, i] += k[i]
        Cd[i, i] += c[i]
        if i + 1 < n:
            K[i, i] += k[i + 1]
            K[i, i + 1] -= k[i + 1]
            K[i + 1, i] -= k[i + 1]
            Cd[i, i] += c[i + 1]
            Cd[i, i + 1] -= c[i + 1]
            Cd[i + 1, i] -= c[i + 1]
    Cd[0, 0] += 6.0
    Minv = np.diag(1.0 / m)
    A = np.block([[np.zeros((n, n)), np.eye(n)], [-Minv @ K, -Minv @ Cd]])
    return A, n


def complex_modes(A, ndof):
    lam, V = linalg.eig(A)
    keep = np.where(lam.imag > 0)[0]
    keep = keep[np.argsort(lam.imag[keep])]
    return lam[keep], V[:ndof, keep]


def normalise(V):
    Vn = np.zeros_like(V)
    for ii in range(V.shape[1]):
        I = np.argmax(np.abs(V[:, ii]))
        Vn[:, ii] = V[:, ii] / V[I, ii]
    return Vn


def mac(Phi):
    G = np.abs(Phi.conj().T @ Phi) ** 2
    d = np.real(np.einsum("ij,ij->j", Phi.conj(), Phi))
    return G / np.outer(d, d)


def run():
    A, n = shear_building()
    lam, V = complex_modes(A, n)
    Vn = normalise(V)
    return {
        "natural_freq_hz": np.abs(lam) / (2 * np.pi),
        "damping": -lam.real / np.abs(lam),
        "shape_magnitude": np.abs(Vn),
        "shape_phase_deg": np.degrees(np.angle(Vn)),
        "mac": mac(V),
    }

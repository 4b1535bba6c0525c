# modelled on: psi4/psi4numpy Self-Consistent-Field/RHF.py
import numpy as np


def basis_overlap(xa, xb, sigma=0.8):
    return np.exp(-0.5 * (xa[:, None] - xb[None, :]) ** 2 / sigma ** 2)


def model_integrals(x):
    S = basis_overlap(x, x)
    charges = np.linspace(1.0, 1.4, len(x))
    H = -1.2 * S * (1.0 + 0.1 * (x[:, None] - x[None, :]) ** 2) - np.diag(charges)
    c = 0.5 * (x[:, None] + x[None, :])
    I = 0.6 * np.einsum("pq,rs->pqrs", S, S) / (1.0 + np.abs(c[:, :, None, None] - c[None, None, :, :]))
    return S, H, I


def orthogonalizer(S):
    s, U = np.linalg.eigh(S)
    return U @ np.diag(s ** -0.5) @ U.T


def diag(F, A):
    Fp = A.dot(F).dot(A)
    e, C2 = np.linalg.eigh(Fp)
    return e, A.dot(C2)


def rhf(x, ndocc, maxiter=60):
    S, H, I = model_integrals(x)
    A = orthogonalizer(S)
    e, C = diag(H, A)
    Cocc = C[:, :ndocc]
    D = np.einsum("pi,qi->pq", Cocc, Cocc)
    for _ in range(maxiter):
        J = np.einsum("pqrs,rs->pq", I, D)
        K = np.einsum("prqs,rs->pq", I, D)
        F = H + 2 * J - K
        e, C = diag(F, A)
        Cocc = C[:, :ndocc]
        D = 0.5 * D + 0.5 * np.einsum("pi,qi->pq", Cocc, Cocc)
    E = np.einsum("pq,pq->", F + H, D)
    return E, e, C


def track_orbitals(x1, x2, ndocc):
    E1, e1, C1 = rhf(x1, ndocc)
    E2, e2, C2 = rhf(x2, ndocc)
    S12 = basis_overlap(x1, x2)
    overlap = C1.T @ S12 @ C2
    return np.array([E1, E2]), e2, np.diag(overlap)[:ndocc]


def run():
    x1 = np.array([0.0, 1.4, 2.9, 4.3, 5.8, 7.2])
    x2 = x1 * 1.05
    energies, eps2, mo_overlap = track_orbitals(x1, x2, 3)
    return {"energies": energies, "orbital_energies": eps2, "mo_overlap": mo_overlap}

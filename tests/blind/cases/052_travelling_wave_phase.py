# modelled on: Graph-COM/Walk_Profiles README.md (spectra of directed cycle operators)
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def advection_operator(n, c=0.8, nu=0.05):
    main = -2 * nu * np.ones(n)
    up = (nu - c / 2) * np.ones(n - 1)
    lo = (nu + c / 2) * np.ones(n - 1)
    A = sp.diags([lo, main, up], [-1, 0, 1]).tolil()
    A[0, n - 1] = nu + c / 2
    A[n - 1, 0] = nu - c / 2
    return A.tocsc()


def wave_numbers(A, k=3):
    n = A.shape[0]
    vals, vecs = spla.eigs(A, k=k, which="LR", v0=np.ones(n))
    rel = vecs[1:, :] * vecs[:-1, :].conj()  # neighbour-to-neighbour phase advance
    advance = np.angle(rel.sum(0))
    order = np.argsort(vals.imag)
    return np.abs(advance[order]), vals[order]


def run():
    adv, vals = wave_numbers(advection_operator(12))
    return {"phase_advance": adv, "growth": vals.real}

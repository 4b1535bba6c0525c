# modelled on: Ellie7/parrot-proj Crouse.R
import numpy as np
from scipy import linalg as sla


def leslie(fecundity, survival):
    n = len(fecundity)
    L = np.zeros((n, n))
    L[0, :] = fecundity
    L[np.arange(1, n), np.arange(n - 1)] = survival
    return L


def dominant_pair(A):
    w, vl, vr = sla.eig(A, left=True, right=True)
    k = np.argmax(w.real)
    return w[k].real, vl[:, k], vr[:, k]


def sensitivity_matrix(A):
    lam, v, w = dominant_pair(A)
    v = np.real(v) / np.linalg.norm(np.real(v))
    w = np.real(w) / np.linalg.norm(np.real(w))
    return lam, np.outer(v, w) / np.abs(v @ w)


def elasticity_matrix(A):
    lam, S = sensitivity_matrix(A)
    return S * A / lam


def run():
    fec = np.array([0.0, 1.2, 1.8, 1.1, 0.4])
    surv = np.array([0.6, 0.75, 0.7, 0.5])
    A = leslie(fec, surv)
    growth, S = sensitivity_matrix(A)
    E = elasticity_matrix(A)
    return {"lambda": growth, "sensitivity": S, "elasticity": E}

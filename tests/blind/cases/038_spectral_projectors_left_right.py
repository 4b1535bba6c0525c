# modelled on: breze-no-salt/breze old/brummlearn/brummlearn/cca.py (scipy.linalg.eig with sorting helpers)
import numpy as np
import scipy.linalg as la


def spectral_projectors(A):
    w, vl, vr = la.eig(A, left=True, right=True)
    projectors = []
    conds = []
    for k in range(len(w)):
        r, l = vr[:, k], vl[:, k]
        s = np.vdot(l, r)  # l^H r
        projectors.append(np.outer(r, l.conj()) / s)
        conds.append(np.linalg.norm(l) * np.linalg.norm(r) / abs(s))
    return w, projectors, np.array(conds)


def run():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    w, P, conds = spectral_projectors(A)
    A_rec = sum(lam * Pk for lam, Pk in zip(w, P))
    expA = sum(np.exp(lam) * Pk for lam, Pk in zip(w, P)).real
    order = np.argsort(-np.abs(w))
    return {"A_rec": A_rec, "expA": expA, "conds": conds[order], "trace_P0": np.trace(P[order[0]])}

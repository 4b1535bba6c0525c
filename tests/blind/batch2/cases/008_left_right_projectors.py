# modelled on: pymor/pymor src/pymor/algorithms/dmd.py
import numpy as np
import scipy.linalg as spla


def spectral_projectors(A):
    w, vl, vr = spla.eig(A, left=True, right=True)
    projs = []
    for k in range(len(w)):
        num = np.outer(vr[:, k], vl[:, k].conj())
        projs.append(num / (vl[:, k].conj() @ vr[:, k]))
    return w, projs


def run():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((5, 5)) + 1j * rng.standard_normal((5, 5))
    A = A / 3.0
    w, projs = spectral_projectors(A)
    order = np.argsort(w.real)
    P0 = projs[order[0]]
    cond = []
    for k in order:
        pk = projs[k]
        cond.append(np.linalg.norm(pk, 2))
    x0 = rng.standard_normal(5)
    step = sum(w[k] * (projs[k] @ x0) for k in range(len(w)))
    return {"w": w[order], "P0": P0, "cond": np.array(cond), "Ax": step}

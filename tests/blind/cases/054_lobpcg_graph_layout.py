# modelled on: wesbarnett/diffusion-map README.md (eigenvector coordinates for plotting)
import numpy as np
import scipy.sparse as sp
from scipy.sparse import linalg as sla


def ladder_laplacian(m):
    n = 2 * m
    rows, cols = [], []
    for i in range(m):
        rows += [i, i + m]
        cols += [i + m, i]
        if i + 1 < m:
            rows += [i, i + 1, i + m, i + m + 1]
            cols += [i + 1, i, i + m + 1, i + m]
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return sp.diags(np.asarray(A.sum(1)).ravel()) - A


def spectral_layout(L, rng):
    X0 = rng.standard_normal((L.shape[0], 3))
    vals, vecs = sla.lobpcg(L, X0, largest=False, tol=1e-10, maxiter=2000)
    order = np.argsort(vals)
    pos = vecs[:, order[1:3]].copy()
    pos -= pos.min(axis=0)
    pos /= pos.max(axis=0)
    return pos, vals[order]


def run():
    rng = np.random.default_rng(0)
    pos, vals = spectral_layout(ladder_laplacian(6), rng)
    return {"pos": pos, "vals": vals}

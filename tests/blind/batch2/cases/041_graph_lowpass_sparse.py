# modelled on: epfl-lts2/pygsp pygsp/filters/filter.py
import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla


def grid_laplacian(h, w):
    n = h * w
    rows, cols = [], []
    for i in range(h):
        for j in range(w):
            k = i * w + j
            if j + 1 < w:
                rows += [k, k + 1]
                cols += [k + 1, k]
            if i + 1 < h:
                rows += [k, k + w]
                cols += [k + w, k]
    W = sps.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    W = W + sps.diags(np.linspace(0.0, 0.3, n)) @ (W > 0)
    W = 0.5 * (W + W.T)
    return sps.diags(np.asarray(W.sum(1)).ravel()) - W


def lowpass(L, s, k=4):
    evals, evecs = np.linalg.eigh(L.toarray())
    coeffs = evecs[:, :k].T @ s
    vals_k, basis_k = spla.eigsh(L, k=k, which="SA", v0=np.ones(L.shape[0]))
    h = 1.0 / (1.0 + vals_k)
    return basis_k @ (h * coeffs)


def run():
    L = grid_laplacian(3, 3)
    s = np.linspace(-1, 1, 9) ** 3
    return {"filtered": lowpass(L, s), "lam": np.linalg.eigvalsh(L.toarray())}

# modelled on: gpeyre/matlab-toolboxes toolbox_signal/perform_classical_mds.m
import numpy as np


def classical_mds(D, ndims):
    N = D.shape[0]
    D2 = D ** 2
    M = -0.5 * (D2 - D2.sum(0)[None, :] / N - D2.sum(1)[:, None] / N + D2.sum() / N ** 2)
    vals, vecs = np.linalg.eigh(M)
    idx = np.argsort(vals)[::-1][:ndims]
    xy = vecs[:, idx]
    for i in range(ndims):
        xy[:, i] = xy[:, i] * np.sqrt(vals[idx[i]])
    return xy


def run():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 2)) * np.array([2.0, 0.7])
    X = X - X.mean(0)
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    Y = classical_mds(D, 2)
    coord_err = np.linalg.norm(Y - X) / np.linalg.norm(X)
    D_rec = np.sqrt(((Y[:, None] - Y[None]) ** 2).sum(-1))
    return {"coord_err": coord_err, "stress": np.abs(D_rec - D).max()}

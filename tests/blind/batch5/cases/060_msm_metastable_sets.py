# modelled on: davidivanis/Finding-Metastable-States-Using-SVD SVD_metastable.m
import numpy as np
import scipy.sparse.linalg


def metastable_chain(sizes=(8, 10, 12), eps=0.02, seed=47):
    rng = np.random.default_rng(seed)
    n = sum(sizes)
    C = rng.uniform(0.0, 0.05, size=(n, n)) * eps
    start = 0
    for s in sizes:
        C[start:start + s, start:start + s] = rng.uniform(0.5, 1.0, size=(s, s))
        start += s
    C = (C + C.T) / 2
    return C / C.sum(1, keepdims=True)


class MarkovStateModel:
    def __init__(self, T, lag_time=1.0):
        self.T = T
        self.lag_time = lag_time

    def get_eigenvectors(self, k):
        v0 = np.linspace(0.5, 1.5, self.T.shape[0])
        vals, vecs = scipy.sparse.linalg.eigs(self.T, k=k, which="LR", v0=v0)
        order = np.argsort(-vals.real)
        return vals[order], vecs[:, order]

    def timescales(self, k):
        vals, _ = self.get_eigenvectors(k)
        return -self.lag_time / np.log(np.abs(vals[1:].real))


def split_states(vecs):
    return np.real(vecs[:, 1]) > 0


def run():
    T = metastable_chain()
    msm = MarkovStateModel(T)
    vals, vecs = msm.get_eigenvectors(3)
    side = split_states(vecs)
    return {
        "eigenvalues": vals.real,
        "timescales": msm.timescales(3),
        "n_states_side_a": int(side.sum()),
    }

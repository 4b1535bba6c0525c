# modelled on: QuantEcon/QuantEcon.py quantecon/markov/core.py
import numpy as np
from scipy.linalg import eig


def stationary(P):
    w, vl = eig(P, left=True, right=False)
    i = np.argmin(np.abs(w - 1.0))
    pi = np.real(vl[:, i])
    pi = pi / pi.sum()
    return pi


def run():
    rng = np.random.default_rng(4)
    P = rng.random((6, 6)) ** 3
    P[0, 3] += 2.0
    P = P / P.sum(1, keepdims=True)
    pi = stationary(P)
    mixing = np.sort(np.abs(np.linalg.eigvals(P)))[::-1][1]
    return {"pi": pi, "check": np.abs(pi @ P - pi).max(), "slem": mixing}

# modelled on: ErikLundin98/hermitian_laplacian_graph lib.py
import numpy as np


def weighted_digraph(n, seed):
    rng = np.random.default_rng(seed)
    W = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
    np.fill_diagonal(W, 0.0)
    return W


def laplacian_q(W, q):
    Ws = 0.5 * (W + W.T)
    theta = np.pi * q * (W - W.T)
    return np.diag(Ws.sum(1)) - Ws * np.exp(1j * theta)


def low_pass(x, c=2.0):
    return 1.0 / (1.0 + c * x)


def characteristic(psi, t):
    return np.mean(np.exp(1j * t * psi), axis=1)


def graphwave(W, scales, times, q=0.1):
    L = laplacian_q(W, q)
    lam, U = np.linalg.eig(L)
    lam = np.real(lam)
    cols_re, cols_im = [], []
    for s in scales:
        psi = U @ np.diag(low_pass(lam * s)) @ U.conj().T
        for t in times:
            phi = characteristic(psi, t)
            cols_re.append(np.real(phi))
            cols_im.append(np.imag(phi))
    emb = np.concatenate([np.stack(cols_re, 1), np.stack(cols_im, 1)], axis=1)
    return emb, np.sort(lam)


def run():
    W = weighted_digraph(16, 11)
    emb, lam = graphwave(W, scales=[0.5, 2.0], times=[1.0, 3.0, 5.0])
    return {"embedding": emb, "spectrum": lam}

# modelled on: pymanopt/pymanopt src/pymanopt/manifolds/group.py
import numpy as np
import scipy.linalg
import torch


def hermitian(n, seed):
    g = torch.Generator().manual_seed(seed)
    M = torch.randn(n, n, dtype=torch.complex128, generator=g)
    return M + M.mH


def initial_generator(H):
    _, V = torch.linalg.eigh(H)
    G = scipy.linalg.logm(V.numpy())
    return np.real(G)


def run():
    H = hermitian(4, 9)
    X0 = initial_generator(H)
    spec = torch.linalg.eigvalsh(H)
    return {"X0": X0, "spec": spec}

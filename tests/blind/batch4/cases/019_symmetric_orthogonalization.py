# modelled on: pyscf/pyscf pyscf/lo/orth.py
import numpy
from functools import reduce


def lowdin(s):
    e, v = numpy.linalg.eigh(s)
    idx = e > 1e-15
    return numpy.dot(v[:, idx] / numpy.sqrt(e[idx]), v[:, idx].conj().T)


def vec_lowdin(c, s=1):
    return numpy.dot(c, lowdin(reduce(numpy.dot, (c.conj().T, s, c))))


def overlap_from_basis(rng, nao):
    b = rng.normal(size=(nao, nao + 3)) + 1j * rng.normal(size=(nao, nao + 3))
    s = b @ b.conj().T / (nao + 3)
    d = numpy.sqrt(numpy.real(numpy.diag(s)))
    return s / numpy.outer(d, d)


def run():
    rng = numpy.random.default_rng(0)
    nao = 7
    s = overlap_from_basis(rng, nao)
    x = lowdin(s)
    c0 = rng.normal(size=(nao, 4)) + 1j * rng.normal(size=(nao, 4))
    c = vec_lowdin(c0, s)
    ortho_err = numpy.abs(reduce(numpy.dot, (c.conj().T, s, c)) - numpy.eye(4)).max()
    return {"s_inv_half": x, "orth_mo": c, "ortho_err": ortho_err,
            "check": numpy.abs(x @ s @ x - numpy.eye(nao)).max()}

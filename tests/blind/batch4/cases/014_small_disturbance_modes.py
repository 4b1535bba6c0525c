# modelled on: CURENT/andes andes/routines/eig.py
import numpy as np
from scipy import linalg


class EIG:
    def __init__(self, As):
        self.As = As
        self.mu = None
        self.pfactors = None

    def calc_eig(self):
        mu, vl, vr = linalg.eig(self.As, left=True, right=True)
        self.mu = mu
        self.vl, self.vr = vl, vr
        return mu

    def calc_pfactor(self):
        vl, vr = self.vl, self.vr
        norm = np.sum(vl.conj() * vr, axis=0)
        pf = vl * vr / norm
        self.pfactors = pf.real
        self.pf_mag = np.abs(pf)
        return self.pfactors

    def damping(self):
        sigma, omega = self.mu.real, self.mu.imag
        return -sigma / np.sqrt(sigma ** 2 + omega ** 2)


def state_matrix(rng, n_gen=3):
    H = rng.uniform(2.0, 6.0, n_gen)
    D = rng.uniform(0.5, 1.5, n_gen)
    K = rng.uniform(0.5, 1.5, (n_gen, n_gen))
    K = K + K.T
    np.fill_diagonal(K, 0.0)
    K = np.diag(K.sum(1) + 0.3) - K
    top = np.hstack([np.zeros((n_gen, n_gen)), np.eye(n_gen) * 377.0])
    bottom = np.hstack([-K / (2 * H[:, None]), -np.diag(D / (2 * H))])
    return np.vstack([top, bottom])


def run():
    rng = np.random.default_rng(0)
    eig = EIG(state_matrix(rng))
    mu = eig.calc_eig()
    order = np.lexsort((mu.imag, mu.real))
    pf = eig.calc_pfactor()
    return {"participation": pf[:, order], "participation_mag": eig.pf_mag[:, order],
            "damping": eig.damping()[order]}

# modelled on: Ellie7/parrot-proj Crouse.R
import numpy as np
import scipy.linalg


def projection_matrix(fecundity, survival, stasis):
    n = len(fecundity)
    A = np.diag(stasis).astype(float)
    A[0, :] += fecundity
    A[np.arange(1, n), np.arange(n - 1)] += survival
    return A


class Demography:
    def __init__(self, A):
        self.A = A
        self.w_, self.vl_, self.vr_ = scipy.linalg.eig(A, left=True, right=True)
        self.k_ = int(np.argmax(np.abs(self.w_)))

    @property
    def growth_rate(self):
        return self.w_[self.k_].real

    def stable_stage(self):
        w = self.vr_[:, self.k_]
        return (w / w.sum()).real

    def reproductive_value(self):
        v = self.vl_[:, self.k_].conj()
        return (v / v[0]).real

    def sensitivity(self):
        v, w = self.vl_[:, self.k_].conj(), self.vr_[:, self.k_]
        return (np.outer(v, w) / (v @ w)).real

    def damping_ratio(self):
        mags = np.sort(np.abs(self.w_))[::-1]
        return mags[0] / mags[1]


def run():
    A = projection_matrix(np.array([0.0, 0.5, 2.0, 3.0]), np.array([0.4, 0.5, 0.6]), np.array([0.2, 0.3, 0.4, 0.8]))
    demo = Demography(A)
    return {
        "lambda": demo.growth_rate,
        "stable_stage": demo.stable_stage(),
        "reproductive_value": demo.reproductive_value(),
        "sensitivity": demo.sensitivity(),
        "damping": demo.damping_ratio(),
    }

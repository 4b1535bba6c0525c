# modelled on: PyDMD/PyDMD pydmd/dmd.py
import numpy as np


def compute_tlsq_free_svd(X, svd_rank):
    U, s, V = np.linalg.svd(X, full_matrices=False)
    V = V.conj().T
    return U[:, :svd_rank], s[:svd_rank], V[:, :svd_rank]


class DMDOperator:
    def __init__(self, svd_rank):
        self.svd_rank = svd_rank

    def compute_operator(self, X, Y):
        U, s, V = compute_tlsq_free_svd(X, self.svd_rank)
        atilde = np.linalg.multi_dot([U.T.conj(), Y, V]) * np.reciprocal(s)
        self.eigenvalues, self.eigenvectors = np.linalg.eig(atilde)
        self.modes = (Y.dot(V) * np.reciprocal(s)).dot(self.eigenvectors)
        return U, s, V


class DMD:
    def __init__(self, svd_rank=4):
        self.operator = DMDOperator(svd_rank)

    def fit(self, snapshots):
        self.snapshots = snapshots
        self.operator.compute_operator(snapshots[:, :-1], snapshots[:, 1:])
        self.amplitudes = np.linalg.lstsq(self.operator.modes, snapshots[:, 0], rcond=None)[0]
        return self

    @property
    def dynamics(self):
        t = np.arange(self.snapshots.shape[1])
        vander = np.power(self.operator.eigenvalues[:, None], t[None, :])
        return self.amplitudes[:, None] * vander

    @property
    def reconstructed_data(self):
        return self.operator.modes.dot(self.dynamics)


def run():
    rng = np.random.default_rng(0)
    x = np.linspace(-3, 3, 12)
    t = np.linspace(0, 4 * np.pi, 16)
    f1 = np.outer(1.0 / np.cosh(x + 1), np.cos(2.3 * t)) + np.outer(np.tanh(x), np.sin(2.3 * t))
    f2 = np.outer(np.exp(-x ** 2), np.exp(-0.1 * t) * np.cos(0.7 * t))
    data = f1 + f2 + 1e-3 * rng.normal(size=f1.shape)
    dmd = DMD(svd_rank=4).fit(data)
    eigs = np.sort_complex(dmd.operator.eigenvalues)
    return {"reconstruction": dmd.reconstructed_data.real, "eigs": eigs,
            "error": float(np.linalg.norm(dmd.reconstructed_data.real - data) / np.linalg.norm(data))}

# modelled on: PyDMD/PyDMD pydmd/fbdmd.py
import numpy as np
from scipy.linalg import sqrtm


def compute_svd(X, svd_rank):
    U, s, Vh = np.linalg.svd(X, full_matrices=False)
    return U[:, :svd_rank], s[:svd_rank], Vh[:svd_rank].conj().T


def build_lowrank_op(U, s, V, Y):
    return U.T.conj() @ Y @ V @ np.diag(np.reciprocal(s))


class FbDMD:
    def __init__(self, svd_rank=3):
        self.svd_rank = svd_rank

    def fit(self, snapshots):
        X, Y = snapshots[:, :-1], snapshots[:, 1:]
        Ux, sx, Vx = compute_svd(X, self.svd_rank)
        Uy, sy, Vy = compute_svd(Y, self.svd_rank)
        fAtilde = build_lowrank_op(Ux, sx, Vx, Y)
        bAtilde = build_lowrank_op(Uy, sy, Vy, X)
        self._Atilde = sqrtm(fAtilde.dot(np.linalg.inv(bAtilde)))
        self.eigs, W = np.linalg.eig(self._Atilde)
        self.modes = Y @ Vx @ np.diag(np.reciprocal(sx)) @ W
        self.b = np.linalg.lstsq(self.modes, X[:, 0], rcond=None)[0]
        self.singular_values = sx
        return self

    def forecast(self, n_steps):
        t = np.arange(n_steps)
        vander = self.eigs[:, None] ** t[None, :]
        return (self.modes @ (self.b[:, None] * vander)).real


def run():
    rng = np.random.default_rng(0)
    n, m = 8, 12
    A = np.linalg.qr(rng.standard_normal((n, n)))[0] @ np.diag(np.linspace(0.6, 0.95, n))
    x = rng.standard_normal(n)
    snaps = [x]
    for _ in range(m - 1):
        snaps.append(A @ snaps[-1] + 1e-2 * rng.standard_normal(n))
    data = np.stack(snaps, axis=1)
    model = FbDMD(svd_rank=3).fit(data)
    eigs = model.eigs[np.lexsort((model.eigs.imag, model.eigs.real))]
    return {
        "eigs": eigs,
        "forecast": model.forecast(5),
        "singular_values": model.singular_values,
    }

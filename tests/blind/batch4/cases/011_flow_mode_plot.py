# modelled on: FlowModelingControl/flowtorch flowtorch/analysis/dmd.py
import math
import torch as pt


class SVD:
    def __init__(self, data_matrix, rank):
        U, s, VH = pt.linalg.svd(data_matrix, full_matrices=False)
        self.U, self.s, self.V = U[:, :rank], s[:rank], VH[:rank].conj().T


class DMD:
    def __init__(self, data_matrix, dt, rank=4):
        self._dm = data_matrix
        self._dt = dt
        self._svd = SVD(data_matrix[:, :-1], rank)
        self._eigvals, self._eigvecs, self._modes = self._compute_mode_decomposition()
        self._amplitudes = pt.linalg.lstsq(self._modes, data_matrix[:, 0].type(self._modes.dtype)).solution

    def _compute_mode_decomposition(self):
        s_inv = pt.diag(1.0 / self._svd.s)
        operator = self._svd.U.conj().T @ self._dm[:, 1:] @ self._svd.V @ s_inv
        val, vec = pt.linalg.eig(operator)
        phi = (self._dm[:, 1:].type(val.dtype) @ self._svd.V.type(val.dtype)
               @ s_inv.type(val.dtype) @ vec)
        return val, vec, phi

    @property
    def frequency(self):
        return pt.log(self._eigvals).imag / (2.0 * math.pi * self._dt)

    def dominant_mode(self):
        idx = pt.argmax(self._amplitudes.abs())
        return self._modes[:, idx].real

    def reconstruction(self):
        t = pt.arange(self._dm.shape[1], dtype=pt.float64)
        vander = self._eigvals.unsqueeze(-1) ** t.unsqueeze(0)
        return (self._modes @ (self._amplitudes.unsqueeze(-1) * vander)).real


def run():
    pt.manual_seed(0)
    x = pt.linspace(-2, 2, 12, dtype=pt.float64)
    t = pt.linspace(0, 6, 20, dtype=pt.float64)
    data = (pt.outer(pt.exp(-x ** 2), pt.cos(3.0 * t)) + pt.outer(x * pt.exp(-x ** 2), pt.sin(3.0 * t))
            + 0.5 * pt.outer(pt.cos(x), pt.cos(1.3 * t)) + 0.5 * pt.outer(pt.sin(2 * x), pt.sin(1.3 * t)))
    dmd = DMD(data, dt=float(t[1] - t[0]), rank=4)
    freqs = pt.sort(dmd.frequency.abs()).values
    return {"dominant_mode": dmd.dominant_mode(), "frequencies": freqs, "reconstruction": dmd.reconstruction()}

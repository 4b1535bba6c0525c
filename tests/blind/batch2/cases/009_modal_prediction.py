# modelled on: PyDMD/PyDMD pydmd/dmdbase.py
import numpy as np
from scipy import linalg as sla


def system(n=6, seed=2):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    T = np.diag(0.95 ** np.arange(1, n + 1)) + 0.3 * np.triu(rng.standard_normal((n, n)), 1)
    T[0, 1], T[1, 0] = 0.4, -0.4
    return Q @ T @ Q.T


class ModalModel:
    def __init__(self, A):
        self.lam, self.left, self.right = sla.eig(A, left=True, right=True)

    def amplitudes(self, x0):
        return self.left.conj().T @ x0

    def predict(self, x0, t):
        b = self.amplitudes(x0)
        return (self.right @ (self.lam ** t * b)).real


def run():
    A = system()
    model = ModalModel(A)
    x0 = np.linspace(-1.0, 1.0, A.shape[0])
    preds = np.stack([model.predict(x0, t) for t in (1, 3, 6)])
    truth = np.stack([np.linalg.matrix_power(A, t) @ x0 for t in (1, 3, 6)])
    return {"pred": preds, "truth": truth, "lam_abs": np.sort(np.abs(model.lam))}

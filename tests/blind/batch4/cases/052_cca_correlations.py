# modelled on: statsmodels/statsmodels statsmodels/multivariate/cancorr.py
import numpy as np


class CanCorr:
    def __init__(self, endog, exog, tolerance=1e-8):
        self.endog = endog - endog.mean(0)
        self.exog = exog - exog.mean(0)
        self.tolerance = tolerance
        self._fit()

    def _whiten(self, x):
        u, s, v = np.linalg.svd(x, full_matrices=False)
        keep = s > self.tolerance
        return u[:, keep], s[keep], v[keep].T

    def _fit(self):
        ux, sx, vx = self._whiten(self.exog)
        uy, sy, vy = self._whiten(self.endog)
        u, s, v = np.linalg.svd(ux.T @ uy, full_matrices=False)
        self.cancorr = s
        self.x_cancoef = (vx / sx) @ u
        self.y_cancoef = (vy / sy) @ v.T

    def variates(self):
        return self.exog @ self.x_cancoef, self.endog @ self.y_cancoef


def run():
    rng = np.random.default_rng(0)
    latent = rng.normal(size=(40, 2))
    exog = latent @ rng.normal(size=(2, 4)) + 0.5 * rng.normal(size=(40, 4))
    endog = latent @ rng.normal(size=(2, 3)) + 0.5 * rng.normal(size=(40, 3))
    cc = CanCorr(endog, exog)
    xv, yv = cc.variates()
    paired = np.array([np.corrcoef(xv[:, k], yv[:, k])[0, 1] for k in range(len(cc.cancorr))])
    return {"cancorr": cc.cancorr, "paired_corr": paired, "x_norms": np.linalg.norm(xv, axis=0)}

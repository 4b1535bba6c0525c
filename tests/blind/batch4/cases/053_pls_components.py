# modelled on: scikit-learn/scikit-learn sklearn/cross_decomposition/_pls.py
import numpy as np
from scipy.sparse.linalg import svds


def _center_scale_xy(X, Y):
    x_mean, y_mean = X.mean(0), Y.mean(0)
    x_std, y_std = X.std(0, ddof=1), Y.std(0, ddof=1)
    return (X - x_mean) / x_std, (Y - y_mean) / y_std, x_mean, y_mean, x_std, y_std


class PLSSVD:
    def __init__(self, n_components=2):
        self.n_components = n_components

    def fit(self, X, Y):
        X, Y, self._x_mean, self._y_mean, self._x_std, self._y_std = _center_scale_xy(X, Y)
        C = X.T @ Y
        U, s, Vt = svds(C, k=self.n_components, v0=np.ones(min(C.shape)))
        order = np.argsort(s)[::-1]
        self.x_weights_ = U[:, order]
        self.y_weights_ = Vt[order].T
        self.singular_values_ = s[order]
        return self

    def transform(self, X):
        Xc = (X - self._x_mean) / self._x_std
        return Xc @ self.x_weights_


def component_regression(model, X, y):
    T = model.transform(X)
    yc = y - y.mean()
    coefs = np.array([(T[:, k] @ yc) / (T[:, k] @ T[:, k]) for k in range(T.shape[1])])
    fitted = y.mean() + T @ coefs
    return coefs, fitted


def run():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25, 5))
    Y = X[:, :2] @ rng.normal(size=(2, 3)) + 0.3 * rng.normal(size=(25, 3))
    pls = PLSSVD(n_components=2).fit(X, Y)
    coefs, fitted = component_regression(pls, X, Y[:, 0])
    return {"component_coef": coefs, "fitted": fitted}

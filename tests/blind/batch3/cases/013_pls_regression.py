# modelled on: scikit-learn/scikit-learn sklearn/cross_decomposition/_pls.py
import numpy as np
from scipy.linalg import svd


def _get_first_singular_vectors_svd(X, Y):
    C = np.dot(X.T, Y)
    U, _, Vt = svd(C, full_matrices=False)
    return U[:, 0], Vt[0, :]


def _orient_weights(x_weights, y_weights):
    biggest_abs_val_idx = np.argmax(np.abs(x_weights))
    sign = np.sign(x_weights[biggest_abs_val_idx])
    x_weights *= sign
    return x_weights, y_weights


class PLSRegression:
    def __init__(self, n_components=2):
        self.n_components = n_components

    def fit(self, X, Y):
        Xk, Yk = X - X.mean(0), Y - Y.mean(0)
        p, q = X.shape[1], Y.shape[1]
        self.x_weights_ = np.zeros((p, self.n_components))
        self.y_weights_ = np.zeros((q, self.n_components))
        self.x_loadings_ = np.zeros((p, self.n_components))
        self.y_loadings_ = np.zeros((q, self.n_components))
        for k in range(self.n_components):
            x_weights, y_weights = _get_first_singular_vectors_svd(Xk, Yk)
            x_weights, y_weights = _orient_weights(x_weights, y_weights)
            x_scores = Xk @ x_weights
            x_loadings = Xk.T @ x_scores / (x_scores @ x_scores)
            Xk -= np.outer(x_scores, x_loadings)
            y_loadings = Yk.T @ x_scores / (x_scores @ x_scores)
            Yk -= np.outer(x_scores, y_loadings)
            self.x_weights_[:, k], self.y_weights_[:, k] = x_weights, y_weights
            self.x_loadings_[:, k], self.y_loadings_[:, k] = x_loadings, y_loadings
        self.x_rotations_ = self.x_weights_ @ np.linalg.pinv(self.x_loadings_.T @ self.x_weights_)
        self.coef_ = (self.x_rotations_ @ self.y_loadings_.T).T
        self._x_mean, self._y_mean = X.mean(0), Y.mean(0)
        return self

    def transform(self, X, Y):
        x_scores = (X - self._x_mean) @ self.x_rotations_
        y_scores = (Y - self._y_mean) @ self.y_weights_
        return x_scores, y_scores


def run():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((25, 6))
    B = rng.standard_normal((6, 3))
    Y = X @ B + 0.3 * rng.standard_normal((25, 3))
    pls = PLSRegression(n_components=2).fit(X, Y)
    x_scores, y_scores = pls.transform(X, Y)
    return {"coef": pls.coef_, "x_scores": x_scores, "y_scores": y_scores}

# modelled on: scikit-learn/scikit-learn sklearn/discriminant_analysis.py
import numpy as np
import scipy.linalg


def _class_means(X, y):
    classes = np.unique(y)
    return np.stack([X[y == c].mean(axis=0) for c in classes])


def _class_cov(X, y, priors, shrinkage=0.05):
    cov = np.zeros((X.shape[1], X.shape[1]))
    for idx, group in enumerate(np.unique(y)):
        Xg = X[y == group]
        Xg = Xg - Xg.mean(0)
        c = Xg.T @ Xg / Xg.shape[0]
        cov += priors[idx] * ((1 - shrinkage) * c + shrinkage * np.trace(c) / c.shape[0] * np.eye(c.shape[0]))
    return cov


class LinearDiscriminantAnalysis:
    def __init__(self, n_components=2):
        self.n_components = n_components

    def _solve_eigen(self, X, y):
        self.means_ = _class_means(X, y)
        self.covariance_ = _class_cov(X, y, self.priors_)
        Sw = self.covariance_
        St = np.cov(X, rowvar=False, bias=True)
        Sb = St - Sw
        evals, evecs = scipy.linalg.eigh(Sb, Sw)
        self.explained_variance_ratio_ = np.sort(evals / np.sum(evals))[::-1][: self.n_components]
        evecs = evecs[:, np.argsort(evals)[::-1]]
        self.scalings_ = evecs
        self.coef_ = np.dot(self.means_, evecs).dot(evecs.T)
        self.intercept_ = -0.5 * np.diag(np.dot(self.means_, self.coef_.T)) + np.log(self.priors_)

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.priors_ = np.bincount(y) / len(y)
        self._solve_eigen(X, y)
        return self

    def transform(self, X):
        X_new = np.dot(X - self.means_.mean(0), self.scalings_)
        return X_new[:, : self.n_components]

    def decision_function(self, X):
        return X @ self.coef_.T + self.intercept_


def run():
    rng = np.random.default_rng(0)
    centers = np.array([[0, 0, 0, 0], [2, 1, 0, -1], [0, 2, 2, 1]], dtype=float)
    y = np.repeat(np.arange(3), 8)
    X = centers[y] + rng.standard_normal((24, 4)) * 0.8
    lda = LinearDiscriminantAnalysis(n_components=2).fit(X, y)
    scores = lda.decision_function(X)
    return {
        "projected": lda.transform(X),
        "decision": scores,
        "pred": scores.argmax(1),
        "ratio": lda.explained_variance_ratio_,
    }

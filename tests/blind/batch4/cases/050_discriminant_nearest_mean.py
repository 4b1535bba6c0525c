# modelled on: scikit-learn/scikit-learn sklearn/discriminant_analysis.py
import numpy as np
import scipy.linalg


def _class_means(X, y):
    classes = np.unique(y)
    return np.stack([X[y == c].mean(0) for c in classes])


def _class_cov(X, y, shrinkage=0.05):
    classes = np.unique(y)
    cov = sum(np.cov(X[y == c].T, bias=True) * np.mean(y == c) for c in classes)
    return (1 - shrinkage) * cov + shrinkage * np.trace(cov) / cov.shape[0] * np.eye(cov.shape[0])


class LinearDiscriminantAnalysis:
    def __init__(self, n_components=2):
        self.n_components = n_components

    def _solve_eigen(self, X, y):
        self.means_ = _class_means(X, y)
        Sw = _class_cov(X, y)
        St = np.cov(X.T, bias=True)
        Sb = St - Sw
        evals, evecs = scipy.linalg.eigh(Sb, Sw)
        self.explained_variance_ratio_ = np.sort(evals / np.sum(evals))[::-1][: self.n_components]
        evecs = evecs[:, np.argsort(evals)[::-1]]
        self.scalings_ = evecs

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self._solve_eigen(X, y)
        return self

    def transform(self, X):
        return X @ self.scalings_[:, : self.n_components]

    def predict(self, X):
        Z = self.transform(X)
        M = self.transform(self.means_)
        d = ((Z[:, None, :] - M[None, :, :]) ** 2).sum(-1)
        return self.classes_[d.argmin(1)], d


def run():
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=2.0, size=(3, 4))
    X = np.concatenate([c + rng.normal(size=(8, 4)) for c in centers])
    y = np.repeat(np.arange(3), 8)
    lda = LinearDiscriminantAnalysis(n_components=2).fit(X, y)
    pred, dist = lda.predict(X)
    return {"pred": pred, "dist": dist, "ratio": lda.explained_variance_ratio_}

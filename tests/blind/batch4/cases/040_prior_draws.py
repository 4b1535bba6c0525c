# modelled on: SheffieldML/GPy GPy/util/linalg.py
import numpy as np


def rbf(X, lengthscale=0.7, variance=1.5):
    d2 = (X[:, None] - X[None, :]) ** 2
    return variance * np.exp(-0.5 * d2 / lengthscale ** 2)


def pdinv_eig(K, jitter=1e-8):
    w, V = np.linalg.eigh(K + jitter * np.eye(K.shape[0]))
    w = np.clip(w, 0.0, None)
    L = V * np.sqrt(w)
    Li = V / np.sqrt(w)
    return L, Li, w


def sample_prior(K, z):
    L, _, _ = pdinv_eig(K)
    return L @ z


def log_marginal(K, y, noise=0.1):
    _, Li, w = pdinv_eig(K + noise * np.eye(K.shape[0]))
    alpha = Li.T @ y
    return float(-0.5 * alpha @ alpha - 0.5 * np.log(w).sum() - 0.5 * len(y) * np.log(2 * np.pi))


def run():
    rng = np.random.default_rng(0)
    X = np.sort(rng.uniform(-2, 2, 10))
    K = rbf(X)
    z = rng.normal(size=(10, 3))
    draws = sample_prior(K, z)
    y = np.sin(2 * X) + 0.1 * rng.normal(size=10)
    L, _, _ = pdinv_eig(K)
    return {"draws": draws, "log_marginal": log_marginal(K, y),
            "sqrt_error": np.abs(L @ L.T - K).max()}

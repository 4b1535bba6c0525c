# modelled on: angangs/Prediction-of-Energy-Consumption-in-the-Smart-Grid sample_gp_prior.m
import numpy as np


def rbf(x, y, ell=0.3):
    return np.exp(-((x[:, None] - y[None, :]) ** 2) / (2 * ell ** 2))


def sample_gp_prior(K, z):
    # sample from zero-mean Gaussian distribution with covariance matrix K
    U, S, Vh = np.linalg.svd(K)
    A = U @ np.diag(np.sqrt(S)) @ Vh
    return A @ z


def sample_gp_prior_eig(K, z):
    w, V = np.linalg.eigh(K)
    return V @ (np.sqrt(np.clip(w, 0.0, None)) * z)


def run():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 10)
    K = rbf(x, x) + 1e-6 * np.eye(10)
    z = rng.standard_normal(10)
    f_svd = sample_gp_prior(K, z)
    f_eig = sample_gp_prior_eig(K, z)
    return {"f_svd": f_svd, "f_eig": f_eig, "trace": np.trace(K)}

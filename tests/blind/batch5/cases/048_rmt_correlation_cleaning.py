# modelled on: voigtstefan/lobster_archive R/eigenvalue_cleaning.R
import numpy as np


def cov2cor(cov):
    d = np.sqrt(np.diag(cov))
    return cov / np.outer(d, d)


def eigenvalue_clean(cov_org, n_obs):
    p = cov_org.shape[0]
    corr_org = cov2cor(cov_org)
    lam, u = np.linalg.eigh(corr_org)
    lam = lam[::-1].copy()
    u = u[:, ::-1]
    q = p / n_obs
    lambda_max = (1 - lam.max() / p) * (1 + q + 2 * np.sqrt(q))
    noise = lam < lambda_max
    lam[noise] = lam[noise].mean()
    corr_cl = u @ np.diag(lam) @ u.T
    d = np.sqrt(np.diag(cov_org))
    return np.diag(d) @ corr_cl @ np.diag(d), lambda_max, int((~noise).sum())


def min_variance_weights(cov):
    ones = np.ones(cov.shape[0])
    w = np.linalg.solve(cov, ones)
    return w / w.sum()


def sample_cov(T=120, N=30, seed=23):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal(T)
    beta = rng.uniform(0.5, 1.5, N)
    X = np.outer(m, beta) + rng.standard_normal((T, N)) * rng.uniform(0.5, 2.0, N)
    return np.cov(X, rowvar=False), T


def run():
    cov, T = sample_cov()
    cleaned, lmax, n_signal = eigenvalue_clean(cov, T)
    return {
        "cleaned_cov": cleaned,
        "lambda_max": lmax,
        "n_signal": n_signal,
        "min_var_weights": min_variance_weights(cleaned),
    }

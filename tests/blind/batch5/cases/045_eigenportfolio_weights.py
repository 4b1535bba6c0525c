# modelled on: titmy/eigen-portfolio-construction README.md
import numpy as np


def asset_returns(T=250, N=12, seed=31):
    rng = np.random.default_rng(seed)
    market = 0.01 * rng.standard_normal(T)
    sector = 0.006 * rng.standard_normal((T, 3))
    beta = rng.uniform(0.6, 1.4, N)
    load = np.zeros((N, 3))
    load[np.arange(N), np.arange(N) % 3] = rng.uniform(0.5, 1.5, N)
    idio = 0.008 * rng.standard_normal((T, N))
    return market[:, None] * beta[None, :] + sector @ load.T + idio + 0.0004


class EigenPortfolios:
    def __init__(self, n_portfolios=4):
        self.n_portfolios = n_portfolios

    def fit(self, returns):
        self.mu = returns.mean(0)
        self.sigma = returns.std(0)
        normed = (returns - self.mu) / self.sigma
        corr = np.corrcoef(normed, rowvar=False)
        w, v = np.linalg.eigh(corr)
        order = np.argsort(w)[::-1]
        self.eigvals = w[order]
        self.components = v[:, order].T
        return self

    def weights(self, j):
        q = self.components[j] / self.sigma
        return q / q.sum()


def sharpe_ratio(r, periods=252):
    return np.sqrt(periods) * r.mean() / r.std()


def run():
    R = asset_returns()
    ep = EigenPortfolios().fit(R)
    W = np.array([ep.weights(j) for j in range(ep.n_portfolios)])
    port = R @ W.T
    return {
        "explained": ep.eigvals[:4] / ep.eigvals.sum(),
        "weights": W,
        "sharpe": np.array([sharpe_ratio(port[:, j]) for j in range(port.shape[1])]),
    }

# modelled on: shnayak88/ai-trading PortfolioOptimization/README.md
import numpy as np
import scipy.linalg


def simulate_returns(T=300, N=10, seed=41):
    rng = np.random.default_rng(seed)
    f = np.cumsum(0.002 * rng.standard_normal((T, 3)), axis=0) * 0.05 + 0.01 * rng.standard_normal((T, 3))
    B = rng.standard_normal((N, 3))
    return f @ B.T + 0.01 * rng.standard_normal((T, N))


class StatisticalRiskModel:
    def __init__(self, n_factors):
        self.n_factors = n_factors

    def fit(self, returns):
        self.mean = returns.mean(0)
        X = returns - self.mean
        cov = X.T @ X / (X.shape[0] - 1)
        evals, evecs = scipy.linalg.eigh(cov)
        idx = np.argsort(evals)[::-1][:self.n_factors]
        self.factor_betas = evecs[:, idx]
        self.factor_returns = X @ self.factor_betas
        self.factor_cov = np.diag(evals[idx])
        resid = X - self.factor_returns @ self.factor_betas.T
        self.idio_var = resid.var(0)
        return self

    def covariance(self):
        B = self.factor_betas
        return B @ self.factor_cov @ B.T + np.diag(self.idio_var)


def trend_positions(model, lookback=40, target_vol=0.01):
    F = model.factor_returns
    signal = np.sign(F[-lookback:].sum(0))
    vol = F[-lookback:].std(0)
    return model.factor_betas @ (signal * target_vol / vol)


def portfolio_risk(weights, cov):
    return float(np.sqrt(weights @ cov @ weights))


def run():
    R = simulate_returns()
    train, test = R[:250], R[250:]
    model = StatisticalRiskModel(3).fit(train)
    w = trend_positions(model)
    pnl = test @ w
    return {
        "positions": w,
        "pnl": pnl,
        "ex_ante_risk": portfolio_risk(w, model.covariance()),
    }

# modelled on: ShambhaviAwasthi/EEMD ssa.m
import numpy as np


class SSA:
    def __init__(self, L):
        self.L = L

    def fit(self, x):
        N = x.shape[0]
        L = self.L
        K = N - L + 1
        X = np.column_stack([x[i:i + L] for i in range(K)])
        S = X @ X.T
        d, U = np.linalg.eigh(S)
        i = np.argsort(-d)
        self.d = d[i]
        self.U = U[:, i]
        self.V = X.T @ self.U
        self.N, self.K = N, K
        return self

    def reconstruct(self, I):
        rca = self.U[:, I] @ self.V[:, I].T
        y = np.zeros(self.N)
        counts = np.zeros(self.N)
        for m in range(self.L):
            y[m:m + self.K] += rca[m, :]
            counts[m:m + self.K] += 1
        return y / counts

    def explained(self):
        return self.d / self.d.sum()

    def leading_pc(self):
        return self.V[:, 0]


def trend_direction(pc):
    return float(np.sign(pc[-1] - pc[0]))


def series(n=240, seed=6):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 0.02 * t + 0.8 * np.sin(2 * np.pi * t / 24) + 0.3 * rng.standard_normal(n)


def run():
    x = series()
    ssa = SSA(36).fit(x)
    trend = ssa.reconstruct([0])
    seasonal = ssa.reconstruct([1, 2])
    return {
        "trend": trend,
        "seasonal": seasonal,
        "explained": ssa.explained()[:5],
        "trend_direction": trend_direction(ssa.leading_pc()),
    }

# modelled on: fieldtrip/fieldtrip test/private/csp.m
import numpy as np
import scipy.linalg as la


def whiten(C, rtol):
    U, l, _ = la.svd(C)
    keep = l > l.max() * rtol
    return np.diag(l[keep] ** -0.5) @ U[:, keep].T


def csp(C1, C2, m):
    P = whiten(C1 + C2, 1e-14)
    B, lamb, _ = la.svd(P @ C1 @ P.T)
    W = B.T @ P
    n = W.shape[0]
    keep = np.r_[np.arange(m // 2), np.arange(n - m // 2, n)]
    return W[keep, :]


def log_var_features(W, trials):
    Z = np.einsum("fc,tcs->tfs", W, trials)
    v = Z.var(axis=2)
    return np.log(v / v.sum(axis=1, keepdims=True))


def simulate(n_trials=30, n_ch=8, n_s=120, seed=13):
    rng = np.random.default_rng(seed)
    mix = rng.standard_normal((n_ch, n_ch))
    X, y = [], []
    for k in range(n_trials):
        label = k % 2
        scale = np.ones(n_ch)
        scale[0] = 3.0 if label == 0 else 0.7
        scale[1] = 0.7 if label == 0 else 3.0
        src = rng.standard_normal((n_ch, n_s)) * scale[:, None]
        X.append(mix @ src)
        y.append(label)
    return np.array(X), np.array(y)


def class_cov(trials):
    return np.mean([t @ t.T / np.trace(t @ t.T) for t in trials], axis=0)


def lda_fit(F, y):
    m0, m1 = F[y == 0].mean(0), F[y == 1].mean(0)
    Sw = np.cov(F[y == 0].T) + np.cov(F[y == 1].T)
    w = np.linalg.solve(Sw + 1e-6 * np.eye(F.shape[1]), m1 - m0)
    b = -w @ (m0 + m1) / 2
    return w, b


def run():
    X, y = simulate()
    W = csp(class_cov(X[y == 0]), class_cov(X[y == 1]), 4)
    F = log_var_features(W, X)
    w, b = lda_fit(F, y)
    scores = F @ w + b
    return {
        "features": F,
        "scores": scores,
        "accuracy": float(np.mean((scores > 0) == (y == 1))),
    }

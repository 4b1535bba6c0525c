# modelled on: amirgholami/PyHessian pyhessian/hessian.py
import torch


def make_data(gen, n=20):
    X = torch.randn(n, 3, generator=gen, dtype=torch.float64)
    y = torch.tanh(X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64))
    return X, y


def unpack(w):
    return w[:6].reshape(2, 3), w[6:8]


def loss_fn(w, X, y):
    W1, w2 = unpack(w)
    pred = torch.tanh(X @ W1.T) @ w2
    return ((pred - y) ** 2).mean()


class HessianAnalysis:
    def __init__(self, X, y):
        self.X, self.y = X, y

    def hessian(self, w):
        return torch.autograd.functional.hessian(lambda p: loss_fn(p, self.X, self.y), w)

    def sharpness(self, w):
        H = self.hessian(w)
        shift = H.abs().sum()
        E, _ = torch.lobpcg(H + shift * torch.eye(H.shape[0], dtype=H.dtype), k=1, niter=200, tol=1e-10)
        return E[0] - shift

    def lowest_curvature(self, w):
        evals, evecs = torch.linalg.eigh(self.hessian(w))
        return evals[0], evecs[:, 0]


def escape_saddle(analysis, w, eta=0.5):
    lam, v = analysis.lowest_curvature(w)
    return w + eta * v, lam


def run():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    X, y = make_data(gen)
    w0 = 0.05 * torch.randn(8, generator=gen, dtype=torch.float64)
    analysis = HessianAnalysis(X, y)
    w1, lam = escape_saddle(analysis, w0)
    return {
        "sharpness": analysis.sharpness(w0),
        "min_curvature": lam,
        "params_after": w1,
        "loss_after": loss_fn(w1, X, y),
    }

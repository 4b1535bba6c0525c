# modelled on: epfl-lts2/pygsp pygsp/graphs/fourier.py
import torch


def magnetic_laplacian(W, q=0.25):
    Ws = 0.5 * (W + W.T)
    theta = 2 * torch.pi * q * (W - W.T)
    H = Ws * torch.exp(1j * theta)
    D = torch.diag(Ws.sum(1))
    return D.to(torch.complex128) - H


class GraphFourier:
    def __init__(self, W):
        self.L = magnetic_laplacian(W)
        self.compute_fourier_basis()

    def compute_fourier_basis(self):
        self._e, self._U = torch.linalg.eigh(self.L)
        self._lmax = float(self._e.max())

    def gft(self, s):
        return self._U.mH @ s.to(torch.complex128)

    def igft(self, s_hat):
        return self._U @ s_hat

    def filter(self, s, kernel):
        return self.igft(kernel(self._e).to(torch.complex128) * self.gft(s))


def run():
    gen = torch.Generator().manual_seed(0)
    n = 9
    W = torch.rand(n, n, generator=gen, dtype=torch.float64) * (torch.rand(n, n, generator=gen) < 0.4)
    W.fill_diagonal_(0.0)
    W = W + 0.1 * torch.diag(torch.ones(n - 1, dtype=torch.float64), 1)
    G = GraphFourier(W)
    s = torch.randn(n, generator=gen, dtype=torch.float64)
    heat = lambda e: torch.exp(-2.0 * e / G._lmax)
    smooth = G.filter(s, heat)
    energy = G.gft(s).abs() ** 2
    return {"smoothed": smooth, "spectral_energy": energy, "frequencies": G._e}

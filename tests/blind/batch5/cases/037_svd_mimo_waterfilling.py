# modelled on: wannesbaes/satellite-precoding-techniques su-mimo/src/transmitter.py
import torch


def waterfill(gains, Pt):
    g = torch.sort(gains, descending=True).values
    for n in range(g.shape[0], 0, -1):
        mu = (Pt + (1.0 / g[:n]).sum()) / n
        p = mu - 1.0 / g[:n]
        if p.min() > 0:
            break
    out = torch.clamp(mu - 1.0 / gains, min=0.0)
    return out


class Channel:
    def __init__(self, Nr, Nt, snr_db, gen):
        re = torch.randn(Nr, Nt, generator=gen, dtype=torch.float64)
        im = torch.randn(Nr, Nt, generator=gen, dtype=torch.float64)
        self.H = torch.complex(re, im) / 2 ** 0.5
        self.N0 = 10 ** (-snr_db / 10)
        self.gen = gen

    def __call__(self, x):
        shape = (self.H.shape[0], x.shape[1])
        n = torch.complex(torch.randn(shape, generator=self.gen, dtype=torch.float64),
                          torch.randn(shape, generator=self.gen, dtype=torch.float64))
        return self.H @ x + (self.N0 / 2) ** 0.5 * n


class Transmitter:
    def __init__(self, H, Pt, N0):
        U, S, Vh = torch.linalg.svd(H)
        r = S.shape[0]
        self.U = U[:, :r]
        self.S = S
        self.V = Vh.mH[:, :r]
        self.P = waterfill(S ** 2 / N0, Pt)

    def precode(self, s):
        return self.V @ (self.P.sqrt()[:, None] * s)

    def capacity(self, N0):
        return torch.log2(1 + self.P * self.S ** 2 / N0).sum()


class Receiver:
    def __init__(self, U, S, P):
        self.U = U
        self.g = S * P.sqrt()

    def combine(self, y):
        active = self.g > 0
        z = self.U.mH @ y
        return z[active] / self.g[active, None]


def qpsk(n_streams, n_sym, gen):
    b = torch.randint(0, 2, (2, n_streams, n_sym), generator=gen)
    return torch.complex(1 - 2 * b[0].double(), 1 - 2 * b[1].double()) / 2 ** 0.5


def run():
    gen = torch.Generator().manual_seed(5)
    ch = Channel(4, 4, 12.0, gen)
    tx = Transmitter(ch.H, Pt=4.0, N0=ch.N0)
    rx = Receiver(tx.U, tx.S, tx.P)
    s = qpsk(4, 64, gen)
    y = ch(tx.precode(s))
    s_hat = rx.combine(y)
    active = rx.g > 0
    err = s_hat - s[active]
    eff = torch.diagonal(tx.U.mH @ ch.H @ tx.V).real
    return {
        "capacity": tx.capacity(ch.N0),
        "effective_gain": eff,
        "stream_mse": (err.abs() ** 2).mean(1),
        "power_alloc": tx.P,
    }

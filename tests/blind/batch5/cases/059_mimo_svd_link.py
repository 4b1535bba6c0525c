# modelled on: MattEttus/gr-simpleMIMO python/svd_precoder.py
import torch


class SVDPrecoder:
    def work(self, H, x):
        u, s, vh = torch.linalg.svd(H)
        return vh.mH @ x


class SVDCombiner:
    def work(self, H, y):
        u, s, vh = torch.linalg.svd(H)
        return (u.mH @ y) / s[:, None]


def qpsk_mod(bits):
    return torch.complex(1 - 2 * bits[0].double(), 1 - 2 * bits[1].double()) / 2 ** 0.5


def qpsk_demod(sym):
    return torch.stack([(sym.real < 0).long(), (sym.imag < 0).long()])


def run():
    g = torch.Generator().manual_seed(6)
    H = torch.complex(torch.randn(2, 2, generator=g, dtype=torch.float64),
                      torch.randn(2, 2, generator=g, dtype=torch.float64)) / 2 ** 0.5
    bits = torch.randint(0, 2, (2, 2, 128), generator=g)
    x = qpsk_mod(bits)
    noise = 0.05 * torch.complex(torch.randn(2, 128, generator=g, dtype=torch.float64),
                                 torch.randn(2, 128, generator=g, dtype=torch.float64))
    tx = SVDPrecoder().work(H, x)
    y = H @ tx + noise
    x_hat = SVDCombiner().work(H, y)
    ber = (qpsk_demod(x_hat) != bits).double().mean()
    return {
        "singular_values": torch.linalg.svdvals(H),
        "rx_symbols": x_hat,
        "ber": ber,
    }

# modelled on: NVlabs/sionna sionna/mimo/precoding.py
import torch


def qpsk(bits):
    return ((1 - 2 * bits[..., 0]) + 1j * (1 - 2 * bits[..., 1])).to(torch.complex128) / 2 ** 0.5


def qpsk_demap(symbols):
    return torch.stack([(symbols.real < 0).long(), (symbols.imag < 0).long()], dim=-1)


class Transmitter:
    def __init__(self, H, n_streams):
        _, _, Vh = torch.linalg.svd(H)
        self.precoder = Vh[:n_streams].mH

    def send(self, symbols):
        return self.precoder @ symbols


class Receiver:
    def __init__(self, H, n_streams):
        U, S, _ = torch.linalg.svd(H)
        self.combiner = U[:, :n_streams].mH
        self.gains = S[:n_streams]

    def detect(self, y):
        return (self.combiner @ y) / self.gains[:, None].to(y.dtype)


def run():
    gen = torch.Generator().manual_seed(0)
    n_tx, n_rx, n_streams, n_sym = 4, 4, 2, 16
    H = torch.randn(n_rx, n_tx, generator=gen, dtype=torch.complex128)
    bits = torch.randint(0, 2, (n_streams, n_sym, 2), generator=gen)
    s = qpsk(bits)
    tx, rx = Transmitter(H, n_streams), Receiver(H, n_streams)
    noise = 0.01 * torch.randn(n_rx, n_sym, generator=gen, dtype=torch.complex128)
    s_hat = rx.detect(H @ tx.send(s) + noise)
    errors = (qpsk_demap(s_hat) != bits).sum()
    capacity = torch.log2(1 + rx.gains ** 2 / 0.01).sum()
    return {"equalized": s_hat, "bit_errors": errors, "capacity": capacity}

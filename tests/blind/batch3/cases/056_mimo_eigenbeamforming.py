# modelled on: NVlabs/sionna sionna/mimo/precoding.py
import torch


def water_filling(gains, total_power, noise_var):
    g = gains ** 2 / noise_var
    order = torch.argsort(g, descending=True)
    g_sorted = g[order]
    for k in range(len(g_sorted), 0, -1):
        mu = (total_power + (1 / g_sorted[:k]).sum()) / k
        p = mu - 1 / g_sorted[:k]
        if (p > 0).all():
            break
    power = torch.zeros_like(g)
    power[order[:k]] = p
    return power


class EigenBeamformingLink:
    def __init__(self, H, noise_var=0.05, total_power=2.0):
        U, S, V = torch.svd(H)
        self.U, self.S, self.V = U, S, V
        self.power = water_filling(S, total_power, noise_var)
        self.noise_var = noise_var

    def transmit(self, s):
        return self.V @ (self.power.sqrt().to(s.dtype)[:, None] * s)

    def receive(self, y):
        z = self.U.mH @ y
        active = self.power > 0
        scale = (self.S * self.power.sqrt()).to(y.dtype)
        safe = torch.where(active, scale, torch.ones_like(scale))
        return torch.where(active[:, None], z / safe[:, None], torch.zeros_like(z))

    def capacity(self):
        return torch.log2(1 + self.power * self.S ** 2 / self.noise_var).sum()


def run():
    gen = torch.Generator().manual_seed(0)
    H = torch.randn(4, 3, generator=gen, dtype=torch.complex128) / 2 ** 0.5
    s = torch.exp(1j * torch.pi / 4 * (2 * torch.randint(0, 4, (3, 10), generator=gen) + 1)).to(torch.complex128)
    link = EigenBeamformingLink(H)
    noise = 0.01 * torch.randn(4, 10, generator=gen, dtype=torch.complex128)
    s_hat = link.receive(H @ link.transmit(s) + noise)
    decisions = torch.round(torch.angle(s_hat) / (torch.pi / 2) - 0.5).long() % 4
    error_power = (s_hat - s).abs().pow(2).mean(dim=1)
    return {"decisions": decisions, "error_power": error_power, "power": link.power, "capacity": link.capacity()}

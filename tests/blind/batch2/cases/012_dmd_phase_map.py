# modelled on: PyDMD/PyDMD pydmd/dmd.py
import torch
import torch.linalg as LA


def traveling_wave(n=10, m=14):
    x = torch.linspace(0, 1, n, dtype=torch.float64)
    t = torch.arange(m, dtype=torch.float64) * 0.4
    return torch.cos(6 * x[:, None] - 1.3 * t[None, :]) + 0.5 * torch.sin(3 * x[:, None] + 0.7 * t[None, :])


def exact_dmd(D, r):
    X, Y = D[:, :-1], D[:, 1:]
    U, S, Vh = LA.svd(X, full_matrices=False)
    U, S, V = U[:, :r], S[:r], Vh[:r].mH
    Atilde = U.mH @ Y @ V @ torch.diag(1 / S)
    lam, W = LA.eig(Atilde.to(torch.complex128))
    modes = (Y @ V @ torch.diag(1 / S)).to(torch.complex128) @ W
    return lam, modes


def run():
    D = traveling_wave()
    lam, modes = exact_dmd(D, r=4)
    energy = modes.abs().pow(2).sum(0)
    order = torch.argsort(energy, descending=True)
    lam, modes = lam[order], modes[:, order]
    phase_map = torch.angle(modes[:, 0])
    amplitude_map = modes[:, 0].abs()
    freqs = torch.sort(torch.angle(lam).abs()).values
    return {"freqs": freqs, "amplitude": amplitude_map, "phase_map": phase_map}

# modelled on: mbudisic/koopman +koopman/DMD.m
import torch


def exact_dmd(snap, r):
    X, Y = snap[:, :-1], snap[:, 1:]
    Ux, Sx, Vhx = torch.linalg.svd(X, full_matrices=False)
    Ux, Sx, Vx = Ux[:, :r], Sx[:r], Vhx[:r].mH
    Atilde = Ux.mH @ Y @ Vx / Sx  # Eigenvectors of Atilde will give Koopman modes
    lam, w = torch.linalg.eig(Atilde.to(torch.complex128))
    modes = (Y @ Vx / Sx).to(torch.complex128) @ w
    return lam, modes


def run():
    torch.manual_seed(0)
    n, m = 8, 14
    t = torch.arange(m + 1, dtype=torch.float64)
    basis = torch.randn(n, 4, dtype=torch.float64)
    temporal = torch.stack([
        torch.cos(0.4 * t) * 0.97 ** t,
        torch.sin(0.4 * t) * 0.97 ** t,
        torch.cos(1.1 * t) * 0.9 ** t,
        torch.sin(1.1 * t) * 0.9 ** t,
    ])
    snap = basis @ temporal
    lam, modes = exact_dmd(snap, 4)
    b = torch.linalg.lstsq(modes, snap[:, 0].to(torch.complex128).unsqueeze(-1)).solution.squeeze(-1)
    # normalise every mode so that its first entry is 1 (amplitude absorbs the rest)
    anchor = modes[0:1, :]
    modes_fixed = modes / anchor
    b_fixed = b * anchor.squeeze(0)
    norms = torch.linalg.vector_norm(modes, dim=0)
    amplitudes = b.abs() * norms
    order = torch.argsort(lam.imag)  # by frequency
    steps = torch.arange(m + 1, dtype=torch.float64)
    recon = (modes @ (lam[:, None] ** steps[None, :] * b[:, None])).real
    return {
        "amplitudes": amplitudes[order],
        "growth": lam.abs()[order],
        "mode_shapes": modes_fixed.real[:, order],
        "weights": b_fixed[order],
        "recon_err": torch.linalg.norm(recon - snap),
    }

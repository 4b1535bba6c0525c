# modelled on: Graph-COM/Walk_Profiles README.md (non-Hermitian / magnetic spectra, mode phase profiles)
import torch


def hatano_nelson(n, t=1.0, gamma=0.3, disorder=None):
    H = torch.zeros(n, n, dtype=torch.complex128)
    for i in range(n - 1):
        H[i, i + 1] = t * torch.exp(torch.tensor(gamma))
        H[i + 1, i] = t * torch.exp(torch.tensor(-gamma))
    if disorder is not None:
        H = H + torch.diag(disorder.to(torch.complex128))
    return H


def analyse_modes(H):
    evals, evecs = torch.linalg.eig(H)
    order = torch.argsort(evals.real)
    evals, evecs = evals[order], evecs[:, order]
    ipr = (evecs.abs() ** 4).sum(0) / ((evecs.abs() ** 2).sum(0) ** 2)
    lowest = evecs[:, 0] / evecs[:, 0].abs().max()
    phase_profile = torch.angle(lowest)
    return evals, ipr, phase_profile


def run():
    torch.manual_seed(0)
    H = hatano_nelson(8, disorder=0.5 * torch.randn(8, dtype=torch.float64))
    evals, ipr, phase_profile = analyse_modes(H)
    return {"evals_real": evals.real, "ipr": ipr, "phase_profile": phase_profile}

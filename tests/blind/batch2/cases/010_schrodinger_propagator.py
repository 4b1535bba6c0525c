# modelled on: qutip/qutip qutip/core/qobj.py
import torch


def hamiltonian(n=6, seed=4):
    g = torch.Generator().manual_seed(seed)
    M = torch.randn(n, n, dtype=torch.complex128, generator=g)
    return (M + M.mH) / 2


def propagator(H, t):
    evals, evecs = torch.linalg.eigh(H)
    phases = torch.exp(-1j * evals * t)
    return evecs @ torch.diag(phases) @ evecs.conj().T


def run():
    H = hamiltonian()
    psi0 = torch.zeros(H.shape[0], dtype=torch.complex128)
    psi0[0] = 1.0
    traj = []
    for t in (0.5, 1.0, 2.0):
        U = propagator(H, t)
        traj.append((U @ psi0).abs() ** 2)
    U1 = propagator(H, 1.0)
    unitarity = (U1.mH @ U1 - torch.eye(H.shape[0], dtype=H.dtype)).abs().max()
    return {"populations": torch.stack(traj), "U1": U1, "unitarity_err": unitarity}

# modelled on: tenpy/tenpy tenpy/algorithms/tebd.py
import torch


def random_bond_gate(gen, dt):
    h = torch.randn(4, 4, dtype=torch.complex128, generator=gen)
    h = (h + h.mH) / 2
    return torch.linalg.matrix_exp(-1j * dt * h)


class TwoSiteState:
    def __init__(self, theta, chi):
        self.chi = chi
        self.theta = theta
        self.A, self.S, self.B = self.split(theta)

    def split(self, theta):
        U, S, Vh = torch.linalg.svd(theta.reshape(2 * theta.shape[0], -1), full_matrices=False)
        chi = min(self.chi, S.shape[0])
        S = S[:chi] / S[:chi].norm()
        return U[:, :chi], S, Vh[:chi]

    def apply(self, gate):
        th = self.theta.reshape(-1, 2, 2, self.theta.shape[-1]).permute(1, 2, 0, 3).reshape(4, -1)
        th = (gate @ th).reshape(2, 2, -1, self.theta.shape[-1]).permute(2, 0, 1, 3)
        self.theta = th.reshape(self.theta.shape)
        return self.split(self.theta)

    def dense(self, A, S, B):
        return (A * S.to(A.dtype)) @ B


def sweep(state, gates):
    changes, overlaps = [], []
    for gate in gates:
        A_old, S_old, B_old = state.A, state.S, state.B
        old = state.dense(A_old, S_old, B_old)
        state.A, state.S, state.B = state.apply(gate)
        new = state.dense(state.A, state.S, state.B)
        changes.append(torch.linalg.norm(state.A - A_old))
        overlaps.append(torch.vdot(old.reshape(-1), new.reshape(-1)).abs())
    return torch.stack(changes), torch.stack(overlaps)


def run():
    gen = torch.Generator().manual_seed(0)
    theta = torch.randn(2, 2, 2, 3, dtype=torch.complex128, generator=gen)
    theta = theta / theta.norm()
    state = TwoSiteState(theta, chi=3)
    gates = [random_bond_gate(gen, 0.05) for _ in range(3)]
    changes, overlaps = sweep(state, gates)
    return {"tensor_change": changes, "state_overlap": overlaps, "schmidt": state.S}

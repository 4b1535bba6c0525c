# modelled on: tensorly/tensorly tensorly/decomposition/_tucker.py
import torch


def unfold(tensor, mode):
    return torch.movedim(tensor, mode, 0).reshape(tensor.shape[mode], -1)


def mode_dot(tensor, matrix, mode):
    moved = torch.movedim(tensor, mode, 0)
    out = torch.tensordot(matrix, moved, dims=([1], [0]))
    return torch.movedim(out, 0, mode)


def multi_mode_dot(tensor, matrices, transpose=False):
    out = tensor
    for mode, m in enumerate(matrices):
        out = mode_dot(out, m.mH if transpose else m, mode)
    return out


def partial_tucker_hosvd(tensor, rank):
    factors = []
    for mode in range(tensor.ndim):
        U, _, _ = torch.linalg.svd(unfold(tensor, mode), full_matrices=False)
        factors.append(U[:, :rank[mode]])
    core = multi_mode_dot(tensor, factors, transpose=True)
    return core, factors


def tucker_to_tensor(core, factors):
    return multi_mode_dot(core, factors)


def run():
    torch.manual_seed(0)
    g = torch.randn(2, 3, 2, dtype=torch.complex128)
    mats = [torch.randn(d, r, dtype=torch.complex128) for d, r in zip((4, 5, 3), (2, 3, 2))]
    X = tucker_to_tensor(g, mats) + 0.01 * torch.randn(4, 5, 3, dtype=torch.complex128)
    core, factors = partial_tucker_hosvd(X, rank=(2, 3, 2))
    approx = tucker_to_tensor(core, factors)
    rel_error = torch.linalg.vector_norm(approx - X) / torch.linalg.vector_norm(X)
    core_energy = torch.linalg.vector_norm(core)
    return {"approx": approx, "rel_error": rel_error, "core_energy": core_energy}

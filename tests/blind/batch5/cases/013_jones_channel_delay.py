# modelled on: pypi-data/pypi-mirror-52 packages/py-pol/py_pol-0.2.3.tar.gz/py_pol-0.2.3/py_pol/mueller.py
import torch


def rotator(theta):
    c, s = torch.cos(theta), torch.sin(theta)
    return torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2).to(torch.complex128)


def elliptic_elements(n, seed):
    g = torch.Generator().manual_seed(seed)
    theta = torch.rand(n, generator=g, dtype=torch.float64) * torch.pi
    p1 = 0.6 + 0.4 * torch.rand(n, generator=g, dtype=torch.float64)
    p2 = 0.1 + 0.4 * torch.rand(n, generator=g, dtype=torch.float64)
    delta = torch.rand(n, generator=g, dtype=torch.float64) * torch.pi
    D = torch.zeros(n, 2, 2, dtype=torch.complex128)
    D[:, 0, 0] = p1 * torch.exp(0.5j * delta)
    D[:, 1, 1] = p2 * torch.exp(-0.5j * delta)
    R = rotator(theta)
    mix = torch.eye(2, dtype=torch.complex128) + 0.2j * torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.complex128)
    return R @ D @ R.mH @ mix


def principal_channels(J):
    U, S, Vh = torch.linalg.svd(J)
    return U, S, Vh


def diattenuation(S):
    return (S[..., 0] ** 2 - S[..., 1] ** 2) / (S[..., 0] ** 2 + S[..., 1] ** 2)


def channel_delay(U, Vh):
    u1 = U[..., :, 0]
    v1 = Vh[..., 0, :]
    return torch.angle((v1.conj() * u1).sum(-1))


def run():
    J = elliptic_elements(10, 3)
    U, S, Vh = principal_channels(J)
    return {"diattenuation": diattenuation(S), "delay": channel_delay(U, Vh)}

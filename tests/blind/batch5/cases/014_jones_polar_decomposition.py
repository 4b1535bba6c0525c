# modelled on: pypi-data/pypi-mirror-52 packages/py-pol/py_pol-0.2.3.tar.gz/py_pol-0.2.3/py_pol/mueller.py
import torch


def random_jones(n, seed):
    g = torch.Generator().manual_seed(seed)
    re = torch.randn(n, 2, 2, generator=g, dtype=torch.float64)
    im = torch.randn(n, 2, 2, generator=g, dtype=torch.float64)
    return torch.complex(re, im) * 0.5 + torch.eye(2, dtype=torch.complex128)


class JonesAnalysis:
    def __init__(self, J):
        self.U, self.S, self.Vh = torch.linalg.svd(J)

    @property
    def retarder(self):
        return self.U @ self.Vh

    @property
    def diattenuator(self):
        return self.Vh.mH @ torch.diag_embed(self.S.to(torch.complex128)) @ self.Vh

    def retardance(self):
        tr = torch.diagonal(self.retarder, dim1=-2, dim2=-1).sum(-1)
        det = torch.linalg.det(self.retarder)
        c = (tr / torch.sqrt(det)).real.abs() / 2
        return 2 * torch.acos(c.clamp(max=1.0))

    def eigen_input_stokes(self):
        v = self.Vh[..., 0, :].conj()
        x, y = v[..., 0], v[..., 1]
        s1 = x.abs() ** 2 - y.abs() ** 2
        s2 = 2 * (x * y.conj()).real
        s3 = 2 * (x * y.conj()).imag
        return torch.stack([s1, s2, s3], -1)

    def channel_delay(self):
        return torch.angle((self.Vh[..., 0, :] * self.U[..., :, 0]).sum(-1))


def run():
    J = random_jones(8, 21)
    a = JonesAnalysis(J)
    return {
        "retardance": a.retardance(),
        "diattenuator_re": a.diattenuator.real,
        "stokes_in": a.eigen_input_stokes(),
        "delay": a.channel_delay(),
    }

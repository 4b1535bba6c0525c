# modelled on: rampasek/GraphGPS graphgps/encoder/laplace_pos_encoder.py
import torch
import torch.nn as nn


class LapPENodeEncoder(nn.Module):
    def __init__(self, dim_in, dim_pe, k):
        super().__init__()
        self.linear_x = nn.Linear(dim_in, 8 - dim_pe)
        self.linear_A = nn.Linear(2, dim_pe)
        self.k = k

    def forward(self, x, evals, evecs):
        pos = evecs[:, : self.k]
        if self.training:
            sign_flip = torch.rand(pos.size(1), dtype=pos.dtype)
            sign_flip[sign_flip >= 0.5] = 1.0
            sign_flip[sign_flip < 0.5] = -1.0
            pos = pos * sign_flip.unsqueeze(0)
        pos = torch.stack((pos, evals[: self.k].unsqueeze(0).expand_as(pos)), dim=2)
        pe = self.linear_A(pos).sum(1)
        return torch.cat((self.linear_x(x), pe), 1)


def run():
    torch.manual_seed(0)
    n = 8
    A = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1.0
    A[0, 5] = A[5, 0] = 1.0
    A[1, 6] = A[6, 1] = 1.0
    L = torch.diag(A.sum(1)) - A
    evals, evecs = torch.linalg.eigh(L)
    enc = LapPENodeEncoder(3, 4, k=3).double().eval()
    x = torch.randn(n, 3, dtype=torch.float64)
    with torch.no_grad():
        h = enc(x, evals, evecs)
    return {"h": h}

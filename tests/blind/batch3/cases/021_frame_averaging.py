# modelled on: omri1348/Frame-Averaging nbody/n_body_system/model_FA.py
import itertools
import torch
import torch.nn as nn


def pca_frames(pos):
    center = pos.mean(dim=0, keepdim=True)
    centered = pos - center
    C = centered.T @ centered
    _, U = torch.linalg.eigh(C)
    signs = torch.tensor(list(itertools.product([1.0, -1.0], repeat=3)), dtype=pos.dtype)
    frames = U.unsqueeze(0) * signs.unsqueeze(1)
    return frames, center


class PointMLP(nn.Module):
    def __init__(self, hidden=16, out_dim=3):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU())
        self.head = nn.Linear(hidden, out_dim)

    def forward(self, x):
        return self.head(self.net(x).mean(dim=-2))


class FrameAveragedModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = PointMLP().double()

    def forward(self, pos):
        frames, center = pca_frames(pos)
        local = torch.einsum("nd,fde->fne", pos - center, frames)
        out = self.backbone(local)
        out = torch.einsum("fe,fde->fd", out, frames)
        return out.mean(dim=0)


def run():
    torch.manual_seed(0)
    pos = torch.randn(10, 3, dtype=torch.float64) * torch.tensor([2.0, 1.0, 0.5], dtype=torch.float64)
    model = FrameAveragedModel()
    with torch.no_grad():
        vec = model(pos)
    return {"equivariant_vector": vec}

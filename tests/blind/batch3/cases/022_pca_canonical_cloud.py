# modelled on: omri1348/Frame-Averaging normal_estimation/DGCNN/model/frames_normal.py
import torch
import torch.nn as nn


class Canonicalizer:
    def __init__(self, q=3):
        self.q = q

    def __call__(self, pos):
        U, S, V = torch.pca_lowrank(pos, q=self.q, center=True)
        canon = (pos - pos.mean(0)) @ V
        return canon, S


class PointNetLite(nn.Module):
    def __init__(self, hidden=16, n_classes=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.cls = nn.Linear(hidden, n_classes)

    def forward(self, x):
        feat = self.mlp(x).max(dim=0).values
        return self.cls(feat)


class CanonicalClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.canon = Canonicalizer()
        self.net = PointNetLite().double()

    def forward(self, pos):
        x, spread = self.canon(pos)
        return self.net(x), spread


def run():
    torch.manual_seed(0)
    pos = torch.randn(12, 3, dtype=torch.float64) * torch.tensor([3.0, 1.5, 0.4], dtype=torch.float64)
    model = CanonicalClassifier()
    with torch.no_grad():
        logits, spread = model(pos)
    return {"logits": logits, "probs": logits.softmax(-1), "spread": spread}

# modelled on: divanshArora/Eigenfaces README.md
import torch
import torch.nn.functional as F


def eigenface_features(faces, q):
    U, S, V = torch.pca_lowrank(faces, q=q, center=True, niter=4)
    mean = faces.mean(0)
    feats = (faces - mean) @ V[:, :q]
    return feats, S


class FaceClassifier(torch.nn.Module):
    def __init__(self, q, n_classes):
        super().__init__()
        self.fc1 = torch.nn.Linear(q, 16, dtype=torch.float64)
        self.fc2 = torch.nn.Linear(16, n_classes, dtype=torch.float64)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def run():
    torch.manual_seed(0)
    faces = torch.randn(12, 4, dtype=torch.float64) @ torch.randn(4, 10, dtype=torch.float64)
    feats, S = eigenface_features(faces, 4)
    clf = FaceClassifier(4, 3)
    logits = clf(feats)
    return {"logits": logits, "singular_values": S}

# modelled on: isl-org/Open3D examples/python/geometry/point_cloud_normal_estimation.py
import torch


def knn(points, k):
    d = torch.cdist(points, points)
    return d.topk(k, largest=False).indices


def estimate_normals(points, k=5, viewpoint=None):
    nbrs = points[knn(points, k)]
    centered = nbrs - nbrs.mean(dim=1, keepdim=True)
    cov = centered.transpose(1, 2) @ centered / k
    evals, evecs = torch.linalg.eigh(cov)
    idx = evals.argsort(dim=-1)
    evecs = torch.take_along_dim(evecs, idx.unsqueeze(-2).expand_as(evecs), dim=-1)
    evals = torch.take_along_dim(evals, idx, dim=-1)
    normals = evecs[..., 0]
    if viewpoint is not None:
        s = torch.sign(((viewpoint - points) * normals).sum(-1))
        s = torch.where(s == 0, torch.ones_like(s), s)
        normals = normals * s.unsqueeze(-1)
    curvature = evals[..., 0] / evals.sum(-1)
    return normals, curvature


def run():
    g = torch.Generator().manual_seed(4)
    uv = torch.rand(12, 2, dtype=torch.float64, generator=g)
    z = 0.3 * torch.sin(2 * uv[:, 0]) + 0.2 * uv[:, 1] ** 2
    pts = torch.cat([uv, z[:, None]], dim=1)
    normals, curv = estimate_normals(pts, viewpoint=torch.tensor([0.5, 0.5, 3.0], dtype=torch.float64))
    return {"normals": normals, "curvature": curv}

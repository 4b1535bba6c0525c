# modelled on: omri1348/Frame-Averaging normal_estimation/Pointnet/model/frames_normal.py
import torch


def knn_indices(points, k):
    d = torch.cdist(points, points)
    return d.topk(k, largest=False).indices


def estimate_normals(points, k=5):
    idx = knn_indices(points, k)
    nbrs = points[idx]
    centered = nbrs - nbrs.mean(dim=1, keepdim=True)
    cov = centered.transpose(1, 2) @ centered / k
    evals, evecs = torch.linalg.eigh(cov)
    normals = evecs[..., :, 0]
    curvature = evals[..., 0] / evals.sum(-1)
    return normals, curvature


def lambert_shading(normals, light_dir, albedo=0.8):
    light_dir = light_dir / light_dir.norm()
    return albedo * (normals @ light_dir).clamp(min=0.0)


def sample_cap(gen, n):
    theta = torch.rand(n, generator=gen, dtype=torch.float64) * 0.9
    phi = torch.rand(n, generator=gen, dtype=torch.float64) * 2 * torch.pi
    pts = torch.stack([theta.sin() * phi.cos(), theta.sin() * phi.sin(), theta.cos()], dim=-1)
    return pts + 0.01 * torch.randn(n, 3, generator=gen, dtype=torch.float64)


def run():
    gen = torch.Generator().manual_seed(0)
    points = sample_cap(gen, 12)
    normals, curvature = estimate_normals(points, k=5)
    light = torch.tensor([0.3, 0.2, 1.0], dtype=torch.float64)
    shade = lambert_shading(normals, light)
    return {"shading": shade, "curvature": curvature}

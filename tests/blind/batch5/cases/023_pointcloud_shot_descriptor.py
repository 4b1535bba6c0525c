# modelled on: facebookresearch/pytorch3d pytorch3d/ops/points_normals.py
import torch


def sample_surface(n, seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * 2 - 1
    z = 0.25 * torch.sin(2.0 * xy[:, 0]) + 0.15 * xy[:, 1] ** 2
    z = z + 0.01 * torch.randn(n, generator=g, dtype=torch.float64)
    return torch.cat([xy, z[:, None]], dim=1)


def neighborhoods(points, K):
    idx = torch.cdist(points, points).topk(K, largest=False).indices
    return points[idx]


def principal_directions(points, K):
    knns = neighborhoods(points, K)
    centered = knns - knns.mean(1, keepdim=True)
    cov = centered.transpose(1, 2) @ centered / K
    curvatures, frames = torch.linalg.eigh(cov)
    return curvatures, frames, knns


def orient_normals(points, knns, normals):
    K = knns.shape[1]
    proj = (normals[:, None] * (knns - points[:, None])).sum(2)
    n_pos = (proj > 0).double().sum(1, keepdim=True)
    return torch.where(n_pos < 0.5 * K, -normals, normals)


def local_reference_frames(points, K=16):
    curvatures, frames, knns = principal_directions(points, K)
    n = orient_normals(points, knns, frames[:, :, 0])
    z = frames[:, :, 2]
    y = torch.cross(n, z, dim=1)
    return curvatures, n, torch.stack((n, y, z), dim=2), knns


def shot_like_descriptor(points, knns, lrf):
    local = torch.einsum("nkd,nde->nke", knns - points[:, None], lrf)
    return torch.relu(local).mean(1)


def run():
    pts = sample_surface(50, 12)
    curv, normals, lrf, knns = local_reference_frames(pts)
    desc = shot_like_descriptor(pts, knns, lrf)
    return {"curvatures": curv, "normals": normals, "descriptor": desc}

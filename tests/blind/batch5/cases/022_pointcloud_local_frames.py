# modelled on: facebookresearch/pytorch3d pytorch3d/ops/points_normals.py
import torch


def sample_surface(n, seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * 2 - 1
    z = 0.3 * xy[:, 0] ** 2 - 0.2 * xy[:, 1] ** 2 + 0.1 * xy[:, 0] * xy[:, 1]
    z = z + 0.01 * torch.randn(n, generator=g, dtype=torch.float64)
    return torch.cat([xy, z[:, None]], dim=1)


def knn_gather(points, K):
    d = torch.cdist(points, points)
    idx = d.topk(K, largest=False).indices
    return points[idx]


def get_point_covariances(points, K):
    knns = knn_gather(points, K)
    centered = knns - knns.mean(1, keepdim=True)
    cov = centered.transpose(1, 2) @ centered / K
    return cov, knns


def _disambiguate_vector_directions(pcl, knns, vecs):
    K = knns.shape[1]
    df = knns - pcl[:, None]
    proj = (vecs[:, None] * df).sum(2)
    n_pos = (proj > 0).type_as(knns).sum(1, keepdim=True)
    flip = (n_pos < (0.5 * K)).type_as(knns)
    return (1.0 - 2.0 * flip) * vecs


def estimate_local_frames(points, K=16):
    cov, knns = get_point_covariances(points, K)
    curvatures, frames = torch.linalg.eigh(cov)
    n = _disambiguate_vector_directions(points, knns, frames[:, :, 0])
    z = _disambiguate_vector_directions(points, knns, frames[:, :, 2])
    y = torch.cross(n, z, dim=1)
    return curvatures, torch.stack((n, y, z), dim=2), knns


def frame_descriptor(points, knns, frames):
    df = knns - points[:, None]
    local = torch.einsum("nkd,nde->nke", df, frames)
    return torch.relu(local).mean(1)


def run():
    pts = sample_surface(60, 4)
    curv, frames, knns = estimate_local_frames(pts, K=16)
    return {"curvatures": curv, "frames": frames, "descriptor": frame_descriptor(pts, knns, frames)}

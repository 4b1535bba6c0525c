# modelled on: aosewski/ros_pcl_tutorials doc/pcl_normal_esitm.md
import torch


def knn_covariances(points, k):
    d = torch.cdist(points, points)
    idx = d.topk(k, largest=False).indices  # [N, k]
    nbrs = points[idx]  # [N, k, 3]
    centered = nbrs - nbrs.mean(dim=1, keepdim=True)
    return centered.transpose(1, 2) @ centered / k


def estimate_normals(points, k=6):
    cov = knn_covariances(points, k)
    evals, evecs = torch.linalg.eigh(cov)  # batched, ascending
    normals = evecs[..., 0]  # direction of least variance
    curvature = evals[..., 0] / evals.sum(-1)
    return normals, curvature


def lambert(normals, light_dir):
    light_dir = light_dir / light_dir.norm()
    return (normals @ light_dir).clamp(min=0.0)


def run():
    torch.manual_seed(0)
    xy = torch.rand(12, 2, dtype=torch.float64) * 2 - 1
    z = 0.3 * xy[:, 0] * xy[:, 1] + 0.02 * torch.randn(12, dtype=torch.float64)
    pts = torch.cat([xy, z[:, None]], dim=1)
    normals, curvature = estimate_normals(pts)
    shade = lambert(normals, torch.tensor([0.3, -0.2, 1.0], dtype=torch.float64))
    return {"shade": shade, "curvature": curvature}

# modelled on: isl-org/Open3D examples/python/geometry/point_cloud_normal_estimation.py
import numpy as np
from scipy.linalg import eigh as sym_eig


class PointCloud:
    def __init__(self, points):
        self.points = np.asarray(points)
        self.normals = None

    def estimate_normals(self, max_nn=6):
        d = np.linalg.norm(self.points[:, None] - self.points[None], axis=-1)
        normals = []
        for i in range(len(self.points)):
            nbrs = self.points[np.argsort(d[i])[:max_nn]]
            cov = np.cov(nbrs, rowvar=False, bias=True)
            w, v = sym_eig(cov)
            normals.append(v[:, 0])
        self.normals = np.stack(normals)

    def orient_normals_towards_camera_location(self, camera_location):
        to_cam = camera_location[None, :] - self.points
        flip = np.einsum("ij,ij->i", self.normals, to_cam) < 0
        self.normals[flip] *= -1.0


def shade(cloud, light, ambient=0.1):
    lam = np.clip(cloud.normals @ (light / np.linalg.norm(light)), 0.0, None)
    return ambient + (1 - ambient) * lam


def run():
    rng = np.random.default_rng(0)
    u, v = rng.uniform(-1, 1, 12), rng.uniform(-1, 1, 12)
    z = 0.3 * u ** 2 - 0.2 * v ** 2 + 0.01 * rng.standard_normal(12)
    cloud = PointCloud(np.column_stack([u, v, z]))
    cloud.estimate_normals(max_nn=6)
    cloud.orient_normals_towards_camera_location(np.array([0.0, 0.0, 5.0]))
    return {"normals": cloud.normals, "shading": shade(cloud, np.array([0.2, -0.4, 1.0]))}

# modelled on: mikedh/trimesh trimesh/points.py
import numpy as np


def noisy_plane(n, seed):
    rng = np.random.default_rng(seed)
    uv = rng.uniform(-1, 1, size=(n, 2))
    normal = np.array([0.2, -0.3, 0.93])
    normal /= np.linalg.norm(normal)
    a = np.cross(normal, [1.0, 0.0, 0.0])
    a /= np.linalg.norm(a)
    b = np.cross(normal, a)
    pts = uv[:, :1] * a + uv[:, 1:] * b + rng.normal(scale=0.02, size=(n, 1)) * normal
    return pts + np.array([0.5, 1.0, -0.2])


def plane_fit(points):
    points = np.asanyarray(points, dtype=np.float64)
    C = points.mean(axis=0)
    x = points - C
    M = np.dot(x.T, x)
    N = np.linalg.svd(M)[0][:, -1]
    return C, N


def point_plane_distance(points, plane_normal, plane_origin=(0.0, 0.0, 0.0)):
    w = np.asanyarray(points, dtype=np.float64) - plane_origin
    return np.dot(plane_normal, w.T) / np.linalg.norm(plane_normal)


def run():
    pts = noisy_plane(30, 6)
    C, N = plane_fit(pts)
    dist = point_plane_distance(pts, N, C)
    return {
        "origin": C,
        "signed_distance": dist,
        "above": dist > 0,
        "thickness": np.ptp(dist),
    }

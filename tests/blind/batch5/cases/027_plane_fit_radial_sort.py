# modelled on: mikedh/trimesh trimesh/points.py
import numpy as np


def ring_points(n, seed):
    rng = np.random.default_rng(seed)
    t = rng.permutation(np.linspace(0, 2 * np.pi, n, endpoint=False))
    base = np.stack([np.cos(t), np.sin(t), 0.05 * rng.normal(size=n)], 1)
    R = np.linalg.qr(np.array([[1.0, 0.2, 0.1], [0.3, 1.0, -0.2], [0.1, 0.4, 1.0]]))[0]
    return base @ R.T + np.array([2.0, -1.0, 0.5])


def plane_fit(points):
    C = points.mean(axis=0)
    x = points - C
    N = np.linalg.svd(np.dot(x.T, x))[0][:, -1]
    return C, N


def orient_towards(normal, origin, viewpoint):
    return normal * np.sign(np.dot(normal, viewpoint - origin))


def radial_sort(points, origin, normal):
    axis0 = [normal[0], normal[2], -normal[1]]
    axis1 = np.cross(normal, axis0)
    vec = points - origin
    angles = np.arctan2(np.dot(vec, axis0), np.dot(vec, axis1))
    return points[np.argsort(angles)], np.sort(angles)


def run():
    pts = ring_points(14, 1)
    C, N = plane_fit(pts)
    N = orient_towards(N, C, np.array([10.0, 10.0, 10.0]))
    ordered, angles = radial_sort(pts, C, N)
    return {"normal": N, "ordered": ordered, "angles": angles}

# modelled on: Tsmorz/cs5335 Ex5/eigenNorm.m
import numpy as np


def eigen_norm(point, radius, xyz):
    dist = np.sqrt(np.sum((xyz - point) ** 2, axis=1))
    pts = xyz[dist < radius, :]
    mu = pts.mean(axis=0)
    pdiff = pts - mu
    sigma = pdiff.T @ pdiff
    lam, vec = np.linalg.eigh(sigma)
    idx = int(np.argmin(lam))
    normal = vec[:, idx]
    ratio = lam.min() / lam.max()
    return normal, ratio


def estimate_normals(xyz, radius, viewpoint):
    normals, ratios = [], []
    for p in xyz:
        n, r = eigen_norm(p, radius, xyz)
        # flip towards the sensor
        if np.dot(n, viewpoint - p) < 0:
            n = -n
        normals.append(n)
        ratios.append(r)
    return np.array(normals), np.array(ratios)


def run():
    rng = np.random.default_rng(0)
    uv = rng.uniform(-1, 1, size=(12, 2))
    z = 0.2 * uv[:, 0] ** 2 - 0.1 * uv[:, 1] + 0.01 * rng.standard_normal(12)
    xyz = np.column_stack([uv, z])
    normals, ratios = estimate_normals(xyz, 1.2, viewpoint=np.array([0.0, 0.0, 5.0]))
    return {"normals": normals, "flatness": ratios}

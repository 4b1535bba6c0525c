# modelled on: isl-org/Open3D examples/python/geometry/point_cloud_plane_segmentation.py
import numpy as np


def fit_plane(points):
    centroid = points.mean(axis=0)
    _, _, vh = np.linalg.svd(points - centroid)
    normal = vh[-1]
    return centroid, normal


def heights_above(points, plane):
    centroid, normal = plane
    return (points - centroid) @ normal


def run():
    rng = np.random.default_rng(10)
    xy = rng.uniform(-1, 1, size=(11, 2))
    z = 0.2 * xy[:, 0] - 0.1 * xy[:, 1] + 0.02 * rng.standard_normal(11)
    pts = np.column_stack([xy, z])
    plane = fit_plane(pts)
    h = heights_above(pts, plane)
    rms = np.sqrt(np.mean(h ** 2))
    above = int((h > 0.01).sum())
    return {"heights": h, "rms": rms, "n_above": above}

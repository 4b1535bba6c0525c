# modelled on: vigente/gerardus matlab/PointsToolbox/pca_align.m
import numpy as np
from scipy.linalg import svd


def pca_align(x):
    """Centre the points and rotate them so that the principal components are the axes."""
    xm = x.mean(axis=0)
    xc = x - xm
    _, d, vt = svd(xc, full_matrices=False)
    y = xc @ vt.T
    return y, xm, vt, d ** 2 / (len(x) - 1)


def shape_descriptor(y, bins=4):
    extent = y.max(axis=0) - y.min(axis=0)
    hist = np.stack([np.histogram(y[:, j], bins=bins, range=(-3, 3))[0] for j in range(y.shape[1])])
    return extent, hist


def run():
    rng = np.random.default_rng(0)
    pts = rng.standard_normal((12, 3)) * np.array([2.0, 1.0, 0.3])
    pts[:3, 0] += 2.5  # asymmetric bump
    y, xm, vt, var = pca_align(pts)
    extent, hist = shape_descriptor(y)
    return {"extent": extent, "hist": hist, "variance": var}

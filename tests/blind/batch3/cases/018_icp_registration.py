# modelled on: ClayFlannigan/icp icp.py
import numpy as np
import numpy.linalg as nla


def best_fit_transform(A, B):
    m = A.shape[1]
    centroid_A, centroid_B = A.mean(axis=0), B.mean(axis=0)
    AA, BB = A - centroid_A, B - centroid_B
    H = AA.T @ BB
    U, S, Vt = nla.svd(H)
    if nla.det(U) < 0:
        U[:, m - 1] *= -1
    R = Vt.T @ U.T
    t = centroid_B - R @ centroid_A
    T = np.identity(m + 1)
    T[:m, :m] = R
    T[:m, m] = t
    return T, R, t


def nearest_neighbor(src, dst):
    d = np.linalg.norm(src[:, None, :] - dst[None, :, :], axis=-1)
    idx = d.argmin(axis=1)
    return d[np.arange(len(src)), idx], idx


def icp(A, B, max_iterations=10, tolerance=1e-9):
    m = A.shape[1]
    src = np.ones((m + 1, A.shape[0]))
    src[:m, :] = np.copy(A.T)
    prev_error = 0.0
    for i in range(max_iterations):
        distances, indices = nearest_neighbor(src[:m, :].T, B)
        T, _, _ = best_fit_transform(src[:m, :].T, B[indices, :])
        src = T @ src
        mean_error = np.mean(distances)
        if np.abs(prev_error - mean_error) < tolerance:
            break
        prev_error = mean_error
    T, _, _ = best_fit_transform(A, src[:m, :].T)
    return T, distances, i


def run():
    rng = np.random.default_rng(0)
    B = rng.uniform(-1, 1, size=(12, 3))
    angle = 0.3
    Rz = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    A = (B - 0.1) @ Rz + 0.01 * rng.standard_normal(B.shape)
    T, distances, iters = icp(A, B)
    return {"transform": T, "distances": distances, "iterations": iters}

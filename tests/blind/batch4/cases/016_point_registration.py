# modelled on: ClayFlannigan/icp icp.py
import numpy as np


def best_fit_transform(A, B):
    m = A.shape[1]
    centroid_A = np.mean(A, axis=0)
    centroid_B = np.mean(B, axis=0)
    AA = A - centroid_A
    BB = B - centroid_B
    H = np.dot(AA.T, BB)
    U, S, Vt = np.linalg.svd(H)
    R = np.dot(Vt.T, U.T)
    if np.linalg.det(R) < 0:
        Vt[m - 1, :] *= -1
        R = np.dot(Vt.T, U.T)
    t = centroid_B.T - np.dot(R, centroid_A.T)
    T = np.identity(m + 1)
    T[:m, :m] = R
    T[:m, m] = t
    return T, R, t


def nearest_neighbor(src, dst):
    d = np.linalg.norm(src[:, None, :] - dst[None, :, :], axis=-1)
    idx = d.argmin(axis=1)
    return d[np.arange(src.shape[0]), idx], idx


def icp(A, B, max_iterations=10):
    src = A.copy()
    for _ in range(max_iterations):
        distances, indices = nearest_neighbor(src, B)
        T, _, _ = best_fit_transform(src, B[indices])
        src = (T[:3, :3] @ src.T).T + T[:3, 3]
    T, _, _ = best_fit_transform(A, src)
    return T, float(np.mean(distances))


def run():
    rng = np.random.default_rng(0)
    B = rng.uniform(-1, 1, size=(10, 3))
    angle = 0.3
    R = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    A = (R.T @ (B - np.array([0.1, -0.2, 0.05])).T).T
    T, err = icp(A, B)
    return {"transform": T, "mean_error": err}

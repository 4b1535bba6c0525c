# modelled on: burmisha/bursda imaging_2/seminar_8/CalibrationDLT.m
import numpy as np


def synthetic_camera():
    K = np.array([[800.0, 0.0, 320.0], [0.0, 780.0, 240.0], [0.0, 0.0, 1.0]])
    a = 0.3
    R = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    t = np.array([0.2, -0.1, 4.0])
    return K @ np.hstack([R, t[:, None]])


def project(P, X):
    Xh = np.hstack([X, np.ones((len(X), 1))])
    x = Xh @ P.T
    return x[:, :2] / x[:, 2:]


def dlt(x, X):
    N = len(x)
    A = np.zeros((2 * N, 12))
    for i in range(N):
        Xh = np.append(X[i], 1.0)
        A[2 * i, 0:4] = Xh
        A[2 * i, 8:12] = -x[i, 0] * Xh
        A[2 * i + 1, 4:8] = Xh
        A[2 * i + 1, 8:12] = -x[i, 1] * Xh
    _, S, Vt = np.linalg.svd(A)
    return Vt[-1].reshape(3, 4)


def camera_center(P):
    _, _, Vt = np.linalg.svd(P)
    C = Vt[-1]
    return C[:3] / C[3]


def cheirality(P, X):
    Xh = np.hstack([X, np.ones((len(X), 1))])
    depth = Xh @ P[2]
    return depth > 0


def run():
    rng = np.random.default_rng(3)
    P_true = synthetic_camera()
    X = rng.uniform(-1, 1, size=(12, 3)) + np.array([0.0, 0.0, 1.0])
    x = project(P_true, X) + rng.normal(scale=0.3, size=(12, 2))
    x_norm = (x - np.array([320.0, 240.0])) / 400.0
    P = dlt(x_norm, X)
    err = np.linalg.norm(project(P, X) - x_norm, axis=1)
    return {"center": camera_center(P), "reproj_error": err, "in_front": cheirality(P, X)}

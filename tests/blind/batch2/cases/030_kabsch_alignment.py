# modelled on: CM134/Perception Week_5/kabsch.py
import numpy as np


def kabsch(A, B):
    centroid_A = A.mean(axis=0)
    centroid_B = B.mean(axis=0)
    AA = A - centroid_A
    BB = B - centroid_B
    H = BB.T @ AA
    U, S, Vt = np.linalg.svd(H)
    d = np.sign(np.linalg.det(Vt.T @ U.T))
    R = Vt.T @ np.diag([1.0, 1.0, d]) @ U.T
    t = centroid_A - R @ centroid_B
    return R, t


def run():
    rng = np.random.default_rng(7)
    P = rng.standard_normal((9, 3))
    q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    Q = P @ q.T + np.array([0.5, -1.0, 2.0]) + 0.01 * rng.standard_normal((9, 3))
    R, t = kabsch(Q, P)
    rmsd = np.sqrt(((P @ R.T + t - Q) ** 2).sum(1).mean())
    return {"R": R, "t": t, "rmsd": rmsd}

# modelled on: CM134/Perception Week_5/kabsch.py
import numpy as np


def kabsch(A, B):
    assert len(A) == len(B)
    centroid_A = np.mean(A, axis=0)
    centroid_B = np.mean(B, axis=0)
    # center the points
    AA = A - centroid_A
    BB = B - centroid_B
    H = BB.T @ AA
    U, S, Vt = np.linalg.svd(H)
    R = Vt.T @ U.T
    # special reflection case
    if np.linalg.det(R) < 0:
        Vt[2, :] *= -1
        R = Vt.T @ U.T
    t = -R @ centroid_B + centroid_A
    return R, t


def random_rotation(rng):
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def run():
    rng = np.random.default_rng(0)
    B = rng.standard_normal((10, 3))
    R_true = random_rotation(rng)
    A = B @ R_true.T + np.array([0.5, -1.0, 2.0]) + 0.01 * rng.standard_normal((10, 3))
    R, t = kabsch(A, B)
    # a mirrored copy exercises the reflection branch
    A_mirror = A * np.array([1.0, 1.0, -1.0])
    R_m, t_m = kabsch(A_mirror, B)
    rmsd = np.sqrt(np.mean(np.sum((B @ R.T + t - A) ** 2, axis=1)))
    return {"R": R, "t": t, "R_mirror": R_m, "det_mirror": np.linalg.det(R_m), "rmsd": rmsd}

# modelled on: matthew-brett/transforms3d transforms3d/axangles.py
import numpy as np


def expm_so3(rotvec):
    theta = np.linalg.norm(rotvec)
    k = rotvec / theta
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(theta) * K + (1 - np.cos(theta)) * K @ K


def mat2axangle(mat, unit_thresh=1e-5):
    M = np.asarray(mat, dtype=float)
    L, W = np.linalg.eig(M.T)
    i = np.where(np.abs(L - 1.0) < unit_thresh)[0]
    direction = np.real(W[:, i[-1]]).squeeze()
    direction = direction / np.linalg.norm(direction)
    cosa = (np.trace(M) - 1.0) / 2.0
    skew = np.array([M[2, 1] - M[1, 2], M[0, 2] - M[2, 0], M[1, 0] - M[0, 1]])
    sina = 0.5 * direction @ skew
    angle = np.arctan2(sina, cosa)
    return direction, angle


def run():
    rng = np.random.default_rng(0)
    axes, angles, rotvecs = [], [], []
    for _ in range(4):
        rv = rng.standard_normal(3)
        rv *= rng.uniform(0.3, 2.5) / np.linalg.norm(rv)
        direction, angle = mat2axangle(expm_so3(rv))
        axes.append(direction)
        angles.append(angle)
        rotvecs.append(direction * angle)
    return {"axes": np.array(axes), "angles": np.array(angles), "rotvecs": np.array(rotvecs)}

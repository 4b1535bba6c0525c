# modelled on: QbitQuantum/Basics Исходники/normalization.cpp (PCA canonical frame of a point cloud)
import numpy as np
from scipy.linalg import eigh as seigh


def principal_frame(P):
    c = P.mean(0)
    C = np.cov((P - c).T)
    w, V = seigh(C)
    return c, V[:, ::-1]


def pca_register(source, target):
    cs, Vs = principal_frame(source)
    ct, Vt = principal_frame(target)
    R = Vt @ Vs.T
    return (source - cs) @ R.T + ct


def run():
    rng = np.random.default_rng(0)
    target = rng.standard_normal((12, 3)) * np.array([3.0, 1.5, 0.5])
    theta = 0.7
    Rz = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    source = target @ Rz.T + np.array([1.0, 2.0, -1.0])
    aligned = pca_register(source, target)
    return {"rmse": np.sqrt(((aligned - target) ** 2).sum(1).mean())}

# modelled on: jonathanpokrass/ShapeLAB utils/solveICP.m
import numpy as np


def solve_rotation(A, B):
    U, S, Vt = np.linalg.svd(A.T @ B)
    U[:, -1] = U[:, -1] * np.sign(np.linalg.det(U))
    X = U @ Vt
    return X, S


def align(source, target):
    mu_s, mu_t = source.mean(0), target.mean(0)
    X, S = solve_rotation(source - mu_s, target - mu_t)
    moved = (source - mu_s) @ X + mu_t
    return X, moved


def rmsd(a, b):
    return float(np.sqrt(((a - b) ** 2).sum(1).mean()))


def run():
    rng = np.random.default_rng(0)
    target = rng.normal(size=(9, 3))
    q = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    source = (target - 0.3) @ q.T + 0.02 * rng.normal(size=(9, 3))
    X, moved = align(source, target)
    return {"rotation": X, "aligned": moved, "rmsd": rmsd(moved, target), "det": np.linalg.det(X)}

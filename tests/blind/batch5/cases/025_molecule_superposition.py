# modelled on: charnley/rmsd rmsd/calculate_rmsd.py
import numpy as np

AXIS_REFLECTIONS = np.array(
    [[1, 1, 1], [-1, 1, 1], [1, -1, 1], [1, 1, -1], [-1, -1, 1], [-1, 1, -1], [1, -1, -1], [-1, -1, -1]]
)


def random_molecule(n_atoms, seed):
    rng = np.random.default_rng(seed)
    coords = rng.normal(size=(n_atoms, 3)) * np.array([2.2, 1.1, 0.5])
    masses = rng.choice([1.008, 12.011, 14.007, 15.999], size=n_atoms)
    return coords, masses


def rotation(a, b):
    Rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    Rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    return Rz @ Rx


def centroid(X, w):
    return (X * w[:, None]).sum(0) / w.sum()


def principal_frame(X, w):
    Y = X - centroid(X, w)
    inertia = (w * (Y ** 2).sum(1)).sum() * np.eye(3) - np.einsum("i,ij,ik->jk", w, Y, Y)
    _, axes = np.linalg.eigh(inertia)
    return Y @ axes


def rmsd(P, Q):
    return np.sqrt(((P - Q) ** 2).sum() / len(P))


def kabsch(P, Q):
    C = np.dot(np.transpose(P), Q)
    V, S, W = np.linalg.svd(C)
    d = (np.linalg.det(V) * np.linalg.det(W)) < 0.0
    if d:
        S[-1] = -S[-1]
        V[:, -1] = -V[:, -1]
    return np.dot(V, W)


def kabsch_rmsd(P, Q):
    return rmsd(P @ kabsch(P, Q), Q)


def best_reflection_rmsd(P, Q, w):
    Pf = principal_frame(P, w)
    Qf = principal_frame(Q, w)
    scores = [rmsd(Pf * s, Qf) for s in AXIS_REFLECTIONS]
    best = int(np.argmin(scores))
    return min(scores), kabsch_rmsd(Pf * AXIS_REFLECTIONS[best], Qf)


def run():
    P, w = random_molecule(10, 17)
    noise = np.random.default_rng(2).normal(scale=0.03, size=P.shape)
    Q = P @ rotation(1.1, 0.6).T + noise + np.array([0.3, 0.0, -1.0])
    best, refined = best_reflection_rmsd(P, Q, w)
    direct = kabsch_rmsd(P - centroid(P, w), Q - centroid(Q, w))
    return {"inertia_rmsd": best, "refined_rmsd": refined, "kabsch_rmsd": direct}

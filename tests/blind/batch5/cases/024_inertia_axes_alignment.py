# modelled on: charnley/rmsd rmsd/calculate_rmsd.py
import numpy as np


def random_molecule(n_atoms, seed):
    rng = np.random.default_rng(seed)
    coords = rng.normal(size=(n_atoms, 3)) * np.array([2.0, 1.2, 0.6])
    masses = rng.choice([1.008, 12.011, 14.007, 15.999], size=n_atoms)
    return coords, masses


def rotation(a, b, c):
    Rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    Ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    Rx = np.array([[1, 0, 0], [0, np.cos(c), -np.sin(c)], [0, np.sin(c), np.cos(c)]])
    return Rz @ Ry @ Rx


def get_cm(coords, masses):
    return (coords * masses[:, None]).sum(0) / masses.sum()


def get_inertia_tensor(coords, masses):
    X = coords - get_cm(coords, masses)
    r2 = (X ** 2).sum(1)
    return (masses * r2).sum() * np.eye(3) - np.einsum("i,ij,ik->jk", masses, X, X)


def get_principal_axis(coords, masses):
    inertia = get_inertia_tensor(coords, masses)
    moments, axes = np.linalg.eigh(inertia)
    return moments, axes


def align_to_principal_axes(coords, masses):
    moments, axes = get_principal_axis(coords, masses)
    return (coords - get_cm(coords, masses)) @ axes, moments


def rmsd(P, Q):
    diff = P - Q
    return np.sqrt((diff * diff).sum() / P.shape[0])


def run():
    P, masses = random_molecule(9, 3)
    noise = np.random.default_rng(4).normal(scale=0.05, size=P.shape)
    Q = P @ rotation(0.7, -0.4, 1.9).T + np.array([1.0, -2.0, 0.5]) + noise
    P_al, moments_p = align_to_principal_axes(P, masses)
    Q_al, moments_q = align_to_principal_axes(Q, masses)
    return {"rmsd": rmsd(P_al, Q_al), "aligned_q": Q_al, "moments": moments_p}

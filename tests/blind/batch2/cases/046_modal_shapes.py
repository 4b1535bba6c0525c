# modelled on: ritchie46/anaStruct anastruct/fem/system_components/solver.py
import numpy as np
import scipy.linalg as sla


def shear_building(masses, stiffness):
    n = len(masses)
    K = np.zeros((n, n))
    for i, k in enumerate(stiffness):
        K[i, i] += k
        if i + 1 < n:
            K[i, i] += stiffness[i + 1]
            K[i, i + 1] = K[i + 1, i] = -stiffness[i + 1]
    return K, np.diag(masses)


def modal_analysis(K, M, n_modes=3):
    w2, phi = sla.eigh(K, M)
    omega = np.sqrt(w2[:n_modes])
    shapes = phi[:, :n_modes]
    shapes = shapes / np.abs(shapes).max(axis=0)
    return omega / (2 * np.pi), shapes


def run():
    K, M = shear_building([2.0, 2.0, 1.5, 1.0, 1.0], [900.0, 800.0, 700.0, 500.0, 300.0])
    freqs, shapes = modal_analysis(K, M)
    roof = shapes[-1, :]
    return {"freqs": freqs, "shapes": shapes, "roof_ratio": roof}

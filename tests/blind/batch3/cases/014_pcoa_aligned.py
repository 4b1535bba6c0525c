# modelled on: scikit-bio/scikit-bio skbio/stats/ordination/_principal_coordinate_analysis.py
import numpy as np
from scipy.linalg import orthogonal_procrustes


def _e_matrix(distance_matrix):
    return distance_matrix * distance_matrix / -2


def _f_matrix(E_matrix):
    row_means = E_matrix.mean(axis=1, keepdims=True)
    col_means = E_matrix.mean(axis=0, keepdims=True)
    matrix_mean = E_matrix.mean()
    return E_matrix - row_means - col_means + matrix_mean


def pcoa(distance_matrix, number_of_dimensions=2):
    F = _f_matrix(_e_matrix(distance_matrix))
    eigvals, eigvecs = np.linalg.eigh(F)
    negative_close_to_zero = np.isclose(eigvals, 0)
    eigvals[negative_close_to_zero] = 0
    idxs_descending = eigvals.argsort()[::-1]
    eigvals = eigvals[idxs_descending]
    eigvecs = eigvecs[:, idxs_descending]
    coordinates = eigvecs * np.sqrt(np.maximum(eigvals, 0))
    proportion_explained = eigvals / eigvals.sum()
    return coordinates[:, :number_of_dimensions], proportion_explained[:number_of_dimensions]


def procrustes_to_reference(coords, reference):
    R, _ = orthogonal_procrustes(coords, reference)
    aligned = coords @ R
    disparity = np.sum((aligned - reference) ** 2)
    return aligned, disparity


def run():
    rng = np.random.default_rng(0)
    truth = rng.uniform(-1, 1, size=(11, 2)) * np.array([2.0, 1.0])
    observed = truth + 0.05 * rng.standard_normal(truth.shape)
    D = np.linalg.norm(observed[:, None] - observed[None], axis=-1)
    coords, explained = pcoa(D, 2)
    aligned, disparity = procrustes_to_reference(coords, truth - truth.mean(0))
    return {"aligned": aligned, "disparity": disparity, "explained": explained}

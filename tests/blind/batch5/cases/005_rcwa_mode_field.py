# modelled on: zhaonat/Rigorous-Coupled-Wave-Analysis TMM_functions/eigen_modes.py
import numpy as np


def grating_profile(n_pts, fill, eps_hi, eps_lo):
    x = np.linspace(0, 1, n_pts, endpoint=False)
    return np.where(x < fill, eps_hi, eps_lo)


def convolution_matrix(profile, n_harm):
    coeffs = np.fft.fft(profile) / len(profile)
    idx = np.arange(-n_harm, n_harm + 1)
    return np.array([[coeffs[(i - j) % len(profile)] for j in idx] for i in idx])


def wavevectors(n_harm, kx0, period, wavelength):
    k0 = 2 * np.pi / wavelength
    m = np.arange(-n_harm, n_harm + 1)
    return (kx0 + m * 2 * np.pi / period) / k0


def eigen_W(Gamma_squared):
    Lambda, W = np.linalg.eig(Gamma_squared)
    lambda_matrix = np.sqrt(np.diag(Lambda))
    return W, lambda_matrix


def layer_modes(E, kx):
    Kx = np.diag(kx)
    W, lam_mat = eigen_W(Kx @ Kx - E)
    return W, np.diag(lam_mat)


def harmonics_to_space(h, kx, x):
    return np.exp(1j * np.outer(x, kx)) @ h


def layer_field(W, lam, kx, z_points, x):
    amplitudes = np.ones(W.shape[1])
    rows = []
    for z in z_points:
        h = W @ (amplitudes * np.exp(-lam * z))
        rows.append(np.abs(harmonics_to_space(h, kx, x)) ** 2)
    return np.array(rows)


def run():
    n_harm = 4
    profile = grating_profile(64, 0.4, 6.0 + 0.3j, 2.1 + 0.0j)
    E = convolution_matrix(profile, n_harm)
    kx = wavevectors(n_harm, 0.3, 1.0, 1.3)
    W, lam = layer_modes(E, kx)
    x = np.linspace(0, 1, 25)
    intensity = layer_field(W, lam, kx, [0.0, 0.2, 0.5], x)
    order = np.lexsort((lam.imag, lam.real))
    return {"intensity": intensity, "kz": lam[order]}

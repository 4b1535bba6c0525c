# modelled on: zhaonat/Rigorous-Coupled-Wave-Analysis TMM_functions/eigen_modes.py
import numpy as np


def convolution_matrix(profile, n_harm):
    coeffs = np.fft.fft(profile) / len(profile)
    idx = np.arange(-n_harm, n_harm + 1)
    return np.array([[coeffs[(i - j) % len(profile)] for j in idx] for i in idx])


def eigen_W(Gamma_squared):
    Lambda, W = np.linalg.eig(Gamma_squared)
    lambda_matrix = np.sqrt(np.diag(Lambda))
    return W, lambda_matrix


def eigen_V(Q, W, lambda_matrix):
    return Q @ W @ np.linalg.inv(lambda_matrix)


class GratingLayer:
    def __init__(self, profile, n_harm, kx):
        self.E = convolution_matrix(profile, n_harm)
        self.Kx = np.diag(kx)
        self.Q = self.Kx @ self.Kx - np.eye(len(kx))
        self.W, self.L = eigen_W(self.Kx @ self.Kx - self.E)
        self.V = eigen_V(self.Q, self.W, self.L)

    def mode_amplitudes(self, e_in):
        return np.linalg.solve(self.W, e_in)

    def fields_at(self, e_in, z):
        c = self.mode_amplitudes(e_in)
        decay = np.exp(-np.diag(self.L) * z)
        return self.W @ (decay * c), self.V @ (decay * c)

    def impedance(self):
        return self.V @ np.linalg.inv(self.W)


def run():
    n_harm = 4
    x = np.linspace(0, 1, 64, endpoint=False)
    profile = np.where((x > 0.2) & (x < 0.65), 5.5 + 0.2j, 2.25 + 0.0j)
    kx = 0.25 + np.arange(-n_harm, n_harm + 1) * 1.3
    layer = GratingLayer(profile, n_harm, kx)
    e_in = np.zeros(2 * n_harm + 1, dtype=complex)
    e_in[n_harm] = 1.0
    e_in[n_harm + 1] = 0.3j
    e_z, h_z = layer.fields_at(e_in, 0.35)
    weights = np.abs(layer.mode_amplitudes(e_in)) ** 2
    return {
        "e_field": e_z,
        "h_field_re": np.real(h_z),
        "mode_weights": weights,
        "impedance": layer.impedance(),
    }

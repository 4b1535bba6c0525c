# modelled on: PowerSystemOscillations/PowerSystemOscillations.github.io data/chapter3/tables/Table_3_18.m
import numpy as np


def linearised_swing_model(n_gen=4, seed=11):
    rng = np.random.default_rng(seed)
    B = rng.uniform(0.5, 1.5, size=(n_gen, n_gen))
    K = -(B + B.T) / 2
    np.fill_diagonal(K, 0.0)
    np.fill_diagonal(K, -K.sum(1) + 0.3)
    H = rng.uniform(2.0, 6.0, size=n_gen)
    Dm = rng.uniform(0.05, 0.4, size=(n_gen, n_gen))
    Dm = Dm @ Dm.T / n_gen
    A = np.zeros((2 * n_gen, 2 * n_gen))
    A[:n_gen, n_gen:] = 377.0 * np.eye(n_gen) / 60.0
    A[n_gen:, :n_gen] = -K / (2 * H[:, None])
    A[n_gen:, n_gen:] = -Dm / (2 * H[:, None])
    return A


def modal_analysis(a_mat, tol=1e-9):
    D, V = np.linalg.eig(a_mat)
    J = np.lexsort((D.imag, D.real))
    d = D[J]
    V = V[:, J]
    Pv = V * np.linalg.pinv(V).T
    Pv = np.where(np.abs(Pv) < tol, 0.0, Pv)
    Pv = Pv / np.max(np.abs(Pv), axis=0)
    return d, Pv


def run():
    A = linearised_swing_model()
    d, Pv = modal_analysis(A)
    osc = np.where(d.imag > 1e-6)[0]
    k = osc[np.argmin(-d.real[osc] / np.abs(d[osc]))]
    freq = np.abs(d.imag) / (2 * np.pi)
    zeta = -d.real / np.abs(d)
    return {
        "freq_hz": freq,
        "damping": zeta,
        "pf_magnitude": np.abs(Pv[:, k]),
        "pf_angle_deg": np.angle(Pv[:, k]) * 180 / np.pi,
    }

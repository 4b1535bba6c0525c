# modelled on: DanielMartensson/MataveID sourcecode/era.m
import numpy as np


def impulse_response(A, B, C, n):
    out = []
    x = B.copy()
    for _ in range(n):
        out.append(C @ x)
        x = A @ x
    return out


def hank(g, k, p):
    ny, nu = g[0].shape
    H = np.zeros((p * ny, p * nu))
    for i in range(p):
        for j in range(p):
            H[i * ny:(i + 1) * ny, j * nu:(j + 1) * nu] = g[i + j + k]
    return H


def era(g, nx):
    p = (len(g) - 1) // 2
    ny, nu = g[0].shape
    H0 = hank(g, 1, p)
    H1 = hank(g, 2, p)
    U, E, Vt = np.linalg.svd(H0)
    Un = U[:, :nx]
    En = np.diag(E[:nx])
    Vn = Vt[:nx, :].T
    Eh = np.diag(E[:nx] ** -0.5)
    Ad = Eh @ Un.T @ H1 @ Vn @ Eh
    Bd = (np.diag(E[:nx] ** 0.5) @ Vn.T)[:, :nu]
    Cd = (Un @ np.diag(E[:nx] ** 0.5))[:ny, :]
    return {"A": Ad, "B": Bd, "C": Cd, "hsv": E[:nx]}


def export_model(sysd):
    return np.concatenate([sysd["A"].ravel(), sysd["B"].ravel(), sysd["C"].ravel()])


def true_system(seed=9):
    rng = np.random.default_rng(seed)
    poles = np.array([0.9, 0.7, -0.5, 0.3])
    T = rng.standard_normal((4, 4))
    A = T @ np.diag(poles) @ np.linalg.inv(T)
    B = rng.standard_normal((4, 1))
    C = rng.standard_normal((2, 4))
    return A, B, C


def run():
    A, B, C = true_system()
    g = impulse_response(A, B, C, 21)
    sysd = era(g, 4)
    g_hat = impulse_response(sysd["A"], sysd["B"], sysd["C"], 21)
    markov_err = max(np.abs(a - b).max() for a, b in zip(g[1:], g_hat[:-1]))
    return {
        "poles": np.sort(np.linalg.eigvals(sysd["A"]).real),
        "hankel_sv": sysd["hsv"],
        "markov_fit": np.array([m.ravel() for m in g_hat]),
        "markov_err": markov_err,
        "model_vector": export_model(sysd),
    }

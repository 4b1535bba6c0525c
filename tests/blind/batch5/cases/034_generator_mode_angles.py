# modelled on: RossiFran/SSC-OPF GDCT-driven/A.DataGeneration/TrainingData/Small_signal_analysis.m
import numpy as np
import scipy.linalg


class SmallSignalModel:
    def __init__(self, a_mat, state_names):
        self.a_mat = a_mat
        self.state_names = list(state_names)
        lam, RV = scipy.linalg.eig(a_mat)
        order = np.argsort(-lam.imag)
        self.lam = lam[order]
        self.RV = RV[:, order]

    def oscillatory_modes(self):
        return [k for k, l in enumerate(self.lam) if l.imag > 1e-6]

    def frequency(self, k):
        return abs(self.lam[k].imag) / (2 * np.pi)

    def damping_ratio(self, k):
        return -self.lam[k].real / abs(self.lam[k])

    def mode_shape(self, k):
        v = self.RV[:, k]
        return v / np.linalg.norm(v)


def speed_states(model):
    return [i for i, n in enumerate(model.state_names) if n.startswith("w")]


def speed_mode_angles(model, k):
    shape = model.mode_shape(k)
    idx = speed_states(model)
    return np.degrees(np.angle(shape[idx]))


def relative_speed_angles(model, k, ref=0):
    shape = model.mode_shape(k)
    idx = speed_states(model)
    rel = shape[idx] / shape[idx[ref]]
    return np.degrees(np.angle(rel))


def build_system(n_gen=4, seed=5):
    rng = np.random.default_rng(seed)
    Y = rng.uniform(0.4, 1.6, size=(n_gen, n_gen))
    Ks = -(Y + Y.T) / 2
    np.fill_diagonal(Ks, 0.0)
    np.fill_diagonal(Ks, -Ks.sum(1) + 0.2)
    M = rng.uniform(3.0, 8.0, size=n_gen)
    Dm = np.diag(rng.uniform(0.5, 2.0, size=n_gen)) + 0.1 * rng.standard_normal((n_gen, n_gen))
    A = np.zeros((2 * n_gen, 2 * n_gen))
    A[:n_gen, n_gen:] = 2 * np.pi * 60 * np.eye(n_gen)
    A[n_gen:, :n_gen] = -Ks / M[:, None]
    A[n_gen:, n_gen:] = -Dm / M[:, None]
    names = [f"d{i}" for i in range(n_gen)] + [f"w{i}" for i in range(n_gen)]
    return A, names


def run():
    A, names = build_system()
    model = SmallSignalModel(A, names)
    modes = model.oscillatory_modes()
    k = min(modes, key=model.damping_ratio)
    return {
        "freq_hz": np.array([model.frequency(m) for m in modes]),
        "zeta": np.array([model.damping_ratio(m) for m in modes]),
        "speed_angles": speed_mode_angles(model, k),
        "relative_angles": relative_speed_angles(model, k),
    }

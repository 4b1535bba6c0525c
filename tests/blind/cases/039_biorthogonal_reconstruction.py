# modelled on: breze-no-salt/breze old/brummlearn/brummlearn/cca.py (scipy.linalg.eig, left/right eigenvectors)
import numpy as np
from scipy.linalg import eig


def modal_reconstruction(A):
    w, vl, vr = eig(A, left=True, right=True)
    A_rec = sum(w[k] * np.outer(vr[:, k], vl[:, k].conj()) for k in range(len(w)))
    return A_rec, w


def run():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((5, 5))
    A_rec, w = modal_reconstruction(A)
    return {"rec_err": np.linalg.norm(A_rec - A), "spectrum": np.sort_complex(w)}

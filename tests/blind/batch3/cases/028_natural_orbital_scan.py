# modelled on: pyscf/pyscf pyscf/mcscf/addons.py
import numpy as np
from scipy.linalg import eigh as gen_eigh


def model_system(t, n=6):
    rng = np.random.default_rng(1)
    B = rng.standard_normal((n, n))
    S = np.eye(n) + 0.05 * (B + B.T) / 2 * (1 + 0.2 * t)
    occ = np.linspace(1.95, 0.02, n)
    Q, _ = np.linalg.qr(np.eye(n) + 0.3 * t * (B - B.T))
    dm = Q @ np.diag(occ) @ Q.T
    return dm, S


def make_natural_orbitals(dm, S):
    occ, C = gen_eigh(S @ dm @ S, S)
    order = np.argsort(occ)[::-1]
    return occ[order], C[:, order]


def align_to_reference(C, C_ref, S):
    ovlp = C_ref.T @ S @ C
    signs = np.sign(np.diag(ovlp))
    return C * signs


def scan(ts):
    results, C_prev = [], None
    for t in ts:
        dm, S = model_system(t)
        occ, C = make_natural_orbitals(dm, S)
        if C_prev is not None:
            C = align_to_reference(C, C_prev, S)
        results.append({"t": t, "occ": occ, "C": C, "dm_back": C @ np.diag(occ) @ C.T})
        C_prev = C
    return results


def run():
    results = scan(np.linspace(0.0, 0.4, 5))
    last = results[-1]
    return {
        "occupations": np.stack([r["occ"] for r in results]),
        "density_check": last["dm_back"],
        "orbitals": last["C"],
    }

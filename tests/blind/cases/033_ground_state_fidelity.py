# modelled on: JerryRen471/GraduationProject test.py (fidelity of states)
import torch as tc


def heisenberg_chain(L, h):
    sx = tc.tensor([[0, 1], [1, 0]], dtype=tc.complex128)
    sy = tc.tensor([[0, -1j], [1j, 0]], dtype=tc.complex128)
    sz = tc.tensor([[1, 0], [0, -1]], dtype=tc.complex128)
    eye = tc.eye(2, dtype=tc.complex128)

    def site_op(op, i):
        out = tc.ones(1, 1, dtype=tc.complex128)
        for j in range(L):
            out = tc.kron(out, op if j == i else eye)
        return out

    H = tc.zeros(2 ** L, 2 ** L, dtype=tc.complex128)
    for i in range(L - 1):
        for s in (sx, sy, sz):
            H = H + site_op(s, i) @ site_op(s, i + 1)
    for i in range(L):
        H = H + h * site_op(sz, i) + 0.3 * site_op(sy, i)
    return H, site_op(sz, 0)


def fidelity(psi1, psi0):
    f = (psi1.conj() * psi0).sum()
    return (f * f.conj()).real


def run():
    H1, Z0 = heisenberg_chain(3, 0.4)
    H2, _ = heisenberg_chain(3, 0.45)
    e1, v1 = tc.linalg.eigh(H1)
    e2, v2 = tc.linalg.eigh(H2)
    g1, g2 = v1[:, 0], v2[:, 0]
    rho = tc.outer(g1, g1.conj())
    return {
        "fidelity": fidelity(g1, g2),
        "energy_gap": e1[1] - e1[0],
        "magnetisation": (g1.conj() @ Z0 @ g1).real,
        "rho": rho,
    }

# modelled on: scipy/scipy scipy/linalg/_matfuncs_sqrtm.py
import numpy as np
import numpy.linalg as nla


def sqrtm_eig(A):
    w, V = nla.eig(A)
    return V @ np.diag(np.sqrt(w)) @ nla.inv(V)


def logm_eig(A):
    w, V = nla.eig(A)
    return V @ np.diag(np.log(w)) @ nla.solve(V, np.eye(len(w)))


def run():
    rng = np.random.default_rng(8)
    B = rng.standard_normal((5, 5))
    A = B @ B.T + 5 * np.eye(5) + 0.8 * (B - B.T)
    R = sqrtm_eig(A)
    L = logm_eig(A)
    return {"sqrt": np.real_if_close(R, tol=1e6), "residual": np.abs(R @ R - A).max(), "log": L}

# modelled on: deeptime-ml/deeptime deeptime/markov/tools/analysis/dense/_decomposition.py
import numpy as np
import scipy.sparse as sparse
import scipy.sparse.linalg as sla


def transfer_operator(n=10, drift=0.35, diff=0.2):
    rows, cols, vals = [], [], []
    for i in range(n):
        stay = 1 - drift - 2 * diff
        for j, p in ((i, stay), ((i + 1) % n, drift + diff), ((i - 1) % n, diff)):
            rows.append(i)
            cols.append(j)
            vals.append(p)
    P = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    bump = sparse.diags(np.linspace(0.0, 0.1, n))
    P = P + bump @ P
    return sparse.diags(1.0 / np.asarray(P.sum(1)).ravel()) @ P


def leading_modes(P, k=3):
    v0 = np.linspace(1.0, 2.0, P.shape[0])
    vals, vecs = sla.eigs(P, k=k, which="LM", v0=v0)
    order = np.argsort(-np.abs(vals))
    vals, vecs = vals[order], vecs[:, order]
    vecs = vecs / np.linalg.norm(vecs, axis=0)
    return vals, vecs


def run():
    P = transfer_operator()
    vals, vecs = leading_modes(P)
    second = vecs[:, 1]
    partition = (second.real > 0).astype(int)
    return {"moduli": np.abs(vals), "partition": partition, "weights": np.abs(second)}

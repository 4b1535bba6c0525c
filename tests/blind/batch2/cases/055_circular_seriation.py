# modelled on: scikit-learn/scikit-learn sklearn/manifold/_isomap.py
import numpy as np
import numpy.linalg as npl


def classical_mds(D, dim=2):
    n = D.shape[0]
    J = np.eye(n) - np.ones((n, n)) / n
    B = -0.5 * J @ (D ** 2) @ J
    w, V = npl.eigh(B)
    top = np.argsort(w)[::-1][:dim]
    return V[:, top] * np.sqrt(np.maximum(w[top], 0))


def circular_order(Y):
    angles = np.arctan2(Y[:, 1], Y[:, 0])
    return np.argsort(angles)


def run():
    rng = np.random.default_rng(8)
    t = rng.permutation(np.linspace(0, 2 * np.pi, 9, endpoint=False))
    pts = np.column_stack([np.cos(t), 0.7 * np.sin(t), 0.05 * rng.standard_normal(9)])
    D = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    Y = classical_mds(D)
    order = circular_order(Y)
    emb_d = np.sqrt(((Y[:, None] - Y[None]) ** 2).sum(-1))
    return {"order": order, "stress": np.abs(emb_d - D).max()}

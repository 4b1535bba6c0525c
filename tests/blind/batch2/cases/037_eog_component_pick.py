# modelled on: mne-tools/mne-python mne/preprocessing/ica.py
import numpy as np
from scipy import linalg


def whitening_components(X):
    C = np.cov(X)
    evals, evecs = linalg.eigh(C)
    order = evals.argsort()[::-1]
    return evals[order], evecs[:, order]


def find_bad_component(sources, ref):
    scores = [np.corrcoef(s, ref)[0, 1] for s in sources]
    return int(np.argmax(scores)), np.array(scores)


def remove_component(X, evecs, bad):
    keep = [i for i in range(evecs.shape[1]) if i != bad]
    P = evecs[:, keep] @ evecs[:, keep].T
    return P @ X


def run():
    rng = np.random.default_rng(2)
    t = np.linspace(0, 4, 60)
    blink = (np.sin(3 * t) > 0.95).astype(float) * 4.0
    alpha = np.sin(10 * t)
    mix = rng.standard_normal((5, 3))
    S = np.vstack([blink, alpha, 0.5 * rng.standard_normal(60)])
    X = mix @ S + 0.05 * rng.standard_normal((5, 60))
    evals, evecs = whitening_components(X)
    sources = evecs.T @ (X - X.mean(1, keepdims=True))
    bad, scores = find_bad_component(sources, blink)
    cleaned = remove_component(X, evecs, bad)
    return {"bad": bad, "cleaned": cleaned, "abs_scores": np.abs(scores)}

"""EIG108 / EIG208 (opt-in): a gauge-carrying value handed to the caller unfixed.

Off by default: select it by its code (``--extend-select EIG208``, ``extend-select = ["EIG108",
"EIG208"]``); a prefix such as ``EIG`` or ``EIG2`` does not turn it on.
"""
from __future__ import annotations

from .base import Rule, Wording

_WHAT = """
Off by default; enabled only when selected by its code. Flags a value that still carries the
arbitrary {what} of eigenvectors or singular vectors when it leaves the analysed code: returned
by a public function that nothing in the analysed code calls, or stored on a public attribute of
`self` or of a parameter (`self.components_ = vh`, `data.x = pe`). Nothing inside the project
breaks on it, but every caller sees a result that changes with the library's {what} convention.

Trade-off: `torch.linalg.eig` itself returns arbitrary gauges by contract, and so may any
low-level helper. The rule is for library authors who promise deterministic output (as
scikit-learn does with `svd_flip` in `PCA`): PCA projections, spectral layouts, diffusion-map
coordinates, node features `U[:, :k] * S[:k]`, a plane normal `Vh[-1]`, spatial filters stored
on a fitted estimator. Private names (`_helper`, `self._cache`) are not reported.
"""

PHASE_EXPOSURE = Rule(
    code="EIG108",
    name="phase-carrying-value-exposed",
    kind="phase",
    severity="warning",
    summary="Value carrying an eigenvector phase returned or stored unfixed (opt-in).",
    what=_WHAT.format(what="phase"),
    why="""
The caller cannot tell the arbitrary phase from data: a value that differs between two runs,
two machines or two library versions for the same input is a reproducibility bug in a library
that returns it.
""",
    example="""
def modes(A):
    vals, vecs = torch.linalg.eig(A)
    return vecs
""",
    instead="""
def modes(A):
    vals, vecs = torch.linalg.eig(A)
    return vecs * torch.exp(-1j * torch.angle(vecs[0]))  # first entry real and positive
""",
    invalid=("import torch\n\n\ndef modes(A):\n    vals, vecs = torch.linalg.eig(A)\n"
             "    return vecs\n",),
    valid=("import torch\n\n\ndef modes(A):\n    vals, vecs = torch.linalg.eig(A)\n"
           "    return vecs * torch.exp(-1j * torch.angle(vecs[0]))\n",),
    default=False,
)

SIGN_EXPOSURE = Rule(
    code="EIG208",
    name="sign-carrying-value-exposed",
    kind="sign",
    severity="warning",
    summary="Value carrying an eigenvector sign returned or stored unfixed (opt-in).",
    what=_WHAT.format(what="sign"),
    why="""
PCA scores, spectral embeddings and fitted components flip with the solver's sign convention:
plots mirror, stored models disagree with retrained ones, downstream thresholds pick the other
side.
""",
    example="""
class PCA:
    def fit(self, X):
        u, s, vh = np.linalg.svd(X - X.mean(0), full_matrices=False)
        self.components_ = vh
        return self
""",
    instead="""
class PCA:
    def fit(self, X):
        u, s, vh = np.linalg.svd(X - X.mean(0), full_matrices=False)
        u, vh = svd_flip(u, vh)
        self.components_ = vh
        return self
""",
    invalid=("import numpy as np\n\n\ndef embed(L, k):\n    w, v = np.linalg.eigh(L)\n"
             "    return v[:, 1:k + 1]\n",),
    valid=("import numpy as np\n\n\ndef embed(L, k):\n    w, v = np.linalg.eigh(L)\n"
           "    v = v * np.sign(v[np.abs(v).argmax(0), np.arange(v.shape[1])])\n"
           "    return v[:, 1:k + 1]\n",),
    default=False,
)

EXPOSURE_WORDING = Wording(
    template="`{expr}` carries the {gauge} and {detail}: callers see an arbitrary {gauge}{via}",
    phase_hint="Fix the phase before handing it out (e.g. make one entry of each column real "
    "and positive)",
    sign_hint="Fix the sign before handing it out (by the largest entry, as sklearn's "
    "`svd_flip` does)",
    spectrum_hint="Fix the sign (or phase) before handing it out (by the largest entry, as "
    "sklearn's `svd_flip` does)",
)

RULES = (PHASE_EXPOSURE, SIGN_EXPOSURE)

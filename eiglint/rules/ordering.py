"""EIG103 / EIG203: comparisons, ordering and thresholds of a gauge-carrying value."""
from __future__ import annotations

from .base import Rule, Wording

_WHAT = """
Flags comparisons (`>`, `<`, `==` against a value with a different gauge), `sort`, `argsort`,
`argmax`/`argmin`, `max`/`min`, `topk`, `clamp`, `maximum`, thresholds and `if`/`while` tests
applied to a value that still carries the arbitrary {what} of eigenvectors or singular vectors.
Comparing two values that carry the same gauge (`torch.allclose(A @ v, w * v)`) is invariant and
not flagged.
"""

PHASE_ORDERING = Rule(
    code="EIG103",
    name="phase-dependent-comparison",
    kind="phase",
    severity="error",
    summary="Comparison or ordering of a value that carries an eigenvector phase.",
    what=_WHAT.format(what="phase"),
    why="""
Multiplying a column by `e^{i phi}` changes which entries are larger, which element is selected
and which branch runs. The decision is made by LAPACK's arbitrary phase choice.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
mask = vecs == vecs[0]            # different phases on the two sides
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
idx = vecs.abs().argmax(0)        # the modulus is phase-invariant
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\nm = torch.isclose(V, V.conj())\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\nok = torch.allclose(A.to(V.dtype) @ V, L * V)\n",
        "import torch\nL, V = torch.linalg.eig(A)\ni = V.abs().argmax(0)\n",
    ),
)

SIGN_ORDERING = Rule(
    code="EIG203",
    name="sign-dependent-comparison",
    kind="sign",
    severity="error",
    summary="Comparison or ordering of a value that carries an eigenvector sign.",
    what=_WHAT.format(what="sign"),
    why="""
Real symmetric eigenvectors (`eigh`) and real singular vectors (`svd`) are defined up to a sign
per column. `v > 0`, `argmax(v)`, `relu`-like thresholds and sorting flip with that sign, so the
result depends on an arbitrary choice of the solver (the sign-flip problem of PCA components and
Laplacian positional encodings).
""",
    example="""
vals, vecs = torch.linalg.eigh(L)
cluster = vecs[:, 1] > 0          # spectral bisection by the sign of the Fiedler vector
""",
    instead="""
vals, vecs = torch.linalg.eigh(L)
f = vecs[:, 1]
f = f * torch.sign(f[f.abs().argmax()])   # fix the sign by a convention first
cluster = f > 0
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eigh(A)\nmask = V[:, 1] > 0\n",
        "import torch\nU, S, Vh = torch.linalg.svd(A)\ni = U.argmax(0)\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eigh(A)\nmask = V[:, 1].abs() > 0.1\n",
        "import torch\nL, V = torch.linalg.eigh(A)\nok = torch.allclose(A @ V, V * L)\n",
    ),
)

#: the message template and hints of the findings this family reports
COMPARE_WORDING = Wording(
    template="`{expr}` {detail}{via}",
    phase_hint="Compare invariant quantities (`abs()`, `x * x.conj()`) or fix the phase first",
    sign_hint="Compare invariant quantities (`abs()`, `x ** 2`) or fix the sign first (e.g. "
    "by the largest entry, as sklearn's `svd_flip` does)",
    spectrum_hint="Compare invariant quantities (`abs()`, `x ** 2`) or fix the sign (or phase) "
    "first (e.g. by the largest entry, as sklearn's `svd_flip` does)",
)

RULES = (PHASE_ORDERING, SIGN_ORDERING)

"""EIG105 / EIG205: reductions, sums and contractions that mix unpaired gauges."""
from __future__ import annotations

from .base import Rule, Wording

_WHAT = """
Flags operations that combine entries carrying different, unpaired {what}s of eigenvectors or
singular vectors: `sum`/`mean`/`cumsum`/`fft` over the eigen-index axis, `V @ W` or a linear
layer contracting the eigen-index with a gauge-free operand, `einsum` contractions whose indices
do not pair each vector with its conjugate (or its inverse), and `+`/`-` of values whose gauges
differ (`V + 1`, `V + V.conj()`). Contractions that do pair the gauge
(`V @ V.mH`, `V @ diag(L) @ inv(V)`, `U @ diag(S) @ Vh`, `V.mH @ A @ V`) are not flagged.
"""

PHASE_MIXING = Rule(
    code="EIG105",
    name="phase-mixing-reduction",
    kind="phase",
    severity="error",
    summary="Sum, reduction or contraction that mixes unpaired eigenvector phases.",
    what=_WHAT.format(what="phase"),
    why="""
`sum_k v_k e^{i phi_k}` is not `e^{i phi}` times anything: every column got its own arbitrary
phase, so the sum is an arbitrary number. Paired contractions (`V @ V.mH`) cancel the phases
column by column and are well defined.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
feat = vecs.sum(-1)                 # sums over the eigen-index
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
feat = (vecs * vecs.conj()).sum(-1)
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\ns = V.sum(-1)\n",
        "import torch\nL, V = torch.linalg.eig(A)\ny = V @ x\n",
        "import torch\nL, V = torch.linalg.eig(A)\nz = V + V.conj()\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\nP = V @ torch.diag(L) @ torch.linalg.inv(V)\n",
        "import torch\nL, V = torch.linalg.eig(A)\ns = V.sum(-2)\n",
        "import torch\nL, V = torch.linalg.eig(A)\nn = torch.einsum('ik,ik->k', V.conj(), V)\n",
    ),
)

SIGN_MIXING = Rule(
    code="EIG205",
    name="sign-mixing-reduction",
    kind="sign",
    severity="error",
    summary="Sum, reduction or contraction that mixes unpaired eigenvector signs.",
    what=_WHAT.format(what="sign"),
    why="""
With real eigenvectors each column carries its own arbitrary sign. Summing over columns, or
feeding them through a linear map over the eigen-index (a `Linear` layer, `V @ W`), produces
one of `2^k` different results depending on the solver (the sign ambiguity behind Laplacian
positional encodings and PCA components).
""",
    example="""
vals, vecs = torch.linalg.eigh(lap)
pe = vecs[:, 1:9] @ W
""",
    instead="""
vals, vecs = torch.linalg.eigh(lap)
pe = (vecs[:, 1:9] ** 2) @ W        # or symmetrise the network over signs (SignNet)
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eigh(A)\ns = V.sum()\n",
        "import torch\nU, S, Vh = torch.linalg.svd(A)\ny = U + 1\n",
    ),
    valid=(
        "import torch\nU, S, Vh = torch.linalg.svd(A)\nB = U @ torch.diag(S) @ Vh\n",
        "import torch\nL, V = torch.linalg.eigh(A)\nP = V[:, :2] @ V[:, :2].mT\n",
    ),
)

#: the message template and hints of the findings this family reports
MIX_WORDING = Wording(
    template="`{expr}` {detail}{via}",
    phase_hint="Pair each vector with its conjugate or inverse (`V @ V.mH`, `V @ diag(L) @ "
    "inv(V)`) or fix the phase first",
    sign_hint="Pair each vector with itself (`V @ V.mT`, `V ** 2`) or fix the sign first",
    spectrum_hint="Pair each vector with itself (`V @ V.mT`, `V ** 2`) or fix the sign (or "
    "phase) first",
)

RULES = (PHASE_MIXING, SIGN_MIXING)

"""EIG101: taking the real or imaginary part of a phase-carrying value."""
from __future__ import annotations

from .base import Rule, Wording

REAL_IMAG_VIEW = Rule(
    code="EIG101",
    name="phase-dependent-real-imag",
    kind="phase",
    severity="error",
    summary="Real or imaginary part of a value that carries an eigenvector phase.",
    what="""
Flags `.real`, `.imag`, `torch.real`, `np.imag`, `torch.view_as_real` and the like applied to a
value that still carries the arbitrary phase `e^{i phi}` of eigenvectors or singular vectors
(for example `V`, `V * V`, `V.mT @ V`), unless the parts are recombined into the same complex
value later (`torch.complex(x.real, x.imag)`).
""",
    why="""
`torch.linalg.eig` (and complex `eigh`/`svd`) return vectors that are only defined up to a phase
per column: `V @ diag(e^{i phi})` is an equally valid answer. `Re(v e^{i phi})` changes with
`phi`, so the value, and its gradient, depend on an arbitrary choice that LAPACK makes and that
differs between CPU and GPU, library versions, and mathematically equal code paths. PyTorch only
notices in some backward passes (`linalg_eig_backward: The eigenvectors in the complex case are
specified up to multiplication by e^{i phi}`); forward code gets silently arbitrary numbers.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
loss = (vecs * vecs).real[0, 0]   # depends on the phase of column 0
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
loss = (vecs * vecs.conj()).real[0, 0]   # |v|^2: the phase cancels
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\nx = V.real\nprint(x.sum())\n",
        "import torch\nL, V = torch.linalg.eig(A)\nloss = (V * V).real[0, 0]\n",
        "import torch\nL, V = torch.linalg.eig(A)\nr = torch.view_as_real(V)\nf(r.sum())\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\nloss = (V * V.conj()).real[0, 0]\n",
        "import torch\nL, V = torch.linalg.eig(A)\nW = torch.complex(V.real, V.imag)\n",
        "import torch\nL, V = torch.linalg.eig(A)\n"
        "B = (V @ torch.diag(L) @ torch.linalg.inv(V)).real\n",
    ),
)

#: the message template and hints of the findings this family reports
VIEW_WORDING = Wording(
    template="`{expr}` {detail} of a value that carries the {gauge}{via}",
    phase_hint="Use a phase-invariant form such as `x * x.conj()` or `x.abs()`, or recombine "
    "the parts with `torch.complex`",
    sign_hint="",
)

RULES = (REAL_IMAG_VIEW,)

"""EIG104 / EIG204: non-linear functions of a gauge-carrying value."""
from __future__ import annotations

from .base import Rule, Wording

PHASE_NONLINEAR = Rule(
    code="EIG104",
    name="phase-dependent-nonlinearity",
    kind="phase",
    severity="error",
    summary="Non-linear function of a value that carries an eigenvector phase.",
    what="""
Flags elementwise functions that are not homogeneous in the phase (`exp`, `log`, `sqrt`,
`sigmoid`, `tanh`, non-integer powers, ...) applied to a value that still carries the arbitrary
phase of eigenvectors or singular vectors.
""",
    why="""
Only `abs`, `conj`, integer powers and `sgn` map `v e^{i phi}` to something with a predictable
phase. `exp(v e^{i phi})` is a different number for every `phi`, so the result is arbitrary.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
feat = torch.exp(vecs)
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
feat = torch.exp(vecs.abs())
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\nf = torch.exp(V)\n",
        "import torch\nL, V = torch.linalg.eig(A)\nf = torch.sqrt(V)\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\nf = torch.exp(V.abs())\n",
        "import torch\nL, V = torch.linalg.eig(A)\nf = torch.log(L)\n",
    ),
)

SIGN_NONLINEAR = Rule(
    code="EIG204",
    name="sign-dependent-nonlinearity",
    kind="sign",
    severity="error",
    summary="Non-linear function of a value that carries an eigenvector sign.",
    what="""
Flags functions that are neither odd nor even (`relu`, `exp`, `sigmoid`, `softmax`, `log`,
adding a bias, ...) applied to a value that still carries the arbitrary sign of real
eigenvectors or singular vectors. Odd functions (`tanh`, `sin`, `sign`, odd powers) keep the
sign and even ones (`abs`, `cos`, `x**2`) remove it; neither is flagged.
""",
    why="""
`relu(-v) != +-relu(v)`: the output is a different function of the data for each of the
`2^k` equally valid sign choices of the solver.
""",
    example="""
vals, vecs = torch.linalg.eigh(lap)
pe = torch.relu(vecs[:, 1:9])
""",
    instead="""
vals, vecs = torch.linalg.eigh(lap)
v = vecs[:, 1:9]
pe = torch.relu(v) + torch.relu(-v)    # SignNet-style symmetrisation
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eigh(A)\nf = torch.relu(V)\n",
        "import torch\nL, V = torch.linalg.eigh(A)\nf = torch.exp(V[:, 0])\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eigh(A)\nf = torch.tanh(V).abs()\n",
        "import torch\nL, V = torch.linalg.eigh(A)\nf = torch.cos(V)\n",
        "import torch\nL, V = torch.linalg.eigh(A)\nf = torch.relu(V) + torch.relu(-V)\n",
    ),
)

#: the message template and hints of the findings this family reports
NONLINEAR_WORDING = Wording(
    template="`{expr}` {detail} to a value that carries the {gauge}{via}",
    phase_hint="Apply it to an invariant quantity (`abs()`, `x * x.conj()`)",
    sign_hint="Apply it to an invariant quantity (`abs()`, `x ** 2`) or symmetrise over the "
    "sign (`f(v) + f(-v)`)",
)

RULES = (PHASE_NONLINEAR, SIGN_NONLINEAR)

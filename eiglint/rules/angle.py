"""EIG102: the angle (argument) of a phase-carrying value."""
from __future__ import annotations

from .base import Rule

PHASE_ANGLE = Rule(
    code="EIG102",
    name="phase-dependent-angle",
    kind="phase",
    severity="error",
    summary="Angle of a value that carries an eigenvector phase.",
    what="""
Flags `angle`/`np.angle`/`atan2(x.imag, x.real)` of a value that carries the arbitrary phase of
eigenvectors or singular vectors, unless only differences of angles with the same phase are
used (`v.angle() - v[0].angle()`).
""",
    why="""
`angle(v e^{i phi}) = angle(v) + phi`: the result is shifted by exactly the arbitrary phase that
the decomposition picked. Any loss or feature built from it is ill-defined.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
phases = vecs.angle()
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
rel = vecs.angle() - vecs[0:1].angle()   # relative phase within each column
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\np = V.angle()\nprint(p)\n",
        "import numpy as np\nL, V = np.linalg.eig(A + 0j)\np = np.angle(V[:, 0]).sum()\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\np = V.angle() - V[0].angle()\n",
        "import torch\nL, V = torch.linalg.eig(A)\np = L.angle()\n",
    ),
)

RULES = (PHASE_ANGLE,)

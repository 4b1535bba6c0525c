"""EIG102: the angle (argument) of a phase-carrying value."""
from __future__ import annotations

from .base import Rule, Wording

PHASE_ANGLE = Rule(
    code="EIG102",
    name="phase-dependent-angle",
    kind="phase",
    severity="error",
    summary="Angle of a value that carries an eigenvector phase.",
    what="""
Flags `angle`/`np.angle`/`atan2(x.imag, x.real)` of a value that carries the arbitrary phase of
eigenvectors or singular vectors, unless only differences of angles with the same phase are
used, wrapped (`torch.remainder(v.angle() - v[0].angle(), 2 * torch.pi)`, `% (2 * math.pi)`)
or through a function of period 2π (`cos`, `sin`, `exp(1j * d)`, `torch.polar`). A raw
difference is flagged too: the phase cancels only modulo 2π, so the value jumps by ±2π
between equally valid gauges (`fmod` keeps the sign of its argument and does not wrap).
""",
    why="""
`angle(v e^{i phi}) = angle(v) + phi` (modulo 2π): the result is shifted by exactly the
arbitrary phase that the decomposition picked. Any loss or feature built from it is
ill-defined. Differences within a column cancel `phi` but wrap around ±π differently for
different `phi`.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
phases = vecs.angle()
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
rel = torch.remainder(vecs.angle() - vecs[0:1].angle(), 2 * torch.pi)   # relative phase
""",
    invalid=(
        "import torch\nL, V = torch.linalg.eig(A)\np = V.angle()\nprint(p)\n",
        "import numpy as np\nL, V = np.linalg.eig(A + 0j)\np = np.angle(V[:, 0]).sum()\n",
        "import torch\nL, V = torch.linalg.eig(A)\np = V.angle() - V[0].angle()\n",
    ),
    valid=(
        "import torch\nL, V = torch.linalg.eig(A)\n"
        "p = torch.remainder(V.angle() - V[0].angle(), 2 * torch.pi)\n",
        "import torch\nL, V = torch.linalg.eig(A)\np = torch.cos(V.angle() - V[0].angle())\n",
        "import torch\nL, V = torch.linalg.eig(A)\np = L.angle()\n",
    ),
)

#: the message template and hints of the findings this family reports
ANGLE_WORDING = Wording(
    template="`{expr}` is shifted by the arbitrary {gauge}{via}",
    phase_hint="Use angle differences within one column, wrapped (`torch.remainder(d, 2 * "
    "torch.pi)`) or through `cos`/`sin`/`exp(1j * d)`, or fix the phase first",
    sign_hint="",
)

WRAP_WORDING = Wording(
    template="`{expr}` {detail}{via}",
    phase_hint="Wrap the difference (`torch.remainder(d, 2 * torch.pi)`, `d % (2 * math.pi)`) "
    "or use it through `cos`/`sin`/`exp(1j * d)`",
    sign_hint="Wrap the difference (`d % (2 * math.pi)`) or use it through `cos`/`sin`",
)

RULES = (PHASE_ANGLE,)

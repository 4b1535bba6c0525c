"""EIG106 / EIG206: a gauge-carrying value used as a loss."""
from __future__ import annotations

from .base import Rule, Wording

PHASE_LOSS = Rule(
    code="EIG106",
    name="phase-carrying-loss",
    kind="phase",
    severity="error",
    summary="Backward pass through a value that still carries an eigenvector phase.",
    what="""
Flags `.backward()` and `torch.autograd.grad` on a value that still carries the arbitrary phase
of eigenvectors or singular vectors (for example an entry `V[0, 0]`).
""",
    why="""
The loss itself is multiplied by an arbitrary `e^{i phi}`; its gradient is as arbitrary.
""",
    example="""
vals, vecs = torch.linalg.eig(A)
vecs[0, 0].backward()
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
vecs[0, 0].abs().backward()
""",
    invalid=("import torch\nL, V = torch.linalg.eig(A)\nloss = V[0, 0] * V[0, 0]\n"
             "loss.backward()\n",),
    valid=("import torch\nL, V = torch.linalg.eig(A)\nloss = V[0, 0].abs()\nloss.backward()\n",),
)

SIGN_LOSS = Rule(
    code="EIG206",
    name="sign-carrying-loss",
    kind="sign",
    severity="error",
    summary="Backward pass through a value that still carries an eigenvector sign.",
    what="""
Flags `.backward()` and `torch.autograd.grad` on a value that still carries the arbitrary sign
of real eigenvectors or singular vectors (for example `V[0, 0]` or `U[:, 0].sum(0)`).
""",
    why="""
The loss changes sign with the solver's arbitrary sign choice, and so does its gradient: the
optimiser is pushed in opposite directions for equally valid decompositions.
""",
    example="""
vals, vecs = torch.linalg.eigh(A)
vecs[0, 0].backward()
""",
    instead="""
vals, vecs = torch.linalg.eigh(A)
(vecs[0, 0] ** 2).backward()
""",
    invalid=("import torch\nL, V = torch.linalg.eigh(A)\nloss = V[0, 0]\nloss.backward()\n",),
    valid=("import torch\nL, V = torch.linalg.eigh(A)\nloss = V[0, 0] ** 2\nloss.backward()\n",),
)

#: the message template and hints of the findings this family reports
LOSS_WORDING = Wording(
    template="`{expr}` {detail}{via}",
    phase_hint="Make the loss phase-invariant (`abs()`, `x * x.conj()`)",
    sign_hint="Make the loss sign-invariant (`x ** 2`, `abs()`)",
)

RULES = (PHASE_LOSS, SIGN_LOSS)

"""EIG107 / EIG207: a gauge-carrying value passed to code whose behaviour is unknown."""
from __future__ import annotations

from .base import Rule, Wording

_WHAT = """
Flags a value that still carries the arbitrary {what} of eigenvectors or singular vectors when
it is passed to a callable eiglint cannot see into: a neural-network module, a function from an
unanalysed package, a method it does not know. Harmless sinks (`print`, logging, `len`,
`.shape`, `.to(...)`, `.detach()`, `.clone()`, `torch.save`, ...) and returning the value are
not flagged.
"""

PHASE_ESCAPE = Rule(
    code="EIG107",
    name="phase-carrying-escape",
    kind="phase",
    severity="warning",
    summary="Value carrying an eigenvector phase passed to unknown code.",
    what=_WHAT.format(what="phase"),
    why="""
Almost every function that is not built for it (a network layer, a feature extractor) uses the
arbitrary phase, so its output is arbitrary too. Make the value invariant first or use an
architecture that is (as BasisNet/SignNet do for signs).
""",
    example="""
vals, vecs = torch.linalg.eig(A)
out = model(vecs)
""",
    instead="""
vals, vecs = torch.linalg.eig(A)
out = model(vecs.abs())
""",
    invalid=("import torch\nL, V = torch.linalg.eig(A)\nout = model(V)\n",),
    valid=("import torch\nL, V = torch.linalg.eig(A)\nout = model(V.abs())\nprint(V)\n",),
)

SIGN_ESCAPE = Rule(
    code="EIG207",
    name="sign-carrying-escape",
    kind="sign",
    severity="warning",
    summary="Value carrying an eigenvector sign passed to unknown code.",
    what=_WHAT.format(what="sign"),
    why="""
Laplacian positional encodings and PCA components fed to a model are the classic case: the
model sees `+v` on one run and `-v` on the next for the same data.
""",
    example="""
vals, vecs = torch.linalg.eigh(lap)
out = model(torch.cat([x, vecs[:, 1:9]], -1))
""",
    instead="""
vals, vecs = torch.linalg.eigh(lap)
out = model(torch.cat([x, vecs[:, 1:9] ** 2], -1))
""",
    invalid=("import torch\nL, V = torch.linalg.eigh(A)\nout = model(V[:, 1:5])\n",),
    valid=("import torch\nL, V = torch.linalg.eigh(A)\nout = model(V[:, 1:5].abs())\n",),
)

#: the message template and hints of the findings this family reports
ESCAPE_WORDING = Wording(
    template="`{expr}` carries the {gauge} and {detail}, which eiglint cannot see into{via}",
    phase_hint="Pass a phase-invariant quantity or fix the phase first",
    sign_hint="Pass a sign-invariant quantity (`abs()`, `** 2`), fix the sign first, or make "
    "the callee sign-invariant (SignNet)",
    spectrum_hint="Pass a sign-invariant quantity (`abs()`, `** 2`), fix the sign (or phase) "
    "first, or make the callee sign-invariant (SignNet)",
)

RULES = (PHASE_ESCAPE, SIGN_ESCAPE)

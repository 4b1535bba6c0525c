"""The rule record: code, name, message, and the documentation that feeds `eiglint rule`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

#: the "Fix" section of every gauge rule's documentation (the fix is :mod:`eiglint.fixes`)
FIX_DOC = """\
`eiglint --fix --unsafe-fixes` (or the editor's quick fix) inserts, right after the statement
that binds the decomposition's vectors, one canonicalisation in the code's own library: each
column is multiplied by the conjugate unit factor of its largest-modulus entry, so that entry
becomes real and positive (for real vectors: the sign that makes it positive), e.g. `V = V *
torch.sgn(V.gather(-2, V.abs().argmax(-2, keepdim=True))).conj()`. For an SVD the same factor
multiplies `U`'s columns and its conjugate `Vh`'s rows, so `U S Vh` is unchanged. The fix is
unsafe: the values change to the canonical gauge (invariant results do not), and eigenvectors of
repeated eigenvalues keep their rotation freedom, which no per-column factor removes; an entry
that is real in exact arithmetic stays on the branch cut of `angle`, `sqrt`, `log` and
fractional powers (rounding picks +pi or -pi), and its exact comparison with its conjugate
(`V == V.conj()`) still depends on rounding. `--diff` shows the change without writing it;
`--show-fixes` lists what was fixed and why a decomposition was not (bound inside an expression,
in a loop header, a full-matrices SVD with both factors bound)."""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case
    #: "phase" (complex U(1) gauge), "sign" (real Z2 gauge) or "file"
    kind: str
    severity: str
    summary: str
    what: str
    why: str
    example: str
    instead: str
    #: snippets that must raise this rule (used by the tests and the docs)
    invalid: Tuple[str, ...] = ()
    #: snippets that must not raise it
    valid: Tuple[str, ...] = ()
    #: on unless deselected; an opt-in rule (False) runs only when selected by its full code
    default: bool = True

    def render(self) -> str:
        """The rule's documentation as Markdown (ruff's headings)."""
        parts = [
            f"## {self.code} ({self.name})",
            "",
            self.summary,
            "",
            *([f"Off by default: enable it with `extend-select = [\"{self.code}\"]` (or "
               f"`--extend-select {self.code}`).", ""] if not self.default else []),
            "### What it does",
            self.what.strip(),
            "",
            "### Why is this bad?",
            self.why.strip(),
            "",
        ]
        if self.example.strip():
            parts += ["### Example", "```python", self.example.strip("\n"), "```", ""]
        if self.instead.strip():
            parts += ["### Use instead", "```python", self.instead.strip("\n"), "```", ""]
        if self.kind in ("phase", "sign"):
            parts += ["### Fix", FIX_DOC, ""]
        return "\n".join(parts)


@dataclass(frozen=True)
class Wording:
    """What a rule family's findings say: the message template (``{expr}``, ``{detail}``,
    ``{gauge}``, ``{via}``) and the hint for a phase, for a sign, and for a sign that may be a
    phase (NumPy's/SciPy's ``eig`` of a real matrix: real vectors for a real spectrum, complex
    ones otherwise; reported by the sign rules, worded for both). No hint is derived from
    another by editing its text: each is written out."""

    template: str
    phase_hint: str
    sign_hint: str
    #: "" when the sign hint fits a sign-or-phase gauge as it is
    spectrum_hint: str = ""

    def hint(self, kind: str, spectrum: bool) -> str:
        if kind == "phase":
            return self.phase_hint
        if spectrum and self.spectrum_hint:
            return self.spectrum_hint
        return self.sign_hint

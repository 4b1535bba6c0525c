"""Shared records: what the analysis produces and what every front end consumes.

The CLI, the reporters, the flake8 plugin, the runtime confirmation and the tests all speak
in these types; nothing here imports libcst or torch.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from typing import List, Optional, Tuple

#: Severity of a finding, as shown by the JSON/SARIF reporters.
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class TraceStep:
    """One step in the history of a tracked value (1-based line and column).

    ``path`` names the file when the step is in another module than the finding (a helper
    imported from elsewhere); empty means the finding's own file. ``cell`` is the notebook cell
    the line is in (as :attr:`Finding.cell`).
    """

    line: int
    col: int
    note: str
    path: str = ""
    cell: Optional[int] = None


@dataclass(frozen=True)
class Verdict:
    """Outcome of the runtime confirmation of one finding."""

    status: str  # confirmed | not-reproduced | not-observable | not-reached | inconclusive
    max_change: Optional[float] = None
    runs: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    """One diagnostic. Lines and columns are 1-based (flake8 convention)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    end_line: int = 0
    end_col: int = 0
    severity: str = "error"
    #: "phase" (complex U(1) gauge), "sign" (real Z2 gauge) or "file" (input could not be analysed)
    kind: str = "phase"
    trace: Tuple[TraceStep, ...] = ()
    hint: str = ""
    #: source text of the flagged expression (for probes and the full reporter)
    expr: str = ""
    #: notebook cell (1-based, counted over all cells) when the input is a notebook
    cell: Optional[int] = None
    verdict: Optional[Verdict] = field(default=None, compare=False)

    def sort_key(self) -> Tuple[str, int, int, int, str, str]:
        """Path, then notebook cell (lines restart in each cell), line, column."""
        return (self.path, self.cell or 0, self.line, self.col, self.code, self.message)

    def with_verdict(self, verdict: Verdict) -> "Finding":
        return replace(self, verdict=verdict)


@dataclass(frozen=True)
class Fix:
    """One unsafe fix (:mod:`eiglint.fixes`): a canonicalisation of a decomposition's vectors,
    inserted after the statement at ``line`` of ``path``."""

    path: str
    line: int
    title: str
    code: Tuple[str, ...]
    #: (module, alias) imports the inserted code needs that the file does not have yet
    imports: Tuple[Tuple[str, Optional[str]], ...] = ()
    findings: int = 0


@dataclass(frozen=True)
class Unfixable:
    """A decomposition that findings came from but that gets no fix, and why."""

    path: str
    line: int
    reason: str
    findings: int = 0


@dataclass
class FilePlan:
    """The fixes of one file and the text they produce."""

    path: str
    original: str
    fixed: str
    fixes: List[Fix] = field(default_factory=list)
    skipped: List[Unfixable] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the change (empty when nothing changes)."""
        if not self.changed:
            return ""
        name = self.path.replace(os.sep, "/")
        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.fixed.splitlines(keepends=True),
            f"a/{name}", f"b/{name}"))

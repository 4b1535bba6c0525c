"""Where the probes sit: one probe per distinct flagged range of the findings.

A :class:`Probe` gathers the findings of one range (an escape, EIG107/EIG207: the call the
value escapes to, :func:`escape_call`); a notebook's code cells run as one program
(:class:`Notebook`), so its findings' cell lines map to program lines.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..types import Verdict
from .hook import norm_path
from .probes import Site, enclosing_call
from .runs import ProbeInfo


@dataclass
class Probe:
    site: Site
    path: str  # as the user wrote it
    npath: str  # normalised
    kind: str
    findings: list[int] = field(default_factory=list)
    verdict: Verdict | None = None
    #: (normalised path, line) of the findings' trace steps: where the value came from
    sources: set[tuple[str, int]] = field(default_factory=set)
    #: an escape (EIG107/EIG207): the probe sits on the call and records its result
    escape: bool = False

    def info(self, pid: int) -> ProbeInfo:
        return ProbeInfo(pid, self.npath, self.site.line, self.site.end_line or self.site.line,
                         self.kind, tuple(sorted(self.sources)), self.escape)


#: escapes: the gauge-carrying value goes into code eiglint cannot see; judged by the call
ESCAPE_CODES = frozenset({"EIG107", "EIG207"})


@dataclass
class Notebook:
    """A notebook's code cells as one program (as ``eiglint.notebook`` lints them), run in
    order in one namespace; IPython lines (``%magic``, ``!shell``) are ``pass``."""

    path: str
    text: str = ""
    lines: dict[tuple[int, int], int] = field(default_factory=dict)
    skipped: int = 0
    error: str = ""

    @classmethod
    def read(cls, path: str) -> Notebook:
        from ..notebook import load

        try:
            with open(path, "rb") as fh:
                prog = load(fh.read(), path)
        except OSError as exc:
            return cls(path, error=f"cannot read the notebook: {exc}")
        if prog.error is not None or prog.foreign:
            return cls(path, error="not a Python notebook that can be run")
        nb = cls(path, prog.text, {cl: i + 1 for i, cl in enumerate(prog.lines)})
        for source in prog.cells.values():
            nb.skipped += sum(1 for ln in source.splitlines()
                              if ln.lstrip().startswith(("%", "!")))
        return nb

    def virtual(self, cell: int | None, line: int) -> int | None:
        """The program line of ``line`` of ``cell`` (None: not in a code cell)."""
        if cell is None:
            return line if 1 <= line <= len(self.lines) else None
        return self.lines.get((cell, line))


def escape_call(path: str, line: int, col: int, end_line: int, end_col: int,
                notebooks: dict[str, Notebook],
                parsed: dict[str, tuple[str, ast.Module] | None]
                ) -> tuple[int, int, int, int, str] | None:
    """The range of the call an escaping argument is passed to."""
    key = norm_path(path)
    if key not in parsed:
        from ..source import decode_source

        try:
            nb = notebooks.get(key)
            if nb is not None:
                text = nb.text
            else:
                with open(path, "rb") as fh:
                    dec = decode_source(fh.read(), path)
                text = dec.text if dec.error is None else ""
            parsed[key] = (text, ast.parse(text)) if text else None
        except (OSError, SyntaxError, ValueError):
            parsed[key] = None
    got = parsed[key]
    if got is None:
        return None
    return enclosing_call(got[1], got[0], line, col, end_line, end_col)


__all__ = ["ESCAPE_CODES", "Notebook", "Probe", "escape_call"]
